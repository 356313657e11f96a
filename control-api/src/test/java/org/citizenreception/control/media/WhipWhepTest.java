package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WHIP and WHEP through the real HTTP server and the real bridge, with independent WebRTC peers
 * (media-client: real ICE, DTLS and SRTP over loopback): the host publishes, rooms watch with their
 * join tokens, attendance follows the media, and the floor decides who may publish.
 */
class WhipWhepTest {
    static final String HOST_ROOM = "QN-VP";
    static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-MONG-CAI-1", "QN25-CAM-PHA",
            "QN25-UONG-BI", "QN25-DONG-TRIEU");

    @TempDir
    static Path dir;
    static TestServer t;
    static ClientGroup peers;
    static String host;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        peers = ClientGroup.create();
        t.createUser("host.media", Role.HOST, null);
        host = t.token("host.media", TestServer.passwordOf("host.media"));
    }

    @AfterAll
    static void stop() {
        peers.close();
        t.close();
    }

    private long scheduleSession() {
        return t.scheduleOnlineSession("Tiếp công dân trực tuyến", HOST_ROOM, ROOMS);
    }

    private String joinToken(long session, String room) {
        return t.joinToken(session, room);
    }

    private Signaller whip(long session, String token) {
        return Signaller.http(t.uri("/whip/" + session), token);
    }

    private Signaller whep(long session, String token) {
        return Signaller.http(t.uri("/whep/" + session), token);
    }

    @Test
    void theHostPublishesRoomsWatchWithTheirTokensAndAttendanceFollowsTheMedia() throws Exception {
        long session = scheduleSession();
        Publisher publisher = peers.publisher(PeerOptions.defaults().videoBitrateBps(600_000));
        publisher.connect(whip(session, host)).get(15, TimeUnit.SECONDS);
        // The host's stream reaching the bridge makes the session live.
        waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()),
                "session goes live when the host's media connects");

        List<Viewer> viewers = new ArrayList<>();
        for (String room : ROOMS.subList(0, 3)) {
            Viewer viewer = peers.viewer(PeerOptions.defaults().pliAfterMillis(300));
            viewer.connect(whep(session, joinToken(session, room))).get(15, TimeUnit.SECONDS);
            viewers.add(viewer);
        }
        waitUntil(() -> viewers.stream().allMatch(v -> v.stats().packets("video") > 100
                && v.stats().packets("audio") > 20 && v.stats().keyframesComplete() > 0), "every room receives video and audio");
        viewers.forEach(v -> assertThat(v.stats().srtpAuthFailures()).isZero());
        // the packet path's stages count themselves on /metrics, under fixed names only
        assertThat(stagePackets("receive", "srtp_decrypt")).isPositive();
        assertThat(stagePackets("receive", "fan_out")).isPositive();
        assertThat(stagePackets("send", "send")).isPositive();
        t.clock.advance(Duration.ofMinutes(5)); // the report counts time connected while live

        List<Map<?, ?>> roomStats = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = t.server.services().domain().events().subscribe(session, e -> {
            if ("room.stats".equals(e.type()) && e.staffView() instanceof Map<?, ?> view) {
                roomStats.add(view);
            }
        })) {
            waitUntil(() -> roomStats.stream().anyMatch(v -> ROOMS.get(0).equals(v.get("room"))
                    && ((Number) v.get("bitrateKbps")).longValue() > 0), "the host's wall gets each room's traffic");
        }
        assertThat(roomStats).allSatisfy(v -> assertThat(v.get("room")).isIn(ROOMS.subList(0, 3)));

        waitUntil(() -> {
            JsonNode report = t.get("/api/v1/sessions/" + session + "/attendance", host).json();
            return report.get("present").asInt() == 3;
        }, "attendance lists the three connected rooms as present");

        assertThat(roomLine(session, ROOMS.get(0)).get("connectedNow").asBoolean()).isTrue();
        viewers.get(0).close(); // WHEP DELETE
        waitUntil(() -> !roomLine(session, ROOMS.get(0)).get("connectedNow").asBoolean(),
                "a room that leaves is no longer connected");
        assertThat(roomLine(session, ROOMS.get(0)).get("lastDisconnected").isNull()).isFalse();
        assertThat(roomLine(session, ROOMS.get(1)).get("connectedNow").asBoolean()).isTrue();
        viewers.subList(1, 3).forEach(Viewer::close);
        publisher.close();
    }

    @Test
    void aRoomPublishesIntoTheGuestSlotOnlyWhileItHoldsTheFloor() throws Exception {
        long session = scheduleSession();
        Publisher hostPublisher = peers.publisher(PeerOptions.defaults().videoBitrateBps(400_000));
        hostPublisher.connect(whip(session, host)).get(15, TimeUnit.SECONDS);
        waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()), "live");

        String roomToken = joinToken(session, ROOMS.get(1));
        String offerWithoutFloor = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        TestServer.Response refused = t.send("POST", "/whip/" + session, roomToken, "application/sdp", offerWithoutFloor);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("floor");

        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/hands", roomToken, Map.of()).status()).isBetween(200, 201);
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOMS.get(1))).status())
                .isEqualTo(200);

        Publisher guest = peers.publisher(PeerOptions.defaults().videoBitrateBps(300_000));
        guest.connect(whip(session, roomToken)).get(15, TimeUnit.SECONDS);
        waitUntil(() -> guest.stats().videoPackets() > 50, "the guest room sends media");
        waitUntil(() -> roomLine(session, ROOMS.get(1)).get("connectedNow").asBoolean(), "the guest room is connected");

        // Revoking the floor closes the room's guest endpoint: its WHIP resource is gone.
        assertThat(t.send("DELETE", "/api/v1/sessions/" + session + "/floor", host, null, (String) null).status()).isEqualTo(200);
        assertThat(t.send("POST", "/whip/" + session, roomToken, "application/sdp", offerWithoutFloor).status())
                .as("after the revoke the room may not publish again").isEqualTo(403);
        waitUntil(() -> !roomLine(session, ROOMS.get(1)).get("connectedNow").asBoolean(),
                "the revoke closed the room's guest endpoint");
        guest.close();
        hostPublisher.close();
    }

    @Test
    void badRequestsAreProblemsAndChangeNothing() {
        long session = scheduleSession();
        TestServer.Response noToken = t.send("POST", "/whep/" + session, null, "application/sdp", "v=0\r\n");
        assertThat(noToken.status()).isEqualTo(401);
        TestServer.Response wrongType = t.send("POST", "/whep/" + session, host, "application/json", "{}");
        assertThat(wrongType.status()).isEqualTo(415);
        TestServer.Response garbage = t.send("POST", "/whep/" + session, host, "application/sdp", "hello");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("errors").get(0).get("field").asText()).isEqualTo("body");
        TestServer.Response noBundle = t.send("POST", "/whep/" + session, host, "application/sdp",
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
                        + "a=rtpmap:111 opus/48000/2\r\na=recvonly\r\n");
        assertThat(noBundle.status()).isEqualTo(422);
        assertThat(noBundle.contentType()).startsWith("application/problem+json");

        String otherRoom = joinToken(scheduleSession(), ROOMS.get(2));
        assertThat(t.send("POST", "/whep/" + session, otherRoom, "application/sdp", "v=0\r\n").status()).isEqualTo(403);
        assertThat(t.send("DELETE", "/whep/" + session + "/no-such-endpoint", host, null, (String) null).status()).isEqualTo(404);
        assertThat(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()).isEqualTo("SCHEDULED");
    }

    /**
     * Offers the bridge cannot serve: 422 (the SDP is well-formed, its content is what cannot be
     * served) as problem+json naming the body and the reason; nothing is left behind: no endpoint
     * in the bridge, no attendance event, the session still scheduled.
     */
    @Test
    void offersTheBridgeCannotServeAre422NamingTheReasonAndLeaveNothingBehind() {
        long session = scheduleSession();
        String room = ROOMS.get(3);
        String roomToken = joinToken(session, room);
        long endpointsBefore = activeEndpoints();
        long attendanceEventsBefore = t.count("attendance_events");
        record Spoiled(String what, java.util.function.UnaryOperator<String> spoil, String reason) {
        }
        List<Spoiled> cases = List.of(
                new Spoiled("no common codec", sdp -> sdp.replace("opus/48000/2", "PCMU/8000").replace("VP8/90000", "AV1/90000"),
                        "no codec in common"),
                new Spoiled("no BUNDLE", sdp -> sdp.replaceAll("a=group:BUNDLE[^\\r\\n]*\\r\\n", ""), "BUNDLE"),
                new Spoiled("no DTLS fingerprint", sdp -> sdp.replaceAll("a=fingerprint:[^\\r\\n]*\\r\\n", ""), "fingerprint"));
        for (Spoiled c : cases) {
            for (boolean publish : List.of(true, false)) {
                String offer = c.spoil().apply(offer(publish));
                TestServer.Response r = t.send("POST", (publish ? "/whip/" : "/whep/") + session, publish ? host : roomToken,
                        "application/sdp", offer);
                String what = (publish ? "WHIP " : "WHEP ") + c.what();
                assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(422);
                assertThat(r.contentType()).as(what).startsWith("application/problem+json");
                assertThat(r.headers().firstValue("Location")).as(what).isEmpty();
                JsonNode problem = r.json();
                assertThat(problem.get("detail").asText()).as(what).contains(c.reason());
                assertThat(problem.get("errors").get(0).get("field").asText()).as(what).isEqualTo("body");
                assertThat(problem.get("errors").get(0).get("message").asText()).as(what).contains(c.reason());
            }
        }
        assertThat(activeEndpoints()).as("bridge endpoints").isEqualTo(endpointsBefore);
        assertThat(t.count("attendance_events")).as("attendance events").isEqualTo(attendanceEventsBefore);
        assertThat(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()).isEqualTo("SCHEDULED");
        assertThat(roomLine(session, room).get("presence").asText()).isEqualTo("ABSENT");
    }

    /**
     * PATCH (RFC 9725 §4.3) against a real endpoint: the 201 names its ICE session with an ETag;
     * trickle (same ufrag) is 204; a restart (new ufrag) is 200 with the bridge's new ufrag/pwd and
     * a new ETag; a PATCH without If-Match is 428, with an old ETag 412, of another type 415, to an
     * endpoint that does not exist 404.
     */
    @Test
    void patchTricklesAndRestartsIceOnlyForTheCurrentIceSession() {
        long session = scheduleSession();
        String offer = offer(false);
        TestServer.Response created = t.send("POST", "/whep/" + session, host, "application/sdp", offer);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        String firstTag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(firstTag).matches("\"[0-9a-f]{32}\"");
        String clientUfrag = SessionMedia.iceUfrag(offer).orElseThrow();
        String serverUfrag = SessionMedia.iceUfrag(created.body()).orElseThrow();

        String trickle = "a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:" + clientUfrag
                + "\r\na=ice-pwd:unchangedpassword0123456789\r\na=candidate:2 1 udp 2122260223 192.0.2.7 61764 typ host\r\n";
        TestServer.Response trickled = patch(location, trickle, Map.of("If-Match", firstTag));
        assertThat(trickled.status()).as(trickled.body()).isEqualTo(204);
        assertThat(trickled.headers().firstValue("ETag")).contains(firstTag);

        assertThat(patch(location, trickle, Map.of()).status()).as("no If-Match").isEqualTo(428);
        TestServer.Response stale = patch(location, trickle, Map.of("If-Match", "\"not-this-ice-session\""));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.contentType()).startsWith("application/problem+json");
        assertThat(stale.json().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
        assertThat(t.send("PATCH", location, host, "application/sdp", trickle, Map.of("If-Match", firstTag)).status())
                .as("wrong content type").isEqualTo(415);
        assertThat(patch("/whep/" + session + "/no-such-endpoint", trickle, Map.of("If-Match", "*")).status()).isEqualTo(404);

        String restart = "a=ice-ufrag:newufrag\r\na=ice-pwd:restartedpassword0123456789\r\n";
        assertThat(patch(location, "a=ice-ufrag:newufrag\r\n", Map.of("If-Match", "*")).status())
                .as("a new ufrag without its password").isEqualTo(400);
        TestServer.Response restarted = patch(location, restart, Map.of("If-Match", "*"));
        assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
        assertThat(restarted.contentType()).startsWith("application/trickle-ice-sdpfrag");
        assertThat(restarted.body()).contains("a=ice-ufrag:", "a=ice-pwd:").doesNotContain("a=ice-ufrag:" + serverUfrag);
        String secondTag = restarted.headers().firstValue("ETag").orElseThrow();
        assertThat(secondTag).isNotEqualTo(firstTag);

        assertThat(patch(location, restart.replace("newufrag", "thirdufrag"), Map.of("If-Match", firstTag)).status())
                .as("a restart meant for the first ICE session").isEqualTo(412);
        assertThat(patch(location, restart, Map.of("If-Match", secondTag)).status())
                .as("trickle in the restarted session repeats its ufrag").isEqualTo(204);
        assertThat(t.send("DELETE", location, host, null, (String) null).status()).isEqualTo(200);
        assertThat(patch(location, restart, Map.of("If-Match", "*")).status()).as("after DELETE").isEqualTo(404);
    }

    /** RFC 9725 §4.6: each configured STUN/TURN server is a Link header on the 201, TURN with its credential. */
    @Test
    void configuredIceServersAreLinkHeadersOnThe201(@TempDir Path ownDir) {
        try (TestServer withIce = TestServer.start(ownDir, "--media.ice-servers=stun:stun.example.vn:3478,turn:turn.example.vn:3478?transport=udp",
                "--media.turn-username=reception", "--media.turn-credential=pa\"ss")) {
            withIce.createUser("host.ice", Role.HOST, null);
            String hostToken = withIce.token("host.ice", TestServer.passwordOf("host.ice"));
            Instant start = withIce.clock.instant().plus(Duration.ofMinutes(10));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("title", "ICE servers");
            body.put("scheduledStart", start.toString());
            body.put("scheduledEnd", start.plus(Duration.ofHours(1)).toString());
            body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
            body.put("hostRoomCode", HOST_ROOM);
            body.put("invitation", Map.of("type", "LIST", "rooms", ROOMS));
            body.put("mode", "ONLINE");
            body.put("recording", false);
            long session = withIce.json("POST", "/api/v1/sessions", withIce.adminToken(), body).json().get("id").asLong();
            for (String prefix : List.of("/whip/", "/whep/")) {
                TestServer.Response r = withIce.send("POST", prefix + session, hostToken, "application/sdp", offer(prefix.equals("/whip/")));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                assertThat(r.headers().allValues("Link")).as(prefix).containsExactly(
                        "<stun:stun.example.vn:3478>; rel=\"ice-server\"",
                        "<turn:turn.example.vn:3478?transport=udp>; rel=\"ice-server\"; username=\"reception\"; "
                                + "credential=\"pa\\\"ss\"; credential-type=\"password\"");
                assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Link", "ETag");
            }
        }
        // And without configured servers (this class's own server), no Link at all.
        TestServer.Response plain = t.send("POST", "/whep/" + scheduleSession(), host, "application/sdp", offer(false));
        assertThat(plain.status()).isEqualTo(201);
        assertThat(plain.headers().allValues("Link")).isEmpty();
        assertThat(t.send("DELETE", plain.headers().firstValue("Location").orElseThrow(), host, null, (String) null).status())
                .isEqualTo(200);
    }

    private TestServer.Response patch(String location, String fragment, Map<String, String> headers) {
        return t.send("PATCH", location, host, "application/trickle-ice-sdpfrag", fragment, headers);
    }

    /** A real WebRTC offer's shape (media-client's builder); it never connects, what is tested is the answer to it. */
    private static String offer(boolean publisher) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder fingerprint = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fingerprint.append(i == 0 ? "" : ":").append(String.format("%02X", r.nextInt(256)));
        }
        SdpOfferBuilder b = new SdpOfferBuilder().ice("u" + r.nextInt(1_000_000), "p" + Long.toHexString(r.nextLong()) + "0123456789abcdef")
                .fingerprint(fingerprint.toString()).candidate("127.0.0.1", 40000 + r.nextInt(20000));
        return (publisher ? b.sendOnly(r.nextInt() & 0x7fffffffL, r.nextInt() & 0x7fffffffL, r.nextInt() & 0x7fffffffL, "test")
                : b.recvOnly()).build();
    }

    /** Packets that entered one stage of the bridge's packet path, from the Prometheus text. */
    private static double stagePackets(String direction, String stage) {
        for (String line : t.get("/metrics", null).body().split("\n")) {
            if (line.startsWith("reception_media_stage_packets_total{") && line.contains("direction=\"" + direction + "\"")
                    && line.contains("stage=\"" + stage + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no reception_media_stage_packets_total for " + direction + "/" + stage + " in /metrics");
    }

    /** The bridge's own count of open endpoints, from the Prometheus text. */
    private static long activeEndpoints() {
        for (String line : t.get("/metrics", null).body().split("\n")) {
            if (line.startsWith("reception_media_active_endpoints ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no reception_media_active_endpoints in /metrics");
    }

    private static JsonNode roomLine(long session, String room) {
        for (JsonNode line : t.get("/api/v1/sessions/" + session + "/attendance", host).json().get("rooms")) {
            if (line.get("roomCode").asText().equals(room)) {
                return line;
            }
        }
        throw new AssertionError("no attendance line for " + room);
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
