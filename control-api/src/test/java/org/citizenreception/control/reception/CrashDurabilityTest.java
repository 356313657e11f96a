package org.citizenreception.control.reception;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.citizenreception.control.Main;
import org.citizenreception.control.ReceptionServer;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The register survives a crash at any instant: a server in a child JVM is killed with SIGKILL while
 * four secretaries keep registering petitions (once 40 are acknowledged, so requests are in flight
 * at the kill whatever the machine's speed); after a restart on the same data every
 * petition whose POST was answered 201 is there with its number, the numbers have no gap, and the
 * audit chain verifies.
 */
class CrashDurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "crash-test-admin-password";
    private static final int ACKNOWLEDGED_BEFORE_KILL = 40;

    @TempDir
    Path dir;
    private Process child;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void kill() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void everyAcknowledgedPetitionSurvivesSigkill() throws Exception {
        List<String> args = new ArrayList<>(List.of("--http.host=127.0.0.1", "--http.port=0", "--media.port=0", "--media.bind-host=127.0.0.1",
                "--media.advertised-addresses=127.0.0.1", "--data.dir=" + dir.resolve("data"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"), "--holidays.file=" + TestServer.configFile("holidays-vn.csv")));
        args.addAll(TestStore.serverArguments(dir.resolve("data")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("RECEPTION_ADMIN_PASSWORD", ADMIN_PASSWORD);
        child = pb.start();
        String base = "http://127.0.0.1:" + printedHttpPort(dir.resolve("child.log"));
        waitForHealth(base);

        String admin = login(base, "admin", ADMIN_PASSWORD);
        post(base, "/api/v1/users", admin, Map.of("username", "crash.sec", "displayName", "Thư ký", "role", "SECRETARY",
                "password", "crash-secretary-pw"));
        post(base, "/api/v1/users", admin, Map.of("username", "crash.host", "displayName", "Chủ trì", "role", "HOST",
                "password", "crash-host-pw"));
        String secretary = login(base, "crash.sec", "crash-secretary-pw");
        String host = login(base, "crash.host", "crash-host-pw");
        Instant start = Instant.now();
        long session = post(base, "/api/v1/sessions", host, Map.of("title", "Crash", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "LIST", "rooms", List.of("QN-VP")))).get("id").asLong();
        post(base, "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE"));

        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    Map<String, Object> p = Map.of("kind", "RECOMMENDATION", "summary", "writer " + writer + " petition " + i,
                            "petitioners", List.of(Map.of("name", "Lê Văn " + i, "address", "Hạ Long")));
                    try {
                        HttpResponse<String> r = send(base, "POST", "/api/v1/sessions/" + session + "/petitions", secretary, p);
                        if (r.statusCode() == 201) {
                            JsonNode n = JSON.readTree(r.body());
                            acknowledged.put(n.get("id").asLong(), n.get("registerNumber").asText());
                        }
                    } catch (IOException | InterruptedException e) {
                        return; // the server is gone: this request was never acknowledged
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(10); // polling the writers' progress, not timing the kill
        }
        assertThat(acknowledged.size()).as("petitions acknowledged within 60 s").isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        running.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).as("petitions acknowledged before the kill").isNotEmpty();

        try (ReceptionServer restarted = ReceptionServer.start(ReceptionConfig.load(args.toArray(String[]::new), Map.of()),
                ADMIN_PASSWORD, Clock.systemUTC())) {
            List<String> numbers = new ArrayList<>();
            try (Connection c = restarted.database().unpooledConnection()) {
                for (Map.Entry<Long, String> e : acknowledged.entrySet()) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT register_number FROM petitions WHERE id = ?")) {
                        ps.setLong(1, e.getKey());
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).as("petition %d acknowledged with 201", e.getKey()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo(e.getValue());
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT register_number FROM petitions ORDER BY id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        numbers.add(rs.getString(1));
                    }
                }
            }
            for (int i = 0; i < numbers.size(); i++) {
                assertThat(Integer.parseInt(numbers.get(i).substring(5))).as("gapless register").isEqualTo(i + 1);
            }
            assertThat(restarted.services().audit().verify().valid()).isTrue();
        }
    }

    /**
     * The HTTP port the child printed in its welcome text: it binds port 0 and reports what the kernel
     * gave it, so no other process can take the port between choosing and binding it.
     */
    private int printedHttpPort(Path log) throws Exception {
        java.util.regex.Pattern webUi = java.util.regex.Pattern.compile("Web UI:\\s+http://localhost:(\\d+)/");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher m = webUi.matcher(java.nio.file.Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(child.isAlive()).as("child server alive; its output: %s", java.nio.file.Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the child server printed no port within 90 s: " + java.nio.file.Files.readString(log));
    }

    private void waitForHealth(String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            assertThat(child.isAlive()).as("child server alive").isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("the child server did not become healthy");
    }

    private String login(String base, String user, String password) throws Exception {
        return post(base, "/api/v1/auth/login", null, Map.of("username", user, "password", password)).get("token").asText();
    }

    private JsonNode post(String base, String path, String token, Object body) throws Exception {
        HttpResponse<String> r = send(base, "POST", path, token, body);
        assertThat(r.statusCode()).as(path + " " + r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String base, String method, String path, String token, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
