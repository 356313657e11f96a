package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's smoke run inside {@code mvn verify}: the packaged server as a child process, one
 * session, a publisher and five viewers for five seconds through WHIP/WHEP. What must hold whatever
 * the machine's load: all five connect and get a keyframe, no SRTP authentication fails, and every
 * viewer receives nearly all the publisher sent in the window (loopback loses nothing the bridge
 * forwards). It asserts no speed: those numbers belong to the benchmark.
 */
class LoadGeneratorSmokeIT {
    private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = REPO_ROOT.resolve("control-api/target/reception-control-api.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "smoke-test-password-1";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void fiveViewersReceiveTheSyntheticStreamWithoutOneSrtpAuthenticationFailure() throws Exception {
        assertThat(JAR).as("the packaged server (mvn package builds it before this module)").exists();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "--http.host=127.0.0.1",
                "--http.port=0", "--media.bind-host=127.0.0.1", "--media.port=0",
                "--data.dir=" + dataDir)
                .directory(REPO_ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        pb.environment().put("RECEPTION_ADMIN_PASSWORD", PASSWORD);
        pb.environment().put("RECEPTION_MEDIA_ADVERTISED_ADDRESSES", "127.0.0.1");
        server = pb.start();
        String base = "http://127.0.0.1:" + printedHttpPort();
        waitForHealth(base);

        String token = post(base + "/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD), null)
                .get("token").asText();
        Instant start = Instant.now().plus(Duration.ofMinutes(10));
        long session = post(base + "/api/v1/sessions", Map.of("title", "smoke", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(1)).toString(), "presidingOfficial", "smoke",
                "hostRoomCode", "QN-VP", "invitation", Map.of("type", "ALL"), "mode", "ONLINE", "recording", false),
                token).get("id").asLong();
        // The studio publishes with its room's join token, as bench/run.sh does: an administrator schedules
        // sessions but never broadcasts into the main slot.
        String studio = post(base + "/api/v1/sessions/" + session + "/rooms/QN-VP/join-token", Map.of(), token)
                .get("token").asText();

        BenchOptions options = BenchOptions.parse(new String[] {
            "--whip", base + "/whip/" + session, "--publish-token", studio, "--view-token", token,
            "--viewers", "5", "--seconds", "5", "--bitrate", "1000000", "--threads", "2",
            "--server-pid", Long.toString(server.pid()), "--metrics", base + "/metrics"});
        BenchResult result = LoadGenerator.run(options);

        System.out.println(BenchResult.tableHeader());
        System.out.println(result.tableRow());
        assertThat(result.srtpAuthFailures()).isZero();
        assertThat(result.viewersConnected()).isEqualTo(5);
        assertThat(result.viewersWithoutKeyframe()).as("viewers that never got a keyframe").isZero();
        // 1 Mbit/s of video plus audio is well over 100 packets/s from the publisher.
        assertThat(result.packetsInPerSecond()).as("packets/s the publisher sent").isGreaterThan(100);
        assertThat(result.minViewerReceivedPercent()).as("share of the publisher's packets the worst viewer received")
                .isGreaterThanOrEqualTo(95.0);
        assertThat(result.lossPercent()).as("sequence gaps at the viewers").isLessThanOrEqualTo(1.0);
        assertThat(result.serverCpuMicrosPerPacket()).as("the server's CPU was sampled").isPositive();
    }

    private JsonNode post(String uri, Map<String, Object> body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + " " + response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private void waitForHealth(String base) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(dataDir.resolve("server.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not healthy within 60 s");
    }

    /**
     * The HTTP port the server printed in its welcome text: it binds port 0 and reports what the kernel
     * gave it, so no other process can take the port between choosing and binding it.
     */
    private int printedHttpPort() throws Exception {
        Pattern webUi = Pattern.compile("Web UI:\\s+http://localhost:(\\d+)/");
        Path log = dataDir.resolve("server.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = webUi.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!server.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server printed no port within 90 s: " + Files.readString(log));
    }
}
