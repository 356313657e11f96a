package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.sdp.MediaKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who shares on the stage, through the real server and bridge (offers are real WebRTC offers; the
 * decisions, the stage's view and its live event are what is tested, media flowing is
 * {@code ContentShareIT}'s): the host, or the room holding the floor only while it holds it; a new
 * share replaces the previous one; the host stops any share and chooses the layout.
 */
class ContentShareApiTest {
    static final String HOST_ROOM = "QN-VP";
    static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-MONG-CAI-1");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    static Path dir;
    static TestServer t;
    static String host;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.content", Role.HOST, null);
        host = t.token("host.content", TestServer.passwordOf("host.content"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void theHostOrTheRoomHoldingTheFloorSharesANewShareReplacesTheLastAndLosingTheFloorEndsIt() throws Exception {
        long session = liveSession();
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = t.server.services().domain().events().subscribe(session, e -> {
            if ("stage.changed".equals(e.type())) {
                events.add(JSON.valueToTree(e.roomView()));
            }
        })) {
            assertThat(stage(session).get("content").isNull()).as("nobody shares at first").isTrue();
            assertThat(stage(session).get("layout").asText()).isEqualTo("CONTENT_BESIDE_SPEAKER");

            TestServer.Response hostShare = share(session, host);
            assertThat(hostShare.status()).isEqualTo(201);
            assertThat(stage(session).get("content").get("sharedBy").asText()).isEqualTo("HOST");
            assertThat(events).last().satisfies(e -> assertThat(e.get("content").get("sharedBy").asText()).isEqualTo("HOST"));

            String roomToken = t.joinToken(session, ROOMS.get(0));
            TestServer.Response refused = share(session, roomToken);
            assertThat(refused.status()).as("a room without the floor").isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asText()).contains("floor");
            assertThat(stage(session).get("content").get("sharedBy").asText()).as("the refusal changed nothing").isEqualTo("HOST");

            assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOMS.get(0))).status())
                    .isEqualTo(200);
            TestServer.Response roomShare = share(session, roomToken);
            assertThat(roomShare.status()).isEqualTo(201);
            JsonNode content = stage(session).get("content");
            assertThat(content.get("sharedBy").asText()).isEqualTo("ROOM");
            assertThat(content.get("roomCode").asText()).isEqualTo(ROOMS.get(0));
            assertThat(t.send("PATCH", location(hostShare), host, WhipWhepController.SDP_FRAGMENT,
                    "a=ice-ufrag:again\r\na=ice-pwd:restartedpassword0123456789\r\n", Map.of("If-Match", "*")).status())
                    .as("the host's replaced share tells its page to stop").isEqualTo(410);
            assertThat(contentSourceOwner(session)).isEqualTo(endpointOf(roomShare));

            // Another room is given the floor: the first room's share ends with it.
            assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOMS.get(1))).status())
                    .isEqualTo(200);
            assertThat(stage(session).get("content").isNull()).as("the share ended with the floor").isTrue();
            assertThat(events).last().satisfies(e -> assertThat(e.get("content").isNull()).isTrue());
            assertThat(contentSourceOwner(session)).isNull();
            assertThat(share(session, roomToken).status()).as("after losing the floor").isEqualTo(403);
        }
        // The session record's account of the floor names who shared, the host and then the room.
        String presiding = t.get("/api/v1/sessions/" + session, host).json().get("presidingOfficial").asText();
        String roomName = t.get("/api/v1/rooms/" + ROOMS.get(0), host).json().get("name").asText();
        assertThat(t.get("/api/v1/sessions/" + session + "/record.html", host).body())
                .contains("Trình chiếu tài liệu: " + presiding, "Trình chiếu tài liệu: " + roomName);
    }

    @Test
    void theHostStopsAnyShareAndChoosesTheLayoutWhichBadInputLeavesUnchanged() {
        long session = liveSession();
        String roomToken = t.joinToken(session, ROOMS.get(1));
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOMS.get(1))).status())
                .isEqualTo(200);
        assertThat(share(session, roomToken).status()).isEqualTo(201);

        TestServer.Response stopped = t.send("DELETE", "/api/v1/sessions/" + session + "/stage/content", host, null, (String) null);
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("content").isNull()).isTrue();
        assertThat(contentSourceOwner(session)).isNull();
        assertThat(t.send("DELETE", "/api/v1/sessions/" + session + "/stage/content", roomToken, null, (String) null).status())
                .as("a room cannot stop shares").isEqualTo(403);

        TestServer.Response bad = t.json("PUT", "/api/v1/sessions/" + session + "/stage/layout", host, Map.of("layout", "PICTURE_IN_PICTURE"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("layout");
        assertThat(stage(session).get("layout").asText()).isEqualTo("CONTENT_BESIDE_SPEAKER");

        TestServer.Response chosen = t.json("PUT", "/api/v1/sessions/" + session + "/stage/layout", host,
                Map.of("layout", "CONTENT_INSTEAD_OF_SPEAKER"));
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(stage(session).get("layout").asText()).isEqualTo("CONTENT_INSTEAD_OF_SPEAKER");
        assertThat(t.get("/api/v1/audit?limit=20", t.adminToken()).body()).contains("stage.layout", "stage.content.stop");
    }

    private long liveSession() {
        long session = t.scheduleOnlineSession("Chia sẻ tài liệu", HOST_ROOM, ROOMS);
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        return session;
    }

    private static TestServer.Response share(long session, String token) {
        return t.send("POST", "/whip/" + session + "/content", token, "application/sdp", WhipWhepRoleRows.offer(true));
    }

    private static JsonNode stage(long session) {
        TestServer.Response r = t.get("/api/v1/sessions/" + session + "/stage", t.joinToken(session, ROOMS.get(1)));
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    private static String location(TestServer.Response created) {
        return created.headers().firstValue("Location").orElseThrow();
    }

    private static String endpointOf(TestServer.Response created) {
        String location = location(created);
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The endpoint whose video fills the bridge's content slot, or null. */
    private static String contentSourceOwner(long session) {
        return t.server.mediaBridge().conference(SessionMedia.conferenceId(session))
                .map(c -> c.stage().slot(SlotName.CONTENT, MediaKind.VIDEO).source())
                .map(source -> source.id().substring(0, source.id().length() - "-video".length()))
                .orElse(null);
    }
}
