package org.citizenreception.control.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Room messages through HTTP and the events socket: who writes, who reads, replies, drafts, refusals. */
class RoomMessageApiTest {
    static final String ROOM_A = "QN25-BAI-CHAY";
    static final String ROOM_B = "QN25-HONG-GAI";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestServer t;
    static String host;
    static String secretary;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.m", Role.HOST, null);
        t.createUser("sec.m", Role.SECRETARY, null);
        host = t.token("host.m", TestServer.passwordOf("host.m"));
        secretary = t.token("sec.m", TestServer.passwordOf("sec.m"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static long session(boolean live) {
        Instant start = t.clock.instant().plus(Duration.ofMinutes(30));
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên có tin nhắn", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "LIST", "rooms", List.of(ROOM_A, ROOM_B))));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        long id = s.json().get("id").asLong();
        if (live) {
            assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        }
        return id;
    }

    static TestServer.Response send(long session, String room, String token, Object body) {
        return t.json("POST", "/api/v1/sessions/" + session + "/rooms/" + room + "/messages", token, body);
    }

    @Test
    void aRoomsMessageReachesTheStaffLiveAndOnlyItsOwnRoomSeesItAndTheReply() throws Exception {
        long id = session(true);
        String roomA = t.joinToken(id, ROOM_A);
        String roomB = t.joinToken(id, ROOM_B);
        Listener staff = listen(id, secretary);
        Listener hostConsole = listen(id, host);
        Listener a = listen(id, roomA);
        Listener b = listen(id, roomB);

        TestServer.Response sent = send(id, ROOM_A, roomA, Map.of("quick", "CITIZEN_HERE", "text", "Bà Hoa đã đến, hỏi về đền bù"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        long messageId = sent.json().get("id").asLong();
        for (Listener console : List.of(staff, hostConsole, a)) {
            JsonNode e = console.next("room.message");
            assertThat(e.get("data").get("id").asLong()).isEqualTo(messageId);
            assertThat(e.get("data").get("quick").asText()).isEqualTo("CITIZEN_HERE");
            assertThat(e.get("data").get("roomCode").asText()).isEqualTo(ROOM_A);
        }

        TestServer.Response reply = t.json("POST", "/api/v1/sessions/" + id + "/messages/" + messageId + "/replies", secretary,
                Map.of("text", "Mời bà Hoa vào phòng"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(a.next("room.message").get("data").get("replyTo").asLong()).isEqualTo(messageId);
        assertThat(staff.next("room.message").get("data").get("fromRoom").asBoolean()).isFalse();

        JsonNode threadA = t.get("/api/v1/sessions/" + id + "/rooms/" + ROOM_A + "/messages", roomA).json().get("messages");
        assertThat(threadA).hasSize(2);
        assertThat(threadA.get(1).get("body").asText()).isEqualTo("Mời bà Hoa vào phòng");
        assertThat(t.get("/api/v1/sessions/" + id + "/rooms/" + ROOM_A + "/messages", roomB).status()).isEqualTo(403);
        assertThat(t.get("/api/v1/sessions/" + id + "/messages", roomA).status()).isEqualTo(403);
        assertThat(send(id, ROOM_A, roomB, Map.of("text", "giả danh")).status()).isEqualTo(403);
        assertThat(t.get("/api/v1/sessions/" + id + "/rooms/" + ROOM_B + "/messages", roomB).json().get("messages")).isEmpty();

        // Room B heard nothing of room A's thread; an event it may see (its own message) arrives first in its queue.
        assertThat(send(id, ROOM_B, roomB, Map.of("quick", "NO_SOUND")).status()).isEqualTo(201);
        JsonNode own = b.next("room.message");
        assertThat(own.get("data").get("roomCode").asText()).isEqualTo(ROOM_B);
        assertThat(b.seen).noneMatch(m -> m.toString().contains(ROOM_A));

        assertThat(t.json("GET", "/api/v1/sessions/" + id + "/messages", host, null).json().get("messages")).hasSize(3);
        assertThat(t.count("audit_log")).isPositive();
        for (Listener l : List.of(staff, hostConsole, a, b)) {
            l.close();
        }
    }

    @Test
    void aSecretaryFilesAMessageAsAPetitionDraftOnce() {
        long id = session(true);
        String roomA = t.joinToken(id, ROOM_A);
        long messageId = send(id, ROOM_A, roomA, Map.of("text", "Công dân kiến nghị sửa đường liên xã")).json().get("id").asLong();
        Map<String, Object> petition = Map.of("kind", "RECOMMENDATION",
                "petitioners", List.of(Map.of("name", "Phạm Văn Đức", "address", "Bãi Cháy, Hạ Long")));
        TestServer.Response filed = t.json("POST", "/api/v1/sessions/" + id + "/messages/" + messageId + "/petition", secretary, petition);
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        JsonNode draft = filed.json().get("petition");
        assertThat(draft.get("summary").asText()).isEqualTo("Công dân kiến nghị sửa đường liên xã");
        assertThat(draft.get("originRoomCode").asText()).isEqualTo(ROOM_A);
        assertThat(draft.get("status").asText()).isEqualTo("RECEIVED");
        long petitionId = draft.get("id").asLong();
        assertThat(t.get("/api/v1/petitions/" + petitionId, secretary).status()).isEqualTo(200);
        assertThat(t.get("/api/v1/sessions/" + id + "/messages", secretary).json().get("messages").get(0).get("petitionId").asLong())
                .isEqualTo(petitionId);
        // The room's thread does not say under which petition the office filed it.
        assertThat(t.get("/api/v1/sessions/" + id + "/rooms/" + ROOM_A + "/messages", roomA).json().get("messages").get(0)
                .get("petitionId").isNull()).isTrue();

        long petitionsBefore = t.count("petitions");
        TestServer.Response again = t.json("POST", "/api/v1/sessions/" + id + "/messages/" + messageId + "/petition", secretary, petition);
        assertThat(again.status()).isEqualTo(409);
        assertThat(t.count("petitions")).isEqualTo(petitionsBefore);
        TestServer.Response incomplete = t.json("POST", "/api/v1/sessions/" + id + "/messages/" + messageId + "/petition", secretary,
                Map.of("kind", "RECOMMENDATION"));
        assertThat(incomplete.status()).isIn(409, 422);
    }

    @Test
    void badMessagesAreRefusedNamingTheFieldAndNothingIsKept() {
        long id = session(true);
        long scheduled = session(false);
        String roomA = t.joinToken(id, ROOM_A);
        long before = t.count("room_messages");
        TestServer.Response control = send(id, ROOM_A, roomA, Map.of("text", "mất tiếng\u0007"));
        assertThat(control.status()).isEqualTo(422);
        assertThat(control.contentType()).startsWith("application/problem+json");
        assertThat(control.body()).contains("text").contains("control");
        assertThat(send(id, ROOM_A, roomA, Map.of("text", "dòng 1\ndòng 2")).status()).isEqualTo(422);
        assertThat(send(id, ROOM_A, roomA, Map.of("text", "a\u202Eb")).status()).isEqualTo(422);
        TestServer.Response tooLong = send(id, ROOM_A, roomA, Map.of("text", "x".repeat(RoomMessageService.MAX_LENGTH + 1)));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.body()).contains("280");
        assertThat(send(id, ROOM_A, roomA, Map.of("text", "  ")).status()).isEqualTo(422);
        assertThat(send(id, ROOM_A, roomA, Map.of("quick", "PIZZA")).status()).isIn(400, 422);
        assertThat(send(scheduled, ROOM_A, t.joinToken(scheduled, ROOM_A), Map.of("quick", "NO_SOUND")).status()).isEqualTo(409);
        assertThat(t.count("room_messages")).isEqualTo(before);
        assertThat(send(id, ROOM_A, roomA, Map.of("text", "x".repeat(RoomMessageService.MAX_LENGTH))).status()).isEqualTo(201);
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/messages/999999/replies", secretary, Map.of("text", "?")).status())
                .isEqualTo(404);
    }

    /**
     * 10 a minute, 5 at once (reception-defaults.conf): the sixth message at once and the eleventh
     * within the minute are refused with 429 naming the limit and saying when to try again; the
     * refused ones are not kept; another room of the same session and the staff's replies are served
     * meanwhile; once the wait has passed the room is served again. The clock moves, nobody sleeps.
     */
    @Test
    void aRoomFloodingTheConsolesIsRefusedPastItsAllowanceWhileOtherRoomsAndRepliesAreServed() {
        long id = session(true);
        String roomA = t.joinToken(id, ROOM_A);
        String roomB = t.joinToken(id, ROOM_B);
        long first = 0;
        for (int i = 1; i <= 5; i++) {
            TestServer.Response sent = send(id, ROOM_A, roomA, Map.of("text", "Tin " + i));
            assertThat(sent.status()).as("message %d: %s", i, sent.body()).isEqualTo(201);
            first = first == 0 ? sent.json().get("id").asLong() : first;
        }
        TestServer.Response sixth = send(id, ROOM_A, roomA, Map.of("text", "Tin 6"));
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.contentType()).startsWith("application/problem+json");
        assertThat(sixth.json().get("detail").asText()).startsWith("room messages: at most 10 a minute per room and session, 5 at once");
        assertThat(sixth.headers().firstValue("Retry-After")).hasValue("6");

        // Half a minute on, five more have been earned (one every 6 s): messages 6-10 pass, the 11th does not.
        t.clock.advance(Duration.ofSeconds(30));
        for (int i = 6; i <= 10; i++) {
            assertThat(send(id, ROOM_A, roomA, Map.of("text", "Tin " + i)).status()).as("message %d", i).isEqualTo(201);
        }
        TestServer.Response eleventh = send(id, ROOM_A, roomA, Map.of("quick", "NO_SOUND"));
        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.headers().firstValue("Retry-After")).hasValue("6");

        assertThat(send(id, ROOM_B, roomB, Map.of("quick", "NO_SOUND")).status()).as("another room").isEqualTo(201);
        for (int i = 1; i <= 12; i++) {
            assertThat(t.json("POST", "/api/v1/sessions/" + id + "/messages/" + first + "/replies", secretary,
                    Map.of("text", "Trả lời " + i)).status()).as("reply %d", i).isEqualTo(201);
        }
        JsonNode thread = t.get("/api/v1/sessions/" + id + "/rooms/" + ROOM_A + "/messages", roomA).json().get("messages");
        long fromRoom = 0;
        for (JsonNode m : thread) {
            fromRoom += m.get("fromRoom").asBoolean() ? 1 : 0;
        }
        assertThat(fromRoom).as("refused messages are not kept").isEqualTo(10);

        t.clock.advance(Duration.ofSeconds(6));
        assertThat(send(id, ROOM_A, roomA, Map.of("text", "Tin 11")).status()).as("after the wait").isEqualTo(201);
    }

    static Listener listen(long session, String token) throws Exception {
        Listener l = new Listener();
        l.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + t.server.httpPort() + "/api/v1/sessions/" + session + "/events"), l)
                .get(10, TimeUnit.SECONDS);
        l.socket.sendText("{\"token\":\"" + token + "\"}", true);
        assertThat(l.next("subscribed")).isNotNull();
        return l;
    }

    /** Collects the events of one socket. */
    static final class Listener implements WebSocket.Listener {
        final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        final List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(partial.toString());
                    seen.add(n);
                    queue.add(n);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        /** The next event of {@code type}, skipping others (presence, stats); fails after 10 s. */
        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonNode n = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (n != null && type.equals(n.get("type").asText())) {
                    return n;
                }
            }
            throw new AssertionError("no " + type + " event within 10 s; seen " + seen);
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }
}
