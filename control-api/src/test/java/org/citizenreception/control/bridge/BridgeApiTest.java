package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sides' authentication and input checks, on real servers: control-api in remote mode, and a
 * bridge process's API (started in this JVM; RemoteBridgesIT runs them as processes). A request
 * without a valid token for the right bridge and audience is 401 problem+json; bad input is 400
 * naming the field; either way nothing is registered or created.
 */
class BridgeApiTest {
    private static final String SECRET = "bridge-api-test-secret-0123456789";

    @TempDir
    static Path dir;
    static TestServer t;
    static BridgeProcess bridge;
    static final BridgeToken TOKENS = new BridgeToken(SECRET);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, "--media.bridges=remote", "--bridge.secret=" + SECRET);
        bridge = BridgeProcess.start(ReceptionConfig.load(new String[] {"--bridge.role=bridge", "--bridge.id=bridge-t",
                "--bridge.secret=" + SECRET, "--bridge.api-host=127.0.0.1", "--bridge.api-port=0",
                "--bridge.control-url=http://127.0.0.1:" + t.server.httpPort(), "--media.bind-host=127.0.0.1", "--media.port=0",
                "--media.advertised-addresses=127.0.0.1", "--data.dir=" + dir.resolve("bridge")}, Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        t.close();
    }

    private static String heartbeat(int capacity) {
        return "{\"apiUrl\":\"http://127.0.0.1:9\",\"mediaAddress\":\"127.0.0.1:9\",\"region\":\"\",\"capacity\":" + capacity
                + ",\"endpoints\":0,\"packetsPerSecond\":0,\"cpuLoad\":0.1}";
    }

    private static HttpResponse<String> send(URI base, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI control() {
        return URI.create("http://127.0.0.1:" + t.server.httpPort());
    }

    private static boolean registered(String id) {
        return t.server.bridges().orElseThrow().find(id).isPresent();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return HttpServer.objectMapper().readTree(r.body());
    }

    @Test
    void controlApiRefusesARegistrationWithoutTheRightBridgesTokenAndRegistersNothing() throws Exception {
        Instant now = Instant.now();
        List<String> tokens = new ArrayList<>();
        tokens.add(null);
        tokens.add("not-a-token");
        tokens.add(TOKENS.mint("bridge-other", BridgeToken.TO_CONTROL, now)); // another bridge's
        tokens.add(TOKENS.mint("bridge-x", BridgeToken.TO_BRIDGE, now)); // meant for a bridge, not control-api
        tokens.add(TOKENS.mint("bridge-x", BridgeToken.TO_CONTROL, now.minus(Duration.ofMinutes(5)))); // expired
        tokens.add(new BridgeToken("a-different-secret-of-16+").mint("bridge-x", BridgeToken.TO_CONTROL, now));
        for (String token : tokens) {
            HttpResponse<String> r = send(control(), "PUT", "/api/v1/bridges/bridge-x", token, heartbeat(10));
            assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        HttpResponse<String> asAdmin = send(control(), "PUT", "/api/v1/bridges/bridge-x", t.adminToken(), heartbeat(10));
        assertThat(asAdmin.statusCode()).as("a user, even an administrator, is no bridge").isEqualTo(403);
        assertThat(registered("bridge-x")).isFalse();
    }

    @Test
    void aRegistrationWithBadInputIsRefusedNamingTheField() throws Exception {
        String token = TOKENS.mint("bridge-bad", BridgeToken.TO_CONTROL, Instant.now());
        HttpResponse<String> r = send(control(), "PUT", "/api/v1/bridges/bridge-bad", token, heartbeat(0));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("errors").get(0).path("field").asText()).isEqualTo("capacity");
        r = send(control(), "PUT", "/api/v1/bridges/bridge-bad", token, heartbeat(5).replace("http://127.0.0.1:9", "ftp://x"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("errors").get(0).path("field").asText()).isEqualTo("apiUrl");
        assertThat(registered("bridge-bad")).isFalse();
    }

    @Test
    void aRegistrationIsAuditedOnceAndTheHeartbeatsAfterItAreNot() throws Exception {
        String token = TOKENS.mint("bridge-once", BridgeToken.TO_CONTROL, Instant.now());
        for (int i = 0; i < 3; i++) {
            assertThat(send(control(), "PUT", "/api/v1/bridges/bridge-once", token, heartbeat(10)).statusCode()).isEqualTo(200);
        }
        int entries = 0;
        for (JsonNode e : t.get("/api/v1/audit?limit=200&action=bridge.register", t.adminToken()).json().get("entries")) {
            if (e.path("entityId").asText().equals("bridge-once")) {
                entries++;
                assertThat(e.path("entityType").asText()).isEqualTo("bridge");
            }
        }
        assertThat(entries).isEqualTo(1);
    }

    @Test
    void theBridgeProcessRegistersItselfWithItsSignedHeartbeat() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!registered("bridge-t") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(registered("bridge-t")).isTrue();
        assertThat(t.server.bridges().orElseThrow().find("bridge-t").orElseThrow().heartbeat().apiUrl())
                .isEqualTo(bridge.apiUrl().toString());
    }

    @Test
    void theBridgesApiRefusesAnyoneWithoutItsTokenAndCreatesNothing() throws Exception {
        String endpoint = "{\"endpointId\":\"e1\",\"offer\":\"v=0\\r\\n\",\"slot\":null}";
        Instant now = Instant.now();
        for (String token : new String[] {null, TOKENS.mint("bridge-other", BridgeToken.TO_BRIDGE, now),
                TOKENS.mint("bridge-t", BridgeToken.TO_CONTROL, now), t.adminToken()}) {
            HttpResponse<String> r = send(bridge.apiUrl(), "POST", "/bridge/v1/conferences/c1/endpoints", token, endpoint);
            assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(send(bridge.apiUrl(), "GET", "/bridge/v1/conferences/c1", TOKENS.mint("bridge-t", BridgeToken.TO_BRIDGE, now), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theBridgesApiNamesTheBadFieldAndCreatesNothing() throws Exception {
        String token = TOKENS.mint("bridge-t", BridgeToken.TO_BRIDGE, Instant.now());
        Map<String, String> bodies = Map.of(
                "offer", "{\"endpointId\":\"e1\",\"offer\":\"\",\"slot\":null}",
                "endpointId", "{\"endpointId\":null,\"offer\":\"v=0\",\"slot\":null}",
                "slot", "{\"endpointId\":\"e1\",\"offer\":\"v=0\",\"slot\":\"balcony\"}");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            HttpResponse<String> r = send(bridge.apiUrl(), "POST", "/bridge/v1/conferences/c2/endpoints", token, body.getValue());
            assertThat(r.statusCode()).as(body.getKey()).isEqualTo(400);
            assertThat(json(r).path("errors").get(0).path("field").asText()).isEqualTo(body.getKey());
        }
        HttpResponse<String> notAnOffer = send(bridge.apiUrl(), "POST", "/bridge/v1/conferences/c2/endpoints", token,
                "{\"endpointId\":\"e1\",\"offer\":\"v=0\\r\\nthis is no offer\",\"slot\":null}");
        assertThat(notAnOffer.statusCode()).isIn(400, 422);
        assertThat(json(notAnOffer).path("errors").get(0).path("field").asText()).isEqualTo("offer");
        HttpResponse<String> recording = send(bridge.apiUrl(), "POST", "/bridge/v1/conferences/c2/recordings", token,
                "{\"slot\":\"main\",\"audioRtp\":\"127.0.0.1:notaport\",\"videoRtp\":\"127.0.0.1:5002\"}");
        assertThat(recording.statusCode()).isEqualTo(400);
        assertThat(json(recording).path("errors").get(0).path("field").asText()).isEqualTo("audioRtp");
        HttpResponse<String> badPin = send(bridge.apiUrl(), "PUT", "/bridge/v1/conferences/c2/endpoints/e1/layer", token,
                "{\"layer\":-2}");
        assertThat(badPin.statusCode()).isEqualTo(400);
        assertThat(json(badPin).path("errors").get(0).path("field").asText()).isEqualTo("layer");
        assertThat(send(bridge.apiUrl(), "PUT", "/bridge/v1/conferences/c2/endpoints/e1/layer", token, "{\"layer\":0}")
                .statusCode()).as("a pin for an endpoint the bridge does not have").isEqualTo(404);
        assertThat(send(bridge.apiUrl(), "GET", "/bridge/v1/conferences/c2", token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theCascadeRoutesNameTheBadFieldAndAnUnknownConferenceIs404() throws Exception {
        String token = TOKENS.mint("bridge-t", BridgeToken.TO_BRIDGE, Instant.now());
        Map<String, String> links = Map.of(
                "downOffer", "{\"downOffer\":\"\",\"upOffer\":\"v=0\"}",
                "upOffer", "{\"downOffer\":\"v=0\\r\\no=- 1 1 IN IP4 0.0.0.0\\r\\ns=-\\r\\nt=0 0\\r\\n\",\"upOffer\":null}");
        for (Map.Entry<String, String> body : links.entrySet()) {
            HttpResponse<String> r = send(bridge.apiUrl(), "POST", "/bridge/v1/conferences/c4/links/l1", token, body.getValue());
            assertThat(r.statusCode()).as(body.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(json(r).path("errors").get(0).path("field").asText()).isEqualTo(body.getKey());
        }
        HttpResponse<String> badLinkId = send(bridge.apiUrl(), "POST", "/bridge/v1/conferences/c4/links/a:b", token,
                "{\"downOffer\":\"v=0\",\"upOffer\":\"v=0\"}");
        assertThat(badLinkId.statusCode()).isEqualTo(400);
        assertThat(json(badLinkId).path("errors").get(0).path("field").asText()).isEqualTo("link");
        assertThat(send(bridge.apiUrl(), "DELETE", "/bridge/v1/conferences/c4/links/l1", token, null).statusCode())
                .as("closing a link of a conference the bridge does not have").isEqualTo(404);
        assertThat(send(bridge.apiUrl(), "GET", "/bridge/v1/conferences/c4/endpoints/e1/layer", token, null).statusCode())
                .as("the layer of an endpoint the bridge does not have").isEqualTo(404);

        Map<String, String> upstreams = Map.of(
                "linkId", "{\"linkId\":\"a:b\",\"upstreamBridgeId\":\"bridge-root\",\"upstreamApiUrl\":\"http://127.0.0.1:9\"}",
                "upstreamBridgeId", "{\"linkId\":\"l1\",\"upstreamBridgeId\":\"bridge-t\",\"upstreamApiUrl\":\"http://127.0.0.1:9\"}",
                "upstreamApiUrl", "{\"linkId\":\"l1\",\"upstreamBridgeId\":\"bridge-root\",\"upstreamApiUrl\":\"ftp://x\"}");
        for (Map.Entry<String, String> body : upstreams.entrySet()) {
            HttpResponse<String> r = send(bridge.apiUrl(), "PUT", "/bridge/v1/conferences/c4/upstream", token, body.getValue());
            assertThat(r.statusCode()).as(body.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(json(r).path("errors").get(0).path("field").asText()).isEqualTo(body.getKey());
        }
        assertThat(send(bridge.apiUrl(), "GET", "/bridge/v1/conferences/c4", token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aCascadeToABridgeWithoutTheConferenceFailsAndLeavesNoConferenceBehind() throws Exception {
        String token = TOKENS.mint("bridge-t", BridgeToken.TO_BRIDGE, Instant.now());
        // the upstream is this very bridge's API under another id: its token check refuses the link (401),
        // as it would for a bridge without the shared secret
        HttpResponse<String> r = send(bridge.apiUrl(), "PUT", "/bridge/v1/conferences/c5/upstream", token,
                "{\"linkId\":\"l5\",\"upstreamBridgeId\":\"bridge-root\",\"upstreamApiUrl\":\"" + bridge.apiUrl() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(send(bridge.apiUrl(), "GET", "/bridge/v1/conferences/c5", token, null).statusCode()).isEqualTo(404);
    }
}
