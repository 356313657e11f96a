package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.EventsClient;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree of depth 2 through control-api: bridges for the province (the session's root), a district
 * and a commune of that district (real bridge APIs and media, in this JVM, on loopback). The
 * commune's viewer goes on the commune's bridge, which control-api cascades from the district's,
 * which it cascades from the province's, following the room's path; the viewer decodes the host, and
 * the host's wall names the commune's bridge with the layer reading its bridge gives over the API.
 * Then the province's bridge (the root) stops: the host's new offer makes another root, and the
 * viewer, still on its bridge, decodes the host again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CascadeDepthTwoIT {
    private static final String SECRET = "the-depth-two-bridges-secret-for-tests";
    private static final BridgeToken TOKENS = new BridgeToken(SECRET);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROVINCE = "QN-VP";
    private static final String DISTRICT = "QN24-DTR";

    @TempDir
    static Path dir;
    private TestServer t;
    private final List<BridgeProcess> bridges = new ArrayList<>();
    private PeerConnectionFactory factory;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() {
        List<String> args = new ArrayList<>(TestServer.TESTS_FROM_ONE_ADDRESS);
        args.addAll(List.of("--media.bridges=remote", "--bridge.secret=" + SECRET,
                "--rooms.directory=" + TestServer.configFile("rooms-2024.csv")));
        t = TestServer.startOn(Instant.parse("2025-03-03T01:00:00Z"), dir, args.toArray(String[]::new));
        t.adminToken();
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
    }

    @AfterAll
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        if (factory != null) {
            factory.dispose();
        }
        bridges.forEach(BridgeProcess::close);
        if (t != null) {
            t.close();
        }
    }

    private void startBridge(String id, String region) {
        bridges.add(BridgeProcess.start(ReceptionConfig.load(new String[] {"--bridge.role=bridge", "--bridge.id=" + id,
                "--bridge.region=" + region, "--bridge.secret=" + SECRET, "--bridge.api-host=127.0.0.1", "--bridge.api-port=0",
                "--bridge.control-url=http://127.0.0.1:" + t.server.httpPort(), "--media.bind-host=127.0.0.1", "--media.port=0",
                "--media.advertised-addresses=127.0.0.1", "--data.dir=" + dir.resolve(id)}, Map.of()), Clock.systemUTC()));
    }

    @Test
    void aCommunesViewerOnItsOwnBridgeIsCascadedThroughItsDistrictsFromTheProvinceAndDecodesTheHost() throws Exception {
        String commune = null;
        for (String line : TestServer.readConfigFile("rooms-2024.csv").split("\n")) {
            String[] cells = line.split(",");
            if (!line.startsWith("#") && cells.length >= 4 && cells[3].equals(DISTRICT)) {
                commune = cells[0];
                break;
            }
        }
        assertThat(commune).isNotNull();
        startBridge("bridge-province", PROVINCE);
        startBridge("bridge-district", DISTRICT);
        startBridge("bridge-commune", commune);
        waitUntil(() -> t.server.bridges().orElseThrow().all().stream().filter(BridgeRegistry.Bridge::alive).count() == 3, 60,
                () -> "the three bridges registered");
        t.createUser("host.depth", Role.HOST, null);
        String host = t.token("host.depth", TestServer.passwordOf("host.depth"));
        long session = t.scheduleOnlineSession("Phiên xếp tầng hai cấp", PROVINCE, List.of(commune));

        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host-depth"));
        TestServer.Response published = t.send("POST", "/whip/" + session, host, "application/sdp", publisher.createOffer());
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        publisher.setAnswer(published.body());
        publisher.startMedia();
        LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, "commune-depth", 1));
        TestServer.Response watched = t.send("POST", "/whep/" + session, t.joinToken(session, commune), "application/sdp",
                viewer.createOffer());
        assertThat(watched.status()).as(watched.body()).isEqualTo(201);
        viewer.setAnswer(watched.body());
        waitUntil(() -> viewer.framesDecoded() > 10, 60, () -> "the commune's viewer decodes the host through two links");

        String location = watched.headers().firstValue("Location").orElseThrow();
        String viewerId = location.substring(location.lastIndexOf('/') + 1);
        String conference = "session-" + session;
        List<String> atProvince = endpoints("bridge-province", conference);
        List<String> atDistrict = endpoints("bridge-district", conference);
        List<String> atCommune = endpoints("bridge-commune", conference);
        assertThat(atCommune).as("the viewer is on its commune's bridge").contains(viewerId);
        assertThat(links(atProvince)).as("the province has one link below it (the district's): " + atProvince).hasSize(2);
        assertThat(links(atDistrict)).as("the district: its own link up and the commune's below: " + atDistrict).hasSize(4);
        assertThat(links(atCommune)).as("the commune: its link up: " + atCommune).hasSize(2);
        assertThat(atProvince).as("the host publishes on the province's bridge").hasSize(3);

        // the host's wall: the room's bridge, and what its bridge reads of the layer it is sent (over the bridge API)
        try (EventsClient wall = EventsClient.open(t, session, host)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String seen = null;
            while (seen == null && System.nanoTime() < deadline) {
                JsonNode m = wall.messages.poll(200, TimeUnit.MILLISECONDS);
                if (m != null && "room.stats".equals(m.path("type").asText()) && m.toString().contains("\"bridge-commune\"")
                        && m.toString().contains("\"estimateKbps\"")) {
                    seen = m.toString();
                }
            }
            assertThat(seen).as("a room.stats event naming the commune's bridge with the layer reading of its viewer").isNotNull();
        }

        // The root dies: the host's next offer makes a new root (no bridge serves the province now: the
        // least loaded live one), which stops cascading itself and takes the orphaned bridges below it;
        // the commune keeps its viewer, and the host's video comes down again.
        bridges.get(0).close();
        waitUntil(() -> t.server.bridges().orElseThrow().find("bridge-province").map(b -> !b.alive()).orElse(false), 30,
                () -> "control-api finds the province's bridge dead");
        int framesBefore = viewer.framesDecoded();
        LibwebrtcPeer again = track(LibwebrtcPeer.publisher(factory, "host-depth-again"));
        TestServer.Response republished = t.send("POST", "/whip/" + session, host, "application/sdp", again.createOffer());
        assertThat(republished.status()).as(republished.body()).isEqualTo(201);
        again.setAnswer(republished.body());
        again.startMedia();
        waitUntil(() -> viewer.framesDecoded() > framesBefore + 30, 60,
                () -> "the commune's viewer decodes the host again from the new root (" + viewer.framesDecoded() + " frames, "
                        + framesBefore + " before)");
    }

    private static List<String> links(List<String> endpoints) {
        return endpoints.stream().filter(e -> e.startsWith("link:")).toList();
    }

    /** The conference's endpoints on a bridge, as its own API lists them. */
    private List<String> endpoints(String bridgeId, String conference) throws Exception {
        BridgeRegistry.Bridge b = t.server.bridges().orElseThrow().find(bridgeId).orElseThrow();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(b.heartbeat().apiUrl() + BridgeApi.PREFIX
                        + "/conferences/" + conference))
                .header("Authorization", "Bearer " + TOKENS.mint(bridgeId, BridgeToken.TO_BRIDGE, Instant.now()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(bridgeId + ": " + r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode e : new ObjectMapper().readTree(r.body()).get("endpoints")) {
            out.add(e.asText());
        }
        return out;
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static void waitUntil(BooleanSupplier condition, int seconds, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what.get());
    }
}
