package org.citizenreception.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A token that merely expires — no sign-out, no revocation — ends its open events socket within
 * 1 s, closed as signed out (4401, which the web client shows as "signed out"), with nothing sent
 * after. Sign-in tokens live one minute here; the server's clock is moved past that.
 */
class EventsExpiryTest {
    static final Duration EXPIRY_BOUND = Duration.ofSeconds(1);
    static final String HOST_ROOM = "QN-VP";
    static final String ROOM_A = "QN25-BAI-CHAY";

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, "--auth.token-lifetime-minutes=1");
        t.createUser("exp.host", Role.HOST, null);
        t.createUser("exp.secretary", Role.SECRETARY, null);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void aSecretarysSocketClosesWithinOneSecondOfItsTokensExpiryWhileAJoinTokenStillValidStaysOpen() throws Exception {
        String host = t.token("exp.host", TestServer.passwordOf("exp.host"));
        long session = t.scheduleOnlineSession("Mã hết hạn", HOST_ROOM, List.of(ROOM_A));
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        String secretary = t.token("exp.secretary", TestServer.passwordOf("exp.secretary"));
        try (EventsClient expiring = EventsClient.open(t, session, secretary).subscribed();
             EventsClient room = EventsClient.open(t, session, t.joinToken(session, ROOM_A)).subscribed()) {
            long before = System.nanoTime();
            t.clock.advance(Duration.ofMinutes(2));

            EventsClient.Closed closed = expiring.awaitClose();
            assertThat(closed.code()).as(closed.reason()).isEqualTo(4401);
            assertThat(Duration.ofNanos(closed.atNanos() - before)).as("closed within 1 s of the expiry").isLessThan(EXPIRY_BOUND);

            registerComplaint(session, t.token("exp.host", TestServer.passwordOf("exp.host")));
            assertThat(awaitPetition(room).get("type").asText()).as("the join token, valid till the session's end, still hears")
                    .isEqualTo("petition.registered");
            assertThat(expiring.messages).as("nothing after the expiry").isEmpty();
            assertThat(room.closed).isEmpty();
        }
    }

    @Test
    void aJoinTokensSocketClosesWithinOneSecondOfItsExpiry() throws Exception {
        String host = t.token("exp.host", TestServer.passwordOf("exp.host"));
        long session = t.scheduleOnlineSession("Mã phòng hết hạn", HOST_ROOM, List.of(ROOM_A));
        try (EventsClient room = EventsClient.open(t, session, t.joinToken(session, ROOM_A)).subscribed()) {
            JsonNode scheduled = t.get("/api/v1/sessions/" + session, host).json();
            Duration pastExpiry = Duration.between(t.clock.instant(), java.time.Instant.parse(scheduled.get("scheduledEnd").asText()))
                    .plusHours(1);
            long before = System.nanoTime();
            t.clock.advance(pastExpiry);
            EventsClient.Closed closed = room.awaitClose();
            assertThat(closed.code()).as(closed.reason()).isEqualTo(4401);
            assertThat(Duration.ofNanos(closed.atNanos() - before)).as("closed within 1 s of the expiry").isLessThan(EXPIRY_BOUND);
        }
    }

    private static void registerComplaint(long session, String token) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "COMPLAINT");
        p.put("originRoomCode", ROOM_A);
        p.put("summary", "Khiếu nại về thu hồi đất");
        p.put("petitioners", List.of(Map.of("name", "Lê Thị Hoa", "address", "Hạ Long")));
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", token, p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static JsonNode awaitPetition(EventsClient c) throws InterruptedException {
        while (true) {
            JsonNode m = c.next();
            if (m.get("type").asText().startsWith("petition.")) {
                return m;
            }
        }
    }
}
