package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.BridgeNetwork;
import org.citizenreception.control.testing.BridgeProcesses;
import org.citizenreception.control.testing.EventsClient;
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
 * Issue 16's scene through the product: control-api ({@code media.bridges = remote}, cascade on) and
 * three bridge processes ({@code --bridge.role=bridge}), each in a network namespace of its own with
 * an address the test assigns ({@link BridgeNetwork}): the root serves the province (the session's
 * host room, QN-VP), leaf a the district of Đông Triều, leaf b Quảng Yên (the 2024 directory, which has
 * districts between the province and the communes). The host publishes through WHIP (a libwebrtc peer
 * with the presiding host's account); 30 rooms of the two districts watch through WHEP, each with its
 * own join token: per leaf 14 lightweight viewers (real ICE, DTLS-SRTP and RTP) and one libwebrtc
 * decoder. Control-api places each room on its district's bridge and makes that bridge cascade from
 * the root. Then the floor crosses the cascade both ways: a room of leaf a, decoded on the root and
 * on leaf b; a room on the root, decoded on both leaves. Last, leaf a is killed (SIGKILL): its viewers
 * re-offer when told (endpoint.moved, as webrtc.js does) and decode again from another bridge within
 * 10 s, and the attendance report shows one gap for each of its rooms and none for the others'.
 * The methods run in order, each on the state the previous one left. Needs root (ip netns).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CascadeAcrossBridgesIT {
    private static final String SECRET = "the-cascade-bridges-secret-for-tests";
    private static final BridgeToken TOKENS = new BridgeToken(SECRET);
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private static final String PROVINCE = "QN-VP";
    private static final String REGION_A = "QN24-DTR";
    private static final String REGION_B = "QN24-QYE";
    private static final String REGION_ROOT_ROOM = "QN24-HLG";
    private static final int ROOMS_PER_LEAF = 15;
    private static final long FAILOVER_MILLIS = 10_000;
    /** The floor rooms publish pictures of different widths: a decoder's guest track shows whose it is. */
    private static final int LEAF_ROOM_WIDTH = 640;
    private static final int ROOT_ROOM_WIDTH = 160;

    @TempDir
    static Path dir;
    private BridgeNetwork network;
    private TestServer t;
    private BridgeProcesses bridges;
    private PeerConnectionFactory factory;
    private String host;
    private long session;
    private final List<String> roomsA = new ArrayList<>();
    private final List<String> roomsB = new ArrayList<>();
    private String rootRoom;
    private final Map<String, String> joinTokens = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ClientGroup clients;
    /** Each room's viewer now and the WHEP endpoint id it has. */
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private LibwebrtcPeer rootDecoder;
    private EventsClient events;

    /** A room's viewer: a lightweight one or a libwebrtc decoder. */
    private record Viewer(String room, String endpointId, org.citizenreception.client.Viewer light, LibwebrtcPeer decoder) {
        boolean receiving() {
            return light != null ? light.stats().joinToKeyframeNanos() > 0 && light.stats().packets("video") > 50
                    : decoder.track("1") != null && decoder.track("1").frames() > 10;
        }
    }

    @BeforeAll
    void start() throws Exception {
        Optional<String> unavailable = BridgeNetwork.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        network = BridgeNetwork.create();
        List<String> args = new ArrayList<>(TestServer.TESTS_FROM_ONE_ADDRESS);
        // the bridges register from their namespaces: control-api listens beyond loopback for them
        args.addAll(List.of("--http.host=0.0.0.0", "--media.bridges=remote", "--bridge.secret=" + SECRET,
                "--rooms.directory=" + TestServer.configFile("rooms-2024.csv")));
        t = TestServer.startOn(Instant.parse("2025-03-03T01:00:00Z"), dir, args.toArray(String[]::new));
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        t.adminToken(); // signed in once, before three bridge JVMs start and load the machine
        bridges = new BridgeProcesses(t.server.httpPort(), SECRET, dir);
        startBridge("bridge-root", PROVINCE);
        startBridge("bridge-a", REGION_A);
        startBridge("bridge-b", REGION_B);
        waitUntil(() -> List.of("bridge-root", "bridge-a", "bridge-b").stream().allMatch(id -> "ACTIVE".equals(state(id))), 180,
                () -> "all three bridges registered: " + t.get("/api/v1/bridges", t.adminToken()).body()
                        + "\nroot: " + bridges.started("bridge-root").output() + "\na: " + bridges.started("bridge-a").output());
        t.createUser("host.cascade", Role.HOST, null);
        host = t.token("host.cascade", TestServer.passwordOf("host.cascade"));
        for (String line : TestServer.readConfigFile("rooms-2024.csv").split("\n")) {
            String[] cells = line.split(",");
            if (line.startsWith("#") || cells.length < 4) {
                continue;
            }
            if (cells[3].equals(REGION_A) && roomsA.size() < ROOMS_PER_LEAF) {
                roomsA.add(cells[0]);
            } else if (cells[3].equals(REGION_B) && roomsB.size() < ROOMS_PER_LEAF) {
                roomsB.add(cells[0]);
            } else if (cells[3].equals(REGION_ROOT_ROOM) && rootRoom == null) {
                rootRoom = cells[0];
            }
        }
        assertThat(roomsA).hasSize(ROOMS_PER_LEAF);
        assertThat(roomsB).hasSize(ROOMS_PER_LEAF);
        List<String> invited = new ArrayList<>(roomsA);
        invited.addAll(roomsB);
        invited.add(rootRoom);
        session = t.scheduleOnlineSession("Tiếp công dân qua ba cầu nối xếp tầng", PROVINCE, invited);
        clients = ClientGroup.create();
    }

    private void startBridge(String id, String region) throws Exception {
        String[] machine = network.addMachine(id.substring("bridge-".length()));
        bridges.startInNamespace(id, region, 100, machine[0], machine[1], network.hostAddress());
    }

    @AfterAll
    void stop() {
        if (events != null) {
            events.close();
        }
        viewers.values().forEach(v -> {
            if (v.light() != null) {
                v.light().close();
            }
        });
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                System.out.println("closing " + c + ": " + e);
            }
        }
        if (clients != null) {
            clients.close();
        }
        if (factory != null) {
            factory.dispose();
        }
        if (bridges != null) {
            bridges.close();
        }
        if (t != null) {
            t.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void thirtyViewersOnTheTwoLeafBridgesReceiveTheHostsVideoFromTheRoot() throws Exception {
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host-cascade"));
        TestServer.Response published = t.send("POST", "/whip/" + session, host, "application/sdp", publisher.createOffer());
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        publisher.setAnswer(published.body());
        publisher.startMedia();
        waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()), 30,
                () -> "the host's media reaching the root bridge makes the session live");
        events = EventsClient.open(t, session, host);

        List<Viewer> watching = new ArrayList<>();
        for (List<String> rooms : List.of(roomsA, roomsB)) {
            watching.add(watch(rooms.get(0), true));
            for (String room : rooms.subList(1, rooms.size())) {
                watching.add(watch(room, false));
            }
        }
        rootDecoder = watch(rootRoom, true).decoder();
        waitUntil(() -> watching.stream().allMatch(Viewer::receiving) && rootDecoder.framesDecoded() > 10, 90,
                () -> "every leaf viewer has the host's video: " + watching.stream().filter(v -> !v.receiving()).map(Viewer::room).toList());
        assertThat(watching).hasSize(2 * ROOMS_PER_LEAF);

        // each room on its district's bridge; the root carries the host, the root room and the two links
        for (Viewer v : watching) {
            String expected = roomsA.contains(v.room()) ? "bridge-a" : "bridge-b";
            assertThat(bridgeOf(v.room())).as(v.room() + "'s bridge on the host's wall").isEqualTo(expected);
        }
        assertThat(bridgeOf(rootRoom)).isEqualTo("bridge-root");
        // each leaf subscribes to the root once (a link: one endpoint down, one up), not once per viewer
        List<String> atRoot = conferenceEndpoints("bridge-root");
        assertThat(atRoot.stream().filter(e -> e.startsWith("link:")).count()).as("the root's endpoints: " + atRoot).isEqualTo(4);
        assertThat(atRoot).hasSize(4 + 2);
    }

    @Test
    @Order(2)
    void aLeafRoomGivenTheFloorIsDecodedOnTheRootAndOnTheOtherLeaf() throws Exception {
        String speaking = roomsA.get(0);
        LibwebrtcPeer decoderB = viewers.get(roomsB.get(0)).decoder();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", speaking)).status()).isEqualTo(200);
        LibwebrtcPeer guest = track(LibwebrtcPeer.sizedPublisher(factory, "guest-a", LEAF_ROOM_WIDTH, LEAF_ROOM_WIDTH * 9 / 16));
        TestServer.Response r = t.send("POST", "/whip/" + session, joinToken(speaking), "application/sdp", guest.createOffer());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        guest.setAnswer(r.body());
        guest.startMedia();
        int rootBefore = guestFrames(rootDecoder);
        int bBefore = guestFrames(decoderB);
        waitUntil(() -> guestFrames(rootDecoder) > rootBefore + 30 && guestFrames(decoderB) > bBefore + 30, 60,
                () -> "room " + speaking + "'s video decoded on the root (" + guestFrames(rootDecoder) + " frames) and on leaf b ("
                        + guestFrames(decoderB) + ")");
        assertThat(rootDecoder.track("3").lastWidth()).as("the root shows leaf a's room").isGreaterThan(ROOT_ROOM_WIDTH);
        assertThat(decoderB.track("3").lastWidth()).as("leaf b shows leaf a's room").isGreaterThan(ROOT_ROOM_WIDTH);
        assertThat(bridgeHolding(endpointId(r))).as("the room publishes on its own bridge").isEqualTo("bridge-a");

        // the test clock stands still unless moved: a minute on the floor, so the guest's stretch has a length
        awaitEvent("room.connected", endpointId(r), 20);
        t.clock.advance(Duration.ofMinutes(1));
        // the floor ends: the room's guest stream with it
        assertThat(t.send("DELETE", "/api/v1/sessions/" + session + "/floor", host, null, (String) null).status()).isEqualTo(200);
        String location = r.headers().firstValue("Location").orElseThrow();
        t.send("DELETE", location, joinToken(speaking), null, (String) null);
        guest.close();
    }

    @Test
    @Order(3)
    void aRootRoomGivenTheFloorIsDecodedOnBothLeaves() throws Exception {
        LibwebrtcPeer decoderA = viewers.get(roomsA.get(0)).decoder();
        LibwebrtcPeer decoderB = viewers.get(roomsB.get(0)).decoder();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", rootRoom)).status()).isEqualTo(200);
        LibwebrtcPeer guest = track(LibwebrtcPeer.sizedPublisher(factory, "guest-root", ROOT_ROOM_WIDTH, ROOT_ROOM_WIDTH * 9 / 16));
        TestServer.Response r = t.send("POST", "/whip/" + session, joinToken(rootRoom), "application/sdp", guest.createOffer());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        guest.setAnswer(r.body());
        guest.startMedia();
        waitUntil(() -> widthNow(decoderA) == ROOT_ROOM_WIDTH && widthNow(decoderB) == ROOT_ROOM_WIDTH, 60,
                () -> "the root room's picture (" + ROOT_ROOM_WIDTH + " wide) decoded on leaf a (" + widthNow(decoderA)
                        + ") and leaf b (" + widthNow(decoderB) + ")");
        int aBefore = guestFrames(decoderA);
        int bBefore = guestFrames(decoderB);
        waitUntil(() -> guestFrames(decoderA) > aBefore + 30 && guestFrames(decoderB) > bBefore + 30, 30,
                () -> "the root room's video keeps coming on both leaves");
        assertThat(bridgeHolding(endpointId(r))).isEqualTo("bridge-root");
    }

    @Test
    @Order(4)
    void killingLeafABringsItsViewersBackOnAnotherBridgeWithinTenSecondsWithOneGapEach() throws Exception {
        // Attendance is timed by the server's hand-moved clock: an hour of session before the failure.
        t.clock.advance(Duration.ofMinutes(60));
        events.messages.clear();
        Map<String, Viewer> onA = new LinkedHashMap<>();
        roomsA.forEach(room -> onA.put(room, viewers.get(room)));
        long killedNanos = System.nanoTime();
        bridges.started("bridge-a").kill();

        // What the web client does (webrtc.js followMove): told its endpoint moved, it posts a new offer.
        ExecutorService reoffers = Executors.newFixedThreadPool(8);
        Map<String, Future<Viewer>> back = new LinkedHashMap<>();
        long deadline = killedNanos + TimeUnit.MILLISECONDS.toNanos(FAILOVER_MILLIS + 5_000);
        try {
            while (back.size() < onA.size() && System.nanoTime() < deadline) {
                JsonNode message = events.messages.poll(200, TimeUnit.MILLISECONDS);
                if (message == null || !"endpoint.moved".equals(message.path("type").asText())) {
                    continue;
                }
                for (Viewer v : onA.values()) {
                    if (!back.containsKey(v.room()) && message.toString().contains("\"" + v.endpointId() + "\"")) {
                        back.put(v.room(), reoffers.submit(() -> watch(v.room(), v.decoder() != null)));
                    }
                }
            }
            assertThat(back.keySet()).as("every room of leaf a was told its endpoint moved").containsExactlyInAnyOrderElementsOf(roomsA);
            List<Viewer> again = new ArrayList<>();
            for (Future<Viewer> f : back.values()) {
                again.add(f.get(FAILOVER_MILLIS, TimeUnit.MILLISECONDS));
            }
            waitUntil(() -> again.stream().allMatch(Viewer::receiving), (int) (FAILOVER_MILLIS / 1000),
                    () -> "leaf a's viewers receive again: " + again.stream().filter(v -> !v.receiving()).map(Viewer::room).toList());
            long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
            System.out.printf("leaf a's %d viewers receive again %d ms after it was killed (load %s)%n", again.size(), backMillis,
                    loadAverage());
            assertThat(backMillis).as("every viewer of leaf a receives again within %d ms of the kill", FAILOVER_MILLIS)
                    .isLessThanOrEqualTo(FAILOVER_MILLIS);
            for (Viewer v : again) {
                assertThat(bridgeOf(v.room())).as(v.room() + " now on another bridge").isIn("bridge-root", "bridge-b");
            }
        } finally {
            reoffers.shutdownNow();
        }
        assertThat(state("bridge-a")).isEqualTo("DEAD");

        t.clock.advance(Duration.ofMinutes(5)); // the rooms' second stretch, after the gap
        for (String room : roomsA) {
            waitUntil(() -> spans(room).size() == 2, 20, () -> room + "'s attendance: " + attendanceLine(room) + "\nevents: "
                    + attendanceEvents(room) + "\nevery room of leaf a: " + roomsA.stream().map(r -> r + "=" + spans(r).size()).toList());
            JsonNode spans = spans(room);
            assertThat(spans.get(0).get("to").asText()).as(room + ": one gap, from when its bridge was last heard")
                    .isLessThan(spans.get(1).get("from").asText());
        }
        for (String room : roomsB) {
            assertThat(spans(room)).as(room + " on leaf b had no gap").hasSize(1);
        }
        JsonNode rooms = t.get("/api/v1/sessions/" + session + "/attendance", host).json().get("rooms");
        rooms.forEach(line -> assertThat(line.get("roomCode").asText()).as("the links' endpoints are no rooms").doesNotStartWith("link:"));
    }

    // --- viewers -------------------------------------------------------------------------------

    /** A room's WHEP viewer: a libwebrtc decoder (program and guest) or a lightweight one (program). */
    private Viewer watch(String room, boolean decoder) throws Exception {
        Viewer v;
        if (decoder) {
            LibwebrtcPeer peer = track(LibwebrtcPeer.viewer(factory, room + "-" + System.nanoTime(), 2));
            TestServer.Response r = t.send("POST", "/whep/" + session, joinToken(room), "application/sdp", peer.createOffer());
            assertThat(r.status()).as(room + ": " + r.body()).isEqualTo(201);
            peer.setAnswer(r.body());
            v = new Viewer(room, endpointId(r), null, peer);
        } else {
            org.citizenreception.client.Viewer light = clients.viewer(PeerOptions.defaults().bindHost(network.hostAddress())
                    .pliAfterMillis(300));
            String[] location = new String[1];
            Signaller whep = offer -> {
                TestServer.Response r = t.send("POST", "/whep/" + session, joinToken(room), "application/sdp", offer);
                if (r.status() != 201) {
                    throw new IOException(room + ": " + r.status() + " " + r.body());
                }
                location[0] = endpointId(r);
                return r.body();
            };
            try {
                light.connect(whep).get(FAILOVER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                light.close();
                throw e;
            }
            v = new Viewer(room, location[0], light, null);
        }
        Viewer old = viewers.put(room, v);
        if (old != null && old != v && old.light() != null) {
            old.light().close();
        }
        return v;
    }

    /** Waits for a live event of {@code type} naming {@code endpointId} (attendance has recorded it). */
    private void awaitEvent(String type, String endpointId, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            JsonNode message = events.messages.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && type.equals(message.path("type").asText()) && message.toString().contains("\"" + endpointId + "\"")) {
                return;
            }
        }
        throw new AssertionError("no " + type + " event for endpoint " + endpointId + " within " + seconds + " s");
    }

    private static String endpointId(TestServer.Response r) {
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private String joinToken(String room) {
        return joinTokens.computeIfAbsent(room, r -> t.joinToken(session, r));
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        synchronized (closeables) {
            closeables.add(peer);
        }
        return peer;
    }

    private static int guestFrames(LibwebrtcPeer decoder) {
        return decoder.track("3") == null ? 0 : decoder.track("3").frames();
    }

    private static int widthNow(LibwebrtcPeer decoder) {
        return decoder.track("3") == null ? 0 : decoder.track("3").lastWidth();
    }

    // --- control-api's view --------------------------------------------------------------------

    /** The bridge whose conference has the room's viewer now, asked of the bridges' own API. */
    private String bridgeOf(String room) {
        return bridgeHolding(viewers.get(room).endpointId());
    }

    private String bridgeHolding(String endpointId) {
        for (String id : List.of("bridge-root", "bridge-a", "bridge-b")) {
            if (conferenceEndpoints(id).contains(endpointId)) {
                return id;
            }
        }
        return "none";
    }

    /** The endpoints of the session's conference on bridge {@code id}, as its API lists them; empty when it is not there. */
    private List<String> conferenceEndpoints(String id) {
        JsonNode b = bridge(id);
        List<String> endpoints = new ArrayList<>();
        if (b != null && "ACTIVE".equals(b.get("state").asText())) {
            try {
                java.net.http.HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(b.get("apiUrl").asText() + "/bridge/v1/conferences/session-" + session))
                        .header("Authorization", "Bearer " + TOKENS.mint(id, BridgeToken.TO_BRIDGE, Instant.now()))
                        .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("endpoints").forEach(e -> endpoints.add(e.asText()));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return endpoints;
    }

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

    private JsonNode attendanceLine(String room) {
        for (JsonNode line : t.get("/api/v1/sessions/" + session + "/attendance", host).json().get("rooms")) {
            if (line.get("roomCode").asText().equals(room)) {
                return line;
            }
        }
        throw new AssertionError("no attendance line for " + room);
    }

    /** The room's attendance events as stored, for a failure message. */
    private String attendanceEvents(String room) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("reception.db"));
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT endpoint_id, kind, at, reason FROM attendance_events"
                     + " WHERE session_id = ? AND room_code = ? ORDER BY id")) {
            ps.setLong(1, session);
            ps.setString(2, room);
            List<String> rows = new ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            return String.join("; ", rows);
        } catch (java.sql.SQLException e) {
            return "(not readable: " + e.getMessage() + ")";
        }
    }

    private JsonNode spans(String room) {
        return attendanceLine(room).get("spans");
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
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
