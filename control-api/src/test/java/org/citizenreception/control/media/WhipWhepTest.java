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
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.user.Role;
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
    static final List<String> ROOMS = List.of("QN24-HLG-BAI-CHAY", "QN24-MCA-TRA-CO", "QN24-CPH-CAM-BINH",
            "QN24-UBI-BAC-SON", "QN24-DTR-DONG-TRIEU");

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
        Instant start = t.clock.instant().plus(Duration.ofMinutes(10));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân trực tuyến");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", HOST_ROOM);
        body.put("invitation", Map.of("type", "LIST", "rooms", ROOMS));
        body.put("mode", "ONLINE");
        body.put("recording", false);
        TestServer.Response created = t.json("POST", "/api/v1/sessions", t.adminToken(), body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private String joinToken(long session, String room) {
        TestServer.Response issued = t.json("POST", "/api/v1/sessions/" + session + "/rooms/" + room + "/join-token",
                t.adminToken(), Map.of());
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("token").asText();
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
