package org.citizenreception.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.EventsClient;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events WebSocket as an access-controlled route: who may subscribe to which session, and that
 * revoked access ends the open socket within 1 s with nothing sent after — the signed-out and
 * disabled secretary of issue 11 kept receiving petitions with personal data. Also: a room never
 * sees a denunciation's content or a petitioner, on any route or event.
 */
class EventsRevocationTest {
    static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);
    static final String HOST_ROOM = "QN-VP";
    static final String ROOM_A = "QN25-BAI-CHAY";
    static final String ROOM_B = "QN25-MONG-CAI-1";
    static final String DENOUNCER = "Phạm Văn Tố";
    static final String DENOUNCER_ID = "022087001234";
    static final String ACCUSATION = "Cán bộ địa chính xã nhận tiền để cấp sổ đỏ";

    @TempDir
    static Path dir;
    static TestServer t;
    static String host;
    static String operatorB;
    static String otherUnitSecretary;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("ev.host", Role.HOST, null);
        host = t.token("ev.host", TestServer.passwordOf("ev.host"));
        t.createUser("ev.operator.b", Role.ROOM_OPERATOR, ROOM_B);
        operatorB = t.token("ev.operator.b", TestServer.passwordOf("ev.operator.b"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", "ev.secretary.district");
        body.put("role", "SECRETARY");
        body.put("unitCode", "QN25-CO-TO");
        body.put("password", TestServer.passwordOf("ev.secretary.district"));
        assertThat(t.json("POST", "/api/v1/users", t.adminToken(), body).status()).isEqualTo(201);
        otherUnitSecretary = t.token("ev.secretary.district", TestServer.passwordOf("ev.secretary.district"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static long liveSession(String title) {
        long id = t.scheduleOnlineSession(title, HOST_ROOM, List.of(ROOM_A));
        TestServer.Response live = t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "LIVE"));
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        return id;
    }

    private static String newSecretary(String username) {
        t.createUser(username, Role.SECRETARY, null);
        return t.token(username, TestServer.passwordOf(username));
    }

    private static long userId(String username) {
        for (JsonNode u : t.get("/api/v1/users", t.adminToken()).json()) {
            if (u.get("username").asText().equals(username)) {
                return u.get("id").asLong();
            }
        }
        throw new AssertionError("no user " + username);
    }

    private static void registerPetition(long session, String kind) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("originRoomCode", ROOM_A);
        p.put("summary", ACCUSATION);
        p.put("petitioners", List.of(Map.of("name", DENOUNCER, "idNumber", DENOUNCER_ID, "address", "Bãi Cháy, Hạ Long")));
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", host, p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** Waits until {@code witness} (a socket that is still allowed) has heard the next petition. */
    private static void awaitPetitionSeenBy(EventsClient witness) throws InterruptedException {
        while (true) {
            JsonNode m = witness.next();
            if (m.get("type").asText().startsWith("petition.")) {
                return;
            }
        }
    }

    private static void assertClosedWithinBound(EventsClient c, long sinceNanos, int code) throws InterruptedException {
        EventsClient.Closed closed = c.awaitClose();
        assertThat(closed.code()).as(closed.reason()).isEqualTo(code);
        assertThat(Duration.ofNanos(closed.atNanos() - sinceNanos)).as("closed within 1 s of the revocation")
                .isLessThan(REVOCATION_BOUND);
    }

    @Test
    void aSignedOutSecretarysSocketClosesWithinOneSecondAndHearsNothingAfter() throws Exception {
        long session = liveSession("Thư ký đăng xuất");
        String secretary = newSecretary("ev.sec.logout");
        try (EventsClient socket = EventsClient.open(t, session, secretary).subscribed();
             EventsClient witness = EventsClient.open(t, session, host).subscribed()) {
            long before = System.nanoTime();
            assertThat(t.send("POST", "/api/v1/auth/logout", secretary, null, (byte[]) null).status()).isEqualTo(204);
            assertClosedWithinBound(socket, before, 4401);
            registerPetition(session, "COMPLAINT");
            awaitPetitionSeenBy(witness);
            assertThat(socket.messages).as("nothing after the sign-out").isEmpty();
        }
    }

    @Test
    void aDisabledSecretarysSocketClosesWithinOneSecondAndHearsNothingAfter() throws Exception {
        long session = liveSession("Thư ký bị khóa");
        String secretary = newSecretary("ev.sec.disabled");
        try (EventsClient socket = EventsClient.open(t, session, secretary).subscribed();
             EventsClient witness = EventsClient.open(t, session, host).subscribed()) {
            long before = System.nanoTime();
            TestServer.Response disabled = t.json("PATCH", "/api/v1/users/" + userId("ev.sec.disabled"), t.adminToken(),
                    Map.of("disabled", true));
            assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
            assertClosedWithinBound(socket, before, 4401);
            registerPetition(session, "COMPLAINT");
            awaitPetitionSeenBy(witness);
            assertThat(socket.messages).as("nothing after the account is disabled").isEmpty();
            assertThat(EventsClient.open(t, session, secretary).awaitClose().code()).as("and it cannot come back").isEqualTo(4401);
        }
    }

    @Test
    void theSocketAdmitsOnlyTheSessionsOwnStaffAndRooms() throws Exception {
        long session = liveSession("Ma trận WebSocket");
        long other = liveSession("Phiên khác");
        String ownRoomToken = t.joinToken(session, ROOM_A);
        String otherSessionToken = t.joinToken(other, ROOM_A);
        try (EventsClient ownRoom = EventsClient.open(t, session, ownRoomToken)) {
            ownRoom.subscribed();
        }
        try (EventsClient admin = EventsClient.open(t, session, t.adminToken())) {
            admin.subscribed();
        }
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("a join token of another session", otherSessionToken);
        refused.put("an uninvited room", operatorB);
        refused.put("a secretary of another unit", otherUnitSecretary);
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (Map.Entry<String, String> caller : refused.entrySet()) {
            try (EventsClient c = EventsClient.open(t, session, caller.getValue())) {
                codes.put(caller.getKey(), c.awaitClose().code());
                assertThat(c.messages).as(caller.getKey() + " hears nothing").isEmpty();
            }
        }
        assertThat(codes).containsOnlyKeys(refused.keySet()).allSatisfy((who, code) -> assertThat(code).as(who).isEqualTo(4403));

        try (EventsClient unknown = EventsClient.open(t, session, "not-a-token")) {
            assertThat(unknown.awaitClose().code()).isEqualTo(4401);
        }
        URI withQuery = URI.create("ws://127.0.0.1:" + t.server.httpPort() + "/api/v1/sessions/" + session + "/events?token=" + host);
        try (EventsClient inUrl = EventsClient.openUri(withQuery, null)) {
            assertThat(inUrl.awaitClose().code()).as("a token in the URL is refused").isEqualTo(4401);
            assertThat(inUrl.messages).isEmpty();
        }
    }

    @Test
    void aJoinTokenRevokedWhileConnectedClosesItsSocketWithinOneSecond() throws Exception {
        long session = liveSession("Thu hồi mã phòng");
        String token = t.joinToken(session, ROOM_A);
        try (EventsClient room = EventsClient.open(t, session, token).subscribed()) {
            long before = System.nanoTime();
            TestServer.Response revoked = t.send("DELETE", "/api/v1/sessions/" + session + "/rooms/" + ROOM_A + "/join-token",
                    t.adminToken(), null, (byte[]) null);
            assertThat(revoked.status()).isEqualTo(200);
            assertClosedWithinBound(room, before, 4401);
            assertThat(room.messages).isEmpty();
        }
    }

    @Test
    void anEndedSessionClosesItsSocketsAfterTellingThemWhy() throws Exception {
        long session = liveSession("Kết thúc phiên");
        try (EventsClient room = EventsClient.open(t, session, t.joinToken(session, ROOM_A)).subscribed()) {
            assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "ENDED")).status())
                    .isEqualTo(200);
            JsonNode last = room.next();
            assertThat(last.get("type").asText()).isEqualTo("session.state");
            assertThat(last.get("data").get("state").asText()).isEqualTo("ENDED");
            assertThat(room.awaitClose().code()).isEqualTo(4410);
        }
    }

    @Test
    void aRoomSeesNoDenunciationContentOnAnyRouteOrEvent() throws Exception {
        long session = liveSession("Tố cáo trước phòng xã");
        String roomToken = t.joinToken(session, ROOM_A);
        t.createUser("ev.operator.a", Role.ROOM_OPERATOR, ROOM_A);
        String operatorA = t.token("ev.operator.a", TestServer.passwordOf("ev.operator.a"));
        try (EventsClient room = EventsClient.open(t, session, roomToken).subscribed();
             EventsClient operator = EventsClient.open(t, session, operatorA).subscribed();
             EventsClient staff = EventsClient.open(t, session, host).subscribed()) {
            registerPetition(session, "DENUNCIATION");
            awaitPetitionSeenBy(staff);
            JsonNode event = room.next();
            assertThat(event.get("type").asText()).isEqualTo("petition.registered");
            assertThat(event.get("data").get("kind").asText()).isEqualTo("DENUNCIATION");
            assertThat(event.get("data").get("registerNumber").asText()).isNotBlank();
            for (EventsClient c : List.of(room, operator)) {
                assertThat(c == room ? event.toString() : c.next().toString())
                        .doesNotContain(ACCUSATION).doesNotContain("Phạm").doesNotContain(DENOUNCER_ID).doesNotContain("0220");
            }
        }
        long petition = t.get("/api/v1/sessions/" + session + "/petitions", host).json().get("petitions").get(0).get("id").asLong();
        for (String token : List.of(roomToken, operatorA)) {
            for (String path : List.of("/api/v1/sessions/" + session, "/api/v1/sessions", "/api/v1/sessions/" + session + "/petitions",
                    "/api/v1/sessions/" + session + "/rooms", "/api/v1/sessions/" + session + "/floor", "/api/v1/petitions",
                    "/api/v1/petitions/" + petition, "/api/v1/petitions/" + petition + "?reveal=true",
                    "/api/v1/petitions/" + petition + "/versions?reveal=true", "/api/v1/petitions/" + petition + "/annotations",
                    "/api/v1/petitions.csv", "/api/v1/petitions.csv?unmasked=true")) {
                TestServer.Response r = t.get(path, token);
                assertThat(r.body()).as(path).doesNotContain(ACCUSATION).doesNotContain("Phạm").doesNotContain(DENOUNCER_ID);
            }
        }
    }
}
