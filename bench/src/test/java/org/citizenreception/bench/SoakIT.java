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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's short soak inside {@code mvn verify} (it replaces issue 6's five-second smoke run and
 * asserts at least what that did): the packaged server as a child process, one session, a publisher
 * and ten viewers, each with its own room's join token, for two minutes through WHIP/WHEP, the server
 * sampled every 10 s from outside. It fails when anything the server holds grows beyond
 * {@link SoakBounds} (heap after GC, RSS, threads, file descriptors, endpoints), when a packet is lost
 * or an SRTP authentication fails, or when a viewer receives less than 95 % of what the publisher sent.
 * The 30-minute, 100-viewer run is {@code bench/run.sh soak} (not in CI).
 */
class SoakIT {
    private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = REPO_ROOT.resolve("control-api/target/reception-control-api.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "soak-test-password-1";
    private static final int VIEWERS = 10;

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
    void tenViewersForTwoMinutesGrowNothingLoseNothingAndFailNoAuthentication() throws Exception {
        assertThat(JAR).as("the packaged server (mvn package builds it before this module)").exists();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "--http.host=127.0.0.1",
                "--http.port=0", "--media.bind-host=127.0.0.1", "--media.port=0",
                "--data.dir=" + dataDir.resolve("data"))
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
        long session = post(base + "/api/v1/sessions", Map.of("title", "soak", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(1)).toString(), "presidingOfficial", "soak",
                "hostRoomCode", "QN-VP", "invitation", Map.of("type", "ALL"), "mode", "ONLINE", "recording", false),
                token).get("id").asLong();
        // The studio publishes with its room's join token, as bench/run.sh does: an administrator schedules
        // sessions but never broadcasts into the main slot. Each viewer plays with its own room's token.
        String studio = post(base + "/api/v1/sessions/" + session + "/rooms/QN-VP/join-token", Map.of(), token)
                .get("token").asText();
        List<String> viewTokens = new ArrayList<>();
        for (String room : communes(base, token, VIEWERS)) {
            viewTokens.add(post(base + "/api/v1/sessions/" + session + "/rooms/" + room + "/join-token", Map.of(), token)
                    .get("token").asText());
        }
        Path tokens = Files.write(dataDir.resolve("view-tokens.txt"), viewTokens);

        BenchOptions options = BenchOptions.parse(new String[] {
            "--whip", base + "/whip/" + session, "--publish-token", studio, "--view-tokens-file", tokens.toString(),
            "--viewers", Integer.toString(VIEWERS), "--minutes", "2", "--sample-seconds", "10", "--bitrate", "1000000",
            "--threads", "2", "--server-pid", Long.toString(server.pid()), "--metrics", base + "/metrics"});
        Soak.Result result = Soak.run(options);
        List<String> broken = SoakBounds.violations(result);
        SoakReport.write(dataDir.resolve("soak"), result, broken);
        System.out.println(SoakReport.markdown(result, broken));

        assertThat(broken).as("soak bounds broken").isEmpty();
        assertThat(result.srtpAuthFailures()).isZero();
        assertThat(result.viewersConnected()).isEqualTo(VIEWERS);
        assertThat(result.viewersWithoutKeyframe()).as("viewers that never got a keyframe").isZero();
        // 1 Mbit/s of video plus audio is well over 100 packets/s from the publisher, for two minutes.
        assertThat(result.publisherPackets()).as("packets the publisher sent").isGreaterThan(100L * 120);
        assertThat(result.minViewerReceivedPercent()).as("share of the publisher's packets the worst viewer received")
                .isGreaterThanOrEqualTo(95.0);
        assertThat(result.packetsLost()).as("sequence gaps at the viewers").isZero();
        assertThat(result.samples()).as("a sample every 10 s over 2 minutes").hasSizeGreaterThanOrEqualTo(12)
                .allSatisfy(s -> assertThat(s.endpoints()).isEqualTo(VIEWERS + 1L));
    }

    /** The first {@code n} current communes of the server's room directory. */
    private List<String> communes(String base, String token, int n) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rooms"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode room : JSON.readTree(r.body())) {
            if ("COMMUNE".equals(room.get("level").asText()) && room.get("validTo").isNull() && out.size() < n) {
                out.add(room.get("code").asText());
            }
        }
        assertThat(out).as("communes in the directory").hasSize(n);
        return out;
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
