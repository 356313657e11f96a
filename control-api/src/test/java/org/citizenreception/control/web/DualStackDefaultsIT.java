package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a new user gets from the README alone: {@code ./run.sh} with every media setting at its
 * default, on a machine whose network card has an IPv4 and an IPv6 address (and fe80::), and the
 * host going live from another machine. Before answers named IPv6 addresses correctly,
 * Chromium refused every answer of such a server ("c=IN IP4 fd00:0:0:0:0:0:0:2").
 *
 * <p>The server runs in a network namespace ({@link DualStackHost}); the host's and the room's
 * Chromium run in the host namespace and reach it over a veth pair, as two machines on one LAN.
 */
class DualStackDefaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN_PASSWORD = "admin-password-for-dual-stack";
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    /**
     * Records every RTCPeerConnection the page makes and every answer it is given as the server
     * wrote it (remoteDescription is Chromium's own rewrite), so the test reads both without
     * knowing where the page keeps its connections.
     */
    private static final String RECORD_PEER_CONNECTIONS = "(() => { const Native = window.RTCPeerConnection; if (!Native) return;"
            + " window.__peerConnections = []; window.__answers = [];"
            + " window.RTCPeerConnection = class extends Native {"
            + "   constructor(...a) { super(...a); window.__peerConnections.push(this); }"
            + "   setRemoteDescription(d) { if (d && d.type === 'answer') window.__answers.push(d.sdp); return super.setRemoteDescription(d); } };"
            + "})();";

    @TempDir
    static Path dir;
    static DualStackHost machine;
    static Browser hostMachine;
    static Browser roomMachine;

    @BeforeAll
    static void start() throws Exception {
        machine = DualStackHost.create();
        machine.startServer(dir.resolve("data"), ADMIN_PASSWORD);
        List<String> flags = machine.browserFlags();
        hostMachine = new Browser(machine.baseUrl(), dir.resolve("host-profile"), 10, null, flags);
        roomMachine = new Browser(machine.baseUrl(), dir.resolve("room-profile"), 10, null, flags);
        for (Browser b : List.of(hostMachine, roomMachine)) {
            b.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_PEER_CONNECTIONS));
        }
    }

    @AfterAll
    static void stop() {
        for (Browser b : new Browser[]{roomMachine, hostMachine}) {
            if (b != null) {
                b.close();
            }
        }
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void a_host_goes_live_and_a_room_decodes_it_from_a_dual_stack_server_started_with_the_readme_command() throws Exception {
        String log = machine.serverLog();
        assertThat(log).as("the start-up line naming what is advertised")
                .contains("advertising " + machine.serverIpv4 + ", " + machine.serverIpv6 + ", 127.0.0.1");
        assertThat(log).as("the start-up line naming what is skipped").containsPattern("not advertising fe80::[0-9a-f:]+ on eth0 \\(link-local\\)");

        String admin = api("POST", "/api/v1/auth/login", null, Map.of("username", "admin", "password", ADMIN_PASSWORD)).get("token").asText();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", "chutri");
        user.put("displayName", "Chủ tịch UBND tỉnh");
        user.put("role", "HOST");
        user.put("password", "chutri-secret-pw");
        api("POST", "/api/v1/users", admin, user);
        String hostRoom = null;
        String room = null;
        for (JsonNode r : api("GET", "/api/v1/rooms", admin, null)) {
            boolean current = r.get("validTo").isNull();
            if (current && hostRoom == null && !"COMMUNE".equals(r.get("level").asText())) {
                hostRoom = r.get("code").asText();
            } else if (current && room == null && "COMMUNE".equals(r.get("level").asText())) {
                room = r.get("code").asText();
            }
        }
        assertThat(hostRoom).as("a provincial room in the default directory").isNotNull();
        assertThat(room).as("a commune room in the default directory").isNotNull();
        // the server keeps the wall clock: the session is scheduled on it, as an administrator would
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("title", "Tiếp công dân trên máy hai ngăn xếp");
        session.put("scheduledStart", start.toString());
        session.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        session.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        session.put("hostRoomCode", hostRoom);
        session.put("invitation", Map.of("type", "LIST", "rooms", List.of(room)));
        session.put("mode", "ONLINE");
        session.put("recording", false);
        long id = api("POST", "/api/v1/sessions", admin, session).get("id").asLong();

        // The host goes live with the fake camera through the console.
        hostMachine.signIn("chutri", "chutri-secret-pw");
        hostMachine.go("/host/" + id, "#room-wall .tile");
        until(hostMachine, () -> !hostMachine.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        hostMachine.find("#go-live").click();
        until(hostMachine, () -> !hostMachine.findAll("#host-on-air").isEmpty(), "the host is on air");
        until(hostMachine, () -> !answers(hostMachine).isEmpty(), "the host's connection has the server's answer");
        assertDualStackAnswer(answers(hostMachine), "the host's WHIP answer");

        // The host hands out the room's join link; the room screen opens it and decodes the program.
        hostMachine.find("#room-wall .tile[data-room='" + room + "']").click();
        hostMachine.waitFor("#tile-dialog").findElement(By.cssSelector("button.btn-secondary")).click();
        String link = hostMachine.waitFor("#join-link-url").getAttribute("value");
        assertThat(link).startsWith(machine.origin());
        roomMachine.driver.get(link);
        until(roomMachine, () -> !roomMachine.findAll("#room-state[data-state='connected']").isEmpty(), "the room screen connects");
        until(roomMachine, () -> !answers(roomMachine).isEmpty(), "the room's connection has the server's answer");
        assertDualStackAnswer(answers(roomMachine), "the room's WHEP answer");
        awaitFramesDecoded(roomMachine, 10);
        roomMachine.screenshot("dual-stack-room");

        // Both families work end to end: Chromium's checks reached the bridge over IPv6 as well.
        until(roomMachine, () -> succeededRemoteAddresses(roomMachine).stream().anyMatch(a -> a.contains(":")),
                "an IPv6 candidate pair succeeds (pairs: " + succeededRemoteAddresses(roomMachine) + ")");
    }

    /** Every line that names an address is right for its family, and both of the server's addresses are offered. */
    private static void assertDualStackAnswer(List<String> answers, String what) throws Exception {
        assertThat(answers).as(what).isNotEmpty();
        for (String sdp : answers) {
            List<String> lines = List.of(sdp.split("\r\n"));
            assertThat(lines).as(what).filteredOn(l -> l.startsWith("c=")).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).isIn("c=IN IP4 " + machine.serverIpv4, "c=IN IP4 0.0.0.0"));
            assertThat(lines).as(what).filteredOn(l -> l.startsWith("a=rtcp:"))
                    .allSatisfy(l -> assertThat(l).isEqualTo("a=rtcp:" + DualStackHost.MEDIA_PORT + " IN IP4 " + machine.serverIpv4));
            List<String[]> candidates = lines.stream().filter(l -> l.startsWith("a=candidate:")).map(l -> l.split(" ")).toList();
            assertThat(candidates).as(what + ": candidate addresses").extracting(c -> c[4])
                    .contains(machine.serverIpv4, machine.serverIpv6).noneMatch(a -> a.startsWith("fe80") || a.contains(":0:0:"));
            for (String[] c : candidates) {
                InetAddress.getByName(c[4]); // a literal, parsable as written
                assertThat(c[5]).isEqualTo(String.valueOf(DualStackHost.MEDIA_PORT));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> answers(Browser b) {
        return (List<String>) b.js("return window.__answers || [];");
    }

    @SuppressWarnings("unchecked")
    private static List<String> succeededRemoteAddresses(Browser b) {
        return (List<String>) b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.all((window.__peerConnections || []).map((pc) => pc.getStats())).then((reports) => {"
                + "  const found = []; reports.forEach((r) => r.forEach((s) => {"
                + "    if (s.type === 'candidate-pair' && s.state === 'succeeded') { const rc = r.get(s.remoteCandidateId);"
                + "      if (rc) found.push(rc.address || rc.ip); } }));"
                + "  done(found); }).catch(() => done([]));");
    }

    /** Polls getStats until the page's received video has decoded {@code more} more frames than at first sight. */
    private static void awaitFramesDecoded(Browser b, long more) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long first = -1;
        long frames = -1;
        while (System.nanoTime() < deadline) {
            Object n = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "Promise.all((window.__peerConnections || []).map((pc) => pc.getStats())).then((reports) => {"
                    + "  let f = null; reports.forEach((r) => r.forEach((s) => {"
                    + "    if (s.type === 'inbound-rtp' && s.kind === 'video') f = (f || 0) + (s.framesDecoded || 0); }));"
                    + "  done(f); }).catch(() => done(null));");
            if (n != null) {
                frames = ((Number) n).longValue();
                if (first < 0) {
                    first = frames;
                } else if (frames >= first + more) {
                    return;
                }
            }
            pause(250);
        }
        throw new AssertionError("the room decoded no " + more + " new frames within " + PATIENCE.toSeconds()
                + " s (first seen " + first + ", last " + frames + "); server log:\n" + machine.serverLog());
    }

    private static void until(Browser b, Supplier<Boolean> condition, String what) {
        try {
            new WebDriverWait(b.driver, PATIENCE, Browser.POLL).ignoring(StaleElementReferenceException.class).until(d -> condition.get());
        } catch (org.openqa.selenium.TimeoutException e) {
            b.screenshot("failed-dual-stack-" + what.replaceAll("\\W+", "-"));
            throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what + " (peer connections recorded: "
                    + b.js("return window.__peerConnections ? window.__peerConnections.length : 'none';") + "); server log:\n"
                    + machine.serverLog(), e);
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonNode api(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(machine.origin() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
