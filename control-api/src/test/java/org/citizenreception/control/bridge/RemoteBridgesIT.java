package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.BridgeProcesses;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control-api with {@code media.bridges = remote} and two media bridges as processes of their own
 * ({@link BridgeProcesses}: each its own JVM, API port and UDP port, on loopback), driven by real libwebrtc peers through control-api's WHIP and WHEP: the bridges
 * register, sessions are placed by region and load, a drained bridge takes no new session, and a
 * bridge killed with SIGKILL has its rooms back on the other bridge within 10 s, with one gap each in
 * the attendance report. The methods run in order: each builds on the bridges' state the previous
 * one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteBridgesIT {
    private static final String SECRET = "the-provinces-bridge-secret-for-tests";
    private static final String HOST_ROOM = "QN-VP";
    /** Bridge A serves Bãi Cháy's region; bridge B takes anyone. */
    private static final String REGION_A = "QN25-BAI-CHAY";
    private static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-MONG-CAI-1", "QN25-CAM-PHA");
    private static final long FAILOVER_MILLIS = 10_000;

    @TempDir
    static Path dir;
    private TestServer t;
    private PeerConnectionFactory factory;
    private String host;
    private BridgeProcesses bridges;
    private BridgeProcesses.Bridge bridgeA;
    private BridgeProcesses.Bridge bridgeB;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();
    /** Session 1: the host and three rooms, all on the first bridge the host's stream went to. */
    private long session1;
    private LibwebrtcPeer publisher1;
    private final Map<String, LibwebrtcPeer> viewers1 = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        List<String> args = new ArrayList<>(TestServer.TESTS_FROM_ONE_ADDRESS);
        // one bridge per session (no cascade): what this class proves; CascadeAcrossBridgesIT spreads sessions
        args.addAll(List.of("--media.bridges=remote", "--bridge.secret=" + SECRET, "--bridge.cascade=false"));
        t = TestServer.start(dir, args.toArray(String[]::new));
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        t.createUser("host.bridges", Role.HOST, null);
        host = t.token("host.bridges", TestServer.passwordOf("host.bridges"));
        bridges = new BridgeProcesses(t.server.httpPort(), SECRET, dir);
        bridgeA = bridges.start("bridge-a", REGION_A, 50);
        bridgeB = bridges.start("bridge-b", "", 50);
        waitUntil(() -> state("bridge-a").equals("ACTIVE") && state("bridge-b").equals("ACTIVE"), 90,
                () -> "both bridges registered: " + t.get("/api/v1/bridges", t.adminToken()).body() + "\nA: " + bridgeA.output()
                        + "\nB: " + bridgeB.output());
    }

    @AfterAll
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        if (factory != null) {
            factory.dispose();
        }
        if (bridges != null) {
            bridges.close();
        }
        if (t != null) {
            t.close();
        }
    }

    @Test
    @Order(1)
    void eachBridgeRegistersWithItsRegionAndCapacityAndTheRegistrationIsAudited() {
        JsonNode list = t.get("/api/v1/bridges", t.adminToken()).json();
        assertThat(list.get("mode").asText()).isEqualTo("remote");
        assertThat(bridge("bridge-a").get("region").asText()).isEqualTo(REGION_A);
        assertThat(bridge("bridge-b").get("region").asText()).isEmpty();
        assertThat(bridge("bridge-a").get("capacity").asInt()).isEqualTo(50);
        assertThat(bridge("bridge-a").get("apiUrl").asText()).startsWith("http://127.0.0.1:");
        JsonNode audit = t.get("/api/v1/audit?limit=50&action=bridge.register", t.adminToken()).json().get("entries");
        List<String> registered = new ArrayList<>();
        audit.forEach(e -> registered.add(e.path("entityType").asText() + "/" + e.path("entityId").asText()));
        assertThat(registered).contains("bridge/bridge-a", "bridge/bridge-b");
    }

    @Test
    @Order(2)
    void theHostsVideoReachesEveryRoomThroughTheBridgeTheSessionWasPlacedOn() throws Exception {
        session1 = t.scheduleOnlineSession("Tiếp công dân qua cầu nối riêng", HOST_ROOM, ROOMS);
        publisher1 = publish(session1);
        waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session1, host).json().get("state").asText()), 30,
                () -> "the host's media reaching the remote bridge makes the session live");
        for (String room : ROOMS) {
            viewers1.put(room, watch(session1, room));
        }
        awaitFrames(viewers1.values(), 60_000);
        // The host has no room, so the bridge without a region took the session; Bãi Cháy's viewer
        // stays with its session there rather than going to its region's bridge (no cascade yet).
        waitUntil(() -> endpoints("bridge-b") == 1 + ROOMS.size() && endpoints("bridge-a") == 0, 20,
                () -> "every endpoint of session 1 on bridge B: " + t.get("/api/v1/bridges", t.adminToken()).body());
    }

    @Test
    @Order(3)
    void aSessionWhoseFirstEndpointIsARoomGoesToThatRoomsRegion() throws Exception {
        long session2 = t.scheduleOnlineSession("Phiên của vùng Bãi Cháy", HOST_ROOM, List.of(REGION_A));
        watch(session2, REGION_A);
        waitUntil(() -> endpoints("bridge-a") == 1, 20,
                () -> "the Bãi Cháy room's endpoint on bridge A: " + t.get("/api/v1/bridges", t.adminToken()).body());
    }

    @Test
    @Order(4)
    void aDrainedBridgeTakesNoNewSessionAndTheDrainIsAudited() throws Exception {
        TestServer.Response refused = t.json("POST", "/api/v1/bridges/bridge-b/drain", host, Map.of());
        assertThat(refused.status()).as("a host may not drain").isEqualTo(403);
        TestServer.Response drained = t.json("POST", "/api/v1/bridges/bridge-b/drain", t.adminToken(), Map.of());
        assertThat(drained.status()).as(drained.body()).isEqualTo(200);
        assertThat(drained.json().get("state").asText()).isEqualTo("DRAINING");
        assertThat(t.json("POST", "/api/v1/bridges/nobody/drain", t.adminToken(), Map.of()).status()).isEqualTo(404);
        JsonNode audit = t.get("/api/v1/audit?limit=5&action=bridge.drain", t.adminToken()).json().get("entries");
        assertThat(audit.get(0).path("entityId").asText()).isEqualTo("bridge-b");
        assertThat(audit.get(0).path("actorUsername").asText()).isEqualTo("admin");

        long session3 = t.scheduleOnlineSession("Phiên sau khi rút cầu B", HOST_ROOM, List.of("QN25-CO-TO"));
        publish(session3);
        waitUntil(() -> endpoints("bridge-a") == 2, 20,
                () -> "the host of session 3 on bridge A although B has no region: " + t.get("/api/v1/bridges", t.adminToken()).body());
        assertThat(state("bridge-b")).isEqualTo("DRAINING");
    }

    @Test
    @Order(5)
    void killingABridgeBringsItsRoomsBackOnAnotherWithinTenSecondsWithOneGapEach() throws Exception {
        // Attendance is timed by the server's hand-moved clock: an hour of session before the failure.
        t.clock.advance(Duration.ofMinutes(60));
        long killedNanos = System.nanoTime();
        bridgeB.kill();

        // What the web client does (webrtc.js): a connection that drops is replaced by a new offer.
        Map<String, LibwebrtcPeer> reconnected = new LinkedHashMap<>();
        LibwebrtcPeer newPublisher = null;
        long deadline = killedNanos + TimeUnit.MILLISECONDS.toNanos(FAILOVER_MILLIS);
        while (System.nanoTime() < deadline && (newPublisher == null || reconnected.size() < ROOMS.size()
                || reconnected.values().stream().anyMatch(v -> v.framesDecoded() == 0))) {
            if (newPublisher == null && dropped(publisher1)) {
                newPublisher = tryPublish(session1);
            }
            for (String room : ROOMS) {
                if (!reconnected.containsKey(room) && dropped(viewers1.get(room))) {
                    LibwebrtcPeer viewer = tryWatch(session1, room);
                    if (viewer != null) {
                        reconnected.put(room, viewer);
                    }
                }
            }
            Thread.sleep(100);
        }
        long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
        assertThat(newPublisher).as("the host republished within %d ms", FAILOVER_MILLIS).isNotNull();
        assertThat(reconnected.keySet()).as("rooms reconnected within %d ms", FAILOVER_MILLIS).containsExactlyInAnyOrderElementsOf(ROOMS);
        assertThat(reconnected.values()).as("every room decodes the host's video again within %d ms (took %d ms)",
                FAILOVER_MILLIS, backMillis).allMatch(v -> v.framesDecoded() > 0);
        System.out.printf("rooms back on bridge A %d ms after bridge B was killed (load %s)%n", backMillis, loadAverage());

        JsonNode b = bridge("bridge-b");
        assertThat(b.get("state").asText()).isEqualTo("DEAD");
        waitUntil(() -> endpoints("bridge-a") == 2 + 1 + ROOMS.size(), 20,
                () -> "session 1 now on bridge A: " + t.get("/api/v1/bridges", t.adminToken()).body());
        t.clock.advance(Duration.ofMinutes(5)); // the rooms' second stretch, after the gap
        for (String room : ROOMS) {
            waitUntil(() -> spans(session1, room).size() == 2, 20, () -> room + "'s attendance: " + attendanceLine(session1, room));
            JsonNode spans = spans(session1, room);
            assertThat(spans.get(0).get("to").asText()).as(room + ": the gap starts when its bridge was last heard")
                    .isLessThan(spans.get(1).get("from").asText());
        }
    }

    // --- peers -------------------------------------------------------------------------------

    private LibwebrtcPeer publish(long session) throws Exception {
        LibwebrtcPeer publisher = tryPublish(session);
        assertThat(publisher).as("the host's WHIP offer answered").isNotNull();
        return publisher;
    }

    /** The host's WHIP offer; null when refused (no bridge can take it yet). */
    private LibwebrtcPeer tryPublish(long session) throws Exception {
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host-" + session + "-" + peers.size()));
        TestServer.Response r = t.send("POST", "/whip/" + session, host, "application/sdp", publisher.createOffer());
        if (r.status() != 201) {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            return null;
        }
        publisher.setAnswer(r.body());
        publisher.startMedia();
        return publisher;
    }

    private LibwebrtcPeer watch(long session, String room) throws Exception {
        LibwebrtcPeer viewer = tryWatch(session, room);
        assertThat(viewer).as(room + "'s WHEP offer answered").isNotNull();
        return viewer;
    }

    private LibwebrtcPeer tryWatch(long session, String room) throws Exception {
        LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, room + "-" + peers.size(), 1));
        TestServer.Response r = t.send("POST", "/whep/" + session, t.joinToken(session, room), "application/sdp", viewer.createOffer());
        if (r.status() != 201) {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            return null;
        }
        viewer.setAnswer(r.body());
        return viewer;
    }

    private static boolean dropped(LibwebrtcPeer peer) {
        RTCPeerConnectionState s = peer.state();
        return s == RTCPeerConnectionState.DISCONNECTED || s == RTCPeerConnectionState.FAILED || s == RTCPeerConnectionState.CLOSED;
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static void awaitFrames(java.util.Collection<LibwebrtcPeer> viewers, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (viewers.stream().allMatch(v -> v.framesDecoded() > 0)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not every viewer decoded a frame: " + viewers.stream().map(v -> v.state() + "/" + v.framesDecoded()).toList());
    }

    // --- control-api's view ------------------------------------------------------------------

    private JsonNode bridge(String id) {
        for (JsonNode b : t.get("/api/v1/bridges", t.adminToken()).json().get("bridges")) {
            if (b.get("id").asText().equals(id)) {
                return b;
            }
        }
        return null;
    }

    private String state(String id) {
        JsonNode b = bridge(id);
        return b == null ? "UNREGISTERED" : b.get("state").asText();
    }

    private int endpoints(String id) {
        JsonNode b = bridge(id);
        return b == null ? -1 : b.get("endpoints").asInt();
    }

    private JsonNode attendanceLine(long session, String room) {
        for (JsonNode line : t.get("/api/v1/sessions/" + session + "/attendance", host).json().get("rooms")) {
            if (line.get("roomCode").asText().equals(room)) {
                return line;
            }
        }
        throw new AssertionError("no attendance line for " + room);
    }

    private JsonNode spans(long session, String room) {
        return attendanceLine(session, room).get("spans");
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void waitUntil(BooleanSupplier condition, int seconds, java.util.function.Supplier<String> what)
            throws InterruptedException {
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
