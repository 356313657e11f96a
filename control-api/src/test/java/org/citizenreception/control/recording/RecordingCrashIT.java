package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.Main;
import org.citizenreception.control.ReceptionServer;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's crash "done when": a server in a child JVM records a live session (a libwebrtc host
 * publishing through WHIP) and is killed with SIGKILL 10 s in. After a restart on the same data the
 * partial recording is recovered: its muxers (orphaned by the kill) finish their files, the parts
 * and a program file are sealed into the archive marked interrupted, the program plays, and the
 * session's recording shows as INTERRUPTED, and so does the session.
 */
class RecordingCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "recording-crash-admin-password";
    private static final Pattern HEALTH_LINE = Pattern.compile("http://localhost:(\\d+)/health");

    @TempDir
    Path dir;
    private Process child;
    private PeerConnectionFactory factory;
    private LibwebrtcPeer publisher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (factory != null) {
            factory.dispose();
        }
    }

    @Test
    void aRecordingCutBySigkillIsRecoveredIntoAPlayableProgramMarkedInterrupted() throws Exception {
        List<String> args = new ArrayList<>(List.of("--http.host=127.0.0.1", "--http.port=0", "--media.port=0",
                "--media.bind-host=127.0.0.1", "--media.advertised-addresses=127.0.0.1", "--data.dir=" + dir.resolve("data"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"), "--holidays.file=" + TestServer.configFile("holidays-vn.csv")));
        args.addAll(TestStore.serverArguments(dir.resolve("data")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Path log = dir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RECEPTION_ADMIN_PASSWORD", ADMIN_PASSWORD);
        child = pb.start();
        String base = "http://127.0.0.1:" + childPort(log);

        String admin = login(base, "admin", ADMIN_PASSWORD);
        send(base, "POST", "/api/v1/users", admin, Map.of("username", "crash.host", "displayName", "Chủ trì", "role", "HOST",
                "password", "crash-host-password"));
        String host = login(base, "crash.host", "crash-host-password");
        Instant start = Instant.now().plus(Duration.ofMinutes(10));
        long session = json(send(base, "POST", "/api/v1/sessions", host, Map.of("title", "Phiên bị ngắt", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "LIST", "rooms", List.of("QN25-BAI-CHAY")), "mode", "ONLINE", "recording", true)))
                .get("id").asLong();

        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        publisher = LibwebrtcPeer.publisher(factory, "crash-host");
        HttpResponse<String> whip = http.send(HttpRequest.newBuilder(URI.create(base + "/whip/" + session))
                .header("Authorization", "Bearer " + host).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(publisher.createOffer())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(whip.statusCode()).as(whip.body()).isEqualTo(201);
        publisher.setAnswer(whip.body());
        publisher.startMedia();
        RecordingIT.waitUntil(() -> "RECORDING".equals(state(base, host, session)), 90, "the child records the session");
        Thread.sleep(10_000);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, the muxers are orphaned mid-file
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        publisher.close();
        publisher = null;

        try (ReceptionServer restarted = ReceptionServer.start(ReceptionConfig.load(args.toArray(String[]::new), Map.of()),
                ADMIN_PASSWORD, Clock.systemUTC())) {
            String again = "http://127.0.0.1:" + restarted.httpPort();
            String hostAgain = login(again, "crash.host", "crash-host-password");
            assertThat(json(send(again, "GET", "/api/v1/sessions/" + session, hostAgain, null)).get("state").asText())
                    .as("the session itself: interrupted by the crash, neither stuck LIVE nor silently ENDED").isEqualTo("INTERRUPTED");
            RecordingIT.waitUntil(() -> "INTERRUPTED".equals(state(again, hostAgain, session)), 180,
                    "the interrupted recording is recovered");
            JsonNode archive = json(send(again, "GET", "/api/v1/sessions/" + session + "/recordings", hostAgain, null)).get("recordings");
            JsonNode program = null;
            for (JsonNode r : archive) {
                if (r.get("kind").asText().equals("RECORD")) {
                    continue; // the session record, filed after the recovery, is itself complete
                }
                assertThat(r.get("interrupted").asBoolean()).as("every recovered media file is marked interrupted: %s", r).isTrue();
                if (r.get("kind").asText().equals("PROGRAM")) {
                    program = r;
                }
            }
            assertThat(program).as("a program in the archive: %s", archive).isNotNull();
            Path file = dir.resolve("data").resolve("recordings").resolve("session-" + session).resolve(program.get("fileName").asText());
            RecordingIT.Probe probe = RecordingIT.Probe.of(file);
            System.out.printf("recovered program: %s%n", probe);
            assertThat(probe.videoStreams()).isEqualTo(1);
            assertThat(probe.audioStreams()).isEqualTo(1);
            assertThat(probe.durationSeconds()).as("what was recorded before the kill, at most a few seconds lost").isBetween(7.0, 12.0);
            assertThat(probe.videoFrames()).isGreaterThan(7 * LibwebrtcPeer.FPS / 2);
            JsonNode verified = json(send(again, "GET", "/api/v1/recordings/" + program.get("id").asLong() + "/verify", hostAgain, null));
            assertThat(verified.get("valid").asBoolean()).isTrue();
        }
    }

    /** The child prints its health URL once it serves (Main's start banner): its real port, bound as 0. */
    private int childPort(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = HEALTH_LINE.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            assertThat(child.isAlive()).as("child server alive: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("the child server did not start");
    }

    private String state(String base, String token, long session) {
        try {
            return json(send(base, "GET", "/api/v1/sessions/" + session + "/recording", token, null)).get("state").asText();
        } catch (Exception e) {
            return "unreachable";
        }
    }

    private String login(String base, String user, String password) throws Exception {
        return json(send(base, "POST", "/api/v1/auth/login", null, Map.of("username", user, "password", password))).get("token").asText();
    }

    private HttpResponse<String> send(String base, String method, String path, String token, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
