package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.PATIENCE;
import static org.citizenreception.control.web.LiveMedia.awaitDecoding;
import static org.citizenreception.control.web.LiveMedia.smallCameraPicture;
import static org.citizenreception.control.web.LiveMedia.until;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.Main;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

/**
 * The power goes in the middle of a reception: the server, a child process on a data folder of its
 * own, is killed with SIGKILL while the host broadcasts from Chromium, two room screens play the
 * program and twenty secretaries register petitions over REST. It is started again on the same data
 * and the same ports. Then every petition whose POST was answered 201 is there with its content,
 * the audit chain verifies, the session is INTERRUPTED (not stuck LIVE, not silently ENDED) and
 * says so on the host console and the room screens; the host resumes it from the page left open,
 * its broadcast comes back by itself, and both room screens play again, none of them reloaded.
 */
class ProcessFaultIT {
    private static final String ADMIN_PASSWORD = "process-fault-admin-password";
    private static final int SECRETARIES = 20;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 40;
    private static final Pattern WEB_UI = Pattern.compile("Web UI:\\s+http://localhost:(\\d+)/");
    private static final Pattern MEDIA = Pattern.compile("Media:\\s+udp (\\d+),");
    /** Set in each page before the kill: a reload would lose it. */
    private static final String NOT_RELOADED = "window.__processFaultMarker";

    @TempDir
    Path dir;
    private Process child;
    private final List<Browser> browsers = new ArrayList<>();

    record Acknowledged(String registerNumber, String summary) {
    }

    @AfterEach
    void stop() {
        browsers.forEach(Browser::close);
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void afterSigkillAndARestartNothingAcknowledgedIsLostTheSessionIsInterruptedAndThePagesComeBackWithoutReloading() throws Exception {
        child = startServer(dir.resolve("first.log"), 0, 0);
        int httpPort = printed(WEB_UI, dir.resolve("first.log"));
        int mediaPort = printed(MEDIA, dir.resolve("first.log"));
        String base = "http://127.0.0.1:" + httpPort + "/";
        ReceptionApi api = new ReceptionApi(base, ADMIN_PASSWORD);
        api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        // Twenty accounts hash forty passwords: made four at a time, the two cores both work.
        ExecutorService accounts = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<String>> logins = new ArrayList<>();
        for (int i = 1; i <= SECRETARIES; i++) {
            String username = String.format("thuky%02d", i);
            int n = i;
            logins.add(accounts.submit(() -> {
                api.createUser(username, "Thư ký " + n, "SECRETARY");
                return api.call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", ReceptionApi.password(username)))
                        .get("token").asText();
            }));
        }
        List<String> secretaryTokens = new ArrayList<>();
        for (java.util.concurrent.Future<String> login : logins) {
            secretaryTokens.add(login.get(120, TimeUnit.SECONDS));
        }
        accounts.shutdown();
        List<String> rooms = api.communes(2);
        long session = api.scheduleNow("Phiên có sự cố máy chủ", rooms);

        Browser host = browser(base, "host", null);
        host.signIn("chutri", ReceptionApi.password("chutri"));
        host.open("/host/" + session);
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        host.find("#go-live").click();
        until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                "the host's media flows");
        Browser screens = browser(base, "rooms", smallCameraPicture(dir.resolve("camera.y4m")));
        List<String> tabs = new ArrayList<>();
        for (String room : rooms) {
            if (!tabs.isEmpty()) {
                screens.driver.switchTo().newWindow(WindowType.TAB);
            }
            screens.driver.get(api.joinLink(session, room));
            tabs.add(screens.driver.getWindowHandle());
            awaitDecoding(screens, "#program-video", PATIENCE);
            screens.js(NOT_RELOADED + " = 'still the same page';");
        }
        host.js(NOT_RELOADED + " = 'still the same page';");

        Map<Long, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(SECRETARIES);
        for (int w = 0; w < SECRETARIES; w++) {
            String token = secretaryTokens.get(w);
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    String summary = "Thư ký " + writer + ", kiến nghị " + i;
                    try {
                        JsonNode p = api.call("POST", "/api/v1/sessions/" + session + "/petitions", token, Map.of("kind", "RECOMMENDATION",
                                "summary", summary, "petitioners", List.of(Map.of("name", "Trần Văn " + i, "address", "Cẩm Phả"))));
                        acknowledged.put(p.get("id").asLong(), new Acknowledged(p.get("registerNumber").asText(), summary));
                    } catch (Exception | AssertionError e) {
                        return null; // the server is gone (or refused): this one was never acknowledged
                    }
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling the writers' progress, not timing the kill
        }
        assertThat(acknowledged.size()).as("petitions acknowledged before the kill").isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no last heartbeat, no checkpoint, media endpoints vanish
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        Map<Long, Acknowledged> beforeKill = Map.copyOf(acknowledged);

        // The same HTTP and UDP ports on purpose: that is the scenario (the pages left open know only
        // this address); the dead server released them, and nothing else on this machine takes them.
        long killedNanos = System.nanoTime();
        child = startServer(dir.resolve("second.log"), httpPort, mediaPort);
        System.out.printf("restarted, serving %d ms after the kill%n", (System.nanoTime() - killedNanos) / 1_000_000);
        assertThat(printed(WEB_UI, dir.resolve("second.log"))).isEqualTo(httpPort);
        ReceptionApi again = new ReceptionApi(base, ADMIN_PASSWORD);
        for (Map.Entry<Long, Acknowledged> e : beforeKill.entrySet()) {
            JsonNode p = again.call("GET", "/api/v1/petitions/" + e.getKey(), again.adminToken, null).get("petition");
            assertThat(p.get("registerNumber").asText()).as("petition %d", e.getKey()).isEqualTo(e.getValue().registerNumber());
            assertThat(p.get("summary").asText()).isEqualTo(e.getValue().summary());
        }
        JsonNode verified = again.call("GET", "/api/v1/audit/verify", again.adminToken, null);
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(again.call("GET", "/api/v1/sessions/" + session, again.adminToken, null).get("state").asText()).isEqualTo("INTERRUPTED");

        for (String tab : tabs) {
            screens.driver.switchTo().window(tab);
            until(screens, () -> !screens.findAll("#room-state[data-state='interrupted']").isEmpty(), "the room screen says interrupted");
        }
        screens.screenshotForDocs("room-interrupted-vi");
        until(host, () -> host.find("#host-interrupted").isDisplayed(), "the host console offers to resume");
        until(host, () -> !host.find("#net-banner").isDisplayed(), "no stale \"cannot reach the server\" banner once the server answers");
        host.screenshotForDocs("host-interrupted-vi");
        host.find("#resume-session").click();
        long resumedNanos = System.nanoTime();
        until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                "the host's broadcast is back without pressing anything else");
        System.out.printf("the host's media flows again %d ms after resume%n", (System.nanoTime() - resumedNanos) / 1_000_000);
        assertThat(again.call("GET", "/api/v1/sessions/" + session, again.adminToken, null).get("state").asText()).isEqualTo("LIVE");
        assertThat(host.js("return " + NOT_RELOADED + ";")).as("the host page was not reloaded").isEqualTo("still the same page");
        for (String tab : tabs) {
            screens.driver.switchTo().window(tab);
            awaitDecoding(screens, "#program-video", PATIENCE);
            System.out.printf("room screen %s decodes again %d ms after the host pressed resume%n", tab,
                    (System.nanoTime() - resumedNanos) / 1_000_000);
            assertThat(screens.js("return " + NOT_RELOADED + ";")).as("the room screen was not reloaded").isEqualTo("still the same page");
        }
    }

    private Browser browser(String base, String name, Path camera) {
        Browser b = new Browser(base, dir.resolve(name + "-profile"), 10, camera);
        browsers.add(b);
        return b;
    }

    private Process startServer(Path log, int httpPort, int mediaPort) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--http.host=127.0.0.1", "--http.port=" + httpPort, "--media.port=" + mediaPort, "--media.bind-host=127.0.0.1",
                "--media.advertised-addresses=127.0.0.1", "--data.dir=" + dir.resolve("data"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"), "--holidays.file=" + TestServer.configFile("holidays-vn.csv")));
        // Twenty sign-ins from one address, four at a time: the limits raised as for every test server (else 503 on a loaded machine).
        command.addAll(TestServer.TESTS_FROM_ONE_ADDRESS);
        // The store the run uses (-Dreception.test.store); a restart on the same data folder finds the same database.
        command.addAll(TestStore.serverArguments(dir.resolve("data")));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RECEPTION_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Process p = pb.start();
        child = p;
        printed(WEB_UI, log); // printed once it serves
        return p;
    }

    /** A port the child printed in its welcome text (it binds port 0 the first time and says what it got). */
    private int printed(Pattern pattern, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(child.isAlive()).as("the server runs; its output: %s", Files.readString(log)).isTrue();
            Thread.sleep(100); // polling the child's output
        }
        throw new AssertionError("the server printed no port within 120 s: " + Files.readString(log));
    }
}
