package org.citizenreception.control.events.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.EventsClient;
import org.citizenreception.control.testing.PostgresCluster;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control-api instances on one real PostgreSQL (whatever store the rest of the run uses), each
 * with its own HTTP port and data folder (sharing the keys, as a deployment must): what a REST call
 * on one publishes reaches the WebSockets of the other, in the form each socket's role may see, once;
 * a revocation on one closes sockets on the other; and a dropped listening connection comes back
 * and tells the consoles to load their session again.
 */
class EventsBetweenInstancesTest {
    static final String HOST_ROOM = "QN-VP";
    static final String ROOM_A = "QN25-BAI-CHAY";
    static final String ROOM_B = "QN25-MONG-CAI-1";
    static final String PETITIONER = "Nguyễn Thị Hồng Nhung";
    /** Over PostgreSQL's 8000-byte NOTIFY limit several times: the event travels as several frames. */
    static final String LONG_SUMMARY = "Khiếu nại về việc bồi thường, hỗ trợ tái định cư khi thu hồi đất ở phường Bãi Cháy. ".repeat(150);
    static final long DEADLINE_MILLIS = 10_000;

    @TempDir
    static Path dir;
    static String database;
    static TestServer a;
    static TestServer b;
    static String hostOnA;
    static String hostOnB;

    @BeforeAll
    static void start() throws IOException {
        database = PostgresCluster.get().database("t_events_between_instances");
        a = TestServer.start(dir.resolve("a"), "--store.url=" + database);
        // The second instance signs the same audit chain and hashes ID numbers alike: the keys are shared.
        copyFolder(dir.resolve("a/data/keys"), dir.resolve("b/data/keys"));
        b = TestServer.start(dir.resolve("b"), "--store.url=" + database);
        a.createUser("inst.host", Role.HOST, null);
        hostOnA = a.token("inst.host", TestServer.passwordOf("inst.host"));
        hostOnB = b.token("inst.host", TestServer.passwordOf("inst.host"));
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static long liveSession(String title) {
        long id = a.scheduleOnlineSession(title, HOST_ROOM, List.of(ROOM_A, ROOM_B));
        TestServer.Response live = a.json("POST", "/api/v1/sessions/" + id + "/state", hostOnA, Map.of("state", "LIVE"));
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        return id;
    }

    private static long registerPetition(TestServer on, String token, long session, String summary) {
        return registerPetition(on, token, session, summary, ROOM_A);
    }

    private static long registerPetition(TestServer on, String token, long session, String summary, String originRoom) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "COMPLAINT");
        p.put("originRoomCode", originRoom);
        p.put("summary", summary);
        p.put("petitioners", List.of(Map.of("name", PETITIONER, "idNumber", "022087001234", "address", "Bãi Cháy, Hạ Long")));
        TestServer.Response r = on.json("POST", "/api/v1/sessions/" + session + "/petitions", token, p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    /**
     * Reads {@code socket} until a message matches, within the deadline; returns every message read
     * (the match last), so a test can also check what came before it.
     */
    private static List<JsonNode> readUntil(EventsClient socket, Predicate<JsonNode> wanted) throws InterruptedException {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode m = left > 0 ? socket.messages.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("not within " + DEADLINE_MILLIS + " ms; seen " + seen + " / close " + socket.closed.peek());
            }
            seen.add(m);
            if (wanted.test(m)) {
                return seen;
            }
        }
    }

    private static Predicate<JsonNode> petition(String type, long id) {
        return m -> type.equals(m.path("type").asText()) && m.path("data").path("id").asLong() == id;
    }

    @Test
    void aPetitionRegisteredOnOneInstanceReachesTheOthersSocketsOnceInTheFormEachRoleMaySee() throws Exception {
        long session = liveSession("Hai máy chủ: đơn thư");
        long other = liveSession("Hai máy chủ: phiên khác");
        String roomAToken = a.joinToken(session, ROOM_A);
        String roomBToken = a.joinToken(session, ROOM_B);
        try (EventsClient staffOnB = subscribe(b, session, hostOnB);
             EventsClient roomAOnB = subscribe(b, session, roomAToken);
             EventsClient roomBOnB = subscribe(b, session, roomBToken);
             EventsClient otherSessionOnB = subscribe(b, other, hostOnB);
             EventsClient staffOnA = subscribe(a, session, hostOnA)) {
            long onA = registerPetition(a, hostOnA, session, LONG_SUMMARY);

            JsonNode staffView = last(readUntil(staffOnB, petition("petition.registered", onA)));
            assertThat(staffView.path("data").path("summary").asText()).as("the whole event, though it passed NOTIFY's limit")
                    .isEqualTo(LONG_SUMMARY);
            assertThat(staffView.toString()).contains(PETITIONER);
            JsonNode roomView = last(readUntil(roomAOnB, petition("petition.registered", onA)));
            assertThat(roomView.toString()).as("the room's form is masked on the other instance as here").doesNotContain(PETITIONER)
                    .doesNotContain("022087001234");

            // The reverse way; it also marks the end of what the other sockets could have heard of the first petition:
            // notifications arrive in commit order, so an echo or a stray copy would have come before this one.
            long onB = registerPetition(b, hostOnB, session, "Kiến nghị sửa đường liên xã");
            List<JsonNode> heardOnA = readUntil(staffOnA, petition("petition.registered", onB));
            assertThat(heardOnA.stream().filter(petition("petition.registered", onA))).as("once on its own instance, no echo").hasSize(1);
            List<JsonNode> heardOnB = readUntil(staffOnB, petition("petition.registered", onB));
            assertThat(heardOnB.stream().filter(petition("petition.registered", onA))).as("no second copy on the other").isEmpty();
            // Room B's own petition marks the end of what room B could have heard of room A's.
            long fromRoomB = registerPetition(a, hostOnA, session, "Kiến nghị của điểm cầu Móng Cái", ROOM_B);
            List<JsonNode> roomBHeard = readUntil(roomBOnB, petition("petition.registered", fromRoomB));
            assertThat(roomBHeard).as("room A's petitions are not for room B's screen, on either instance")
                    .noneMatch(m -> m.path("type").asText().startsWith("petition.") && m.path("data").path("id").asLong() != fromRoomB);
            assertThat(otherSessionOnB.messages).as("another session's socket hears nothing of this one")
                    .noneMatch(m -> m.path("type").asText().startsWith("petition."));
        }
    }

    /**
     * A socket on {@code server}, once subscribed. Events of the other instance from just before may
     * come ahead of the greeting (the socket hears the session from the moment it subscribes): skipped.
     */
    private static EventsClient subscribe(TestServer server, long session, String token) throws InterruptedException {
        EventsClient socket = EventsClient.open(server, session, token);
        readUntil(socket, m -> "subscribed".equals(m.path("type").asText()));
        return socket;
    }

    private static JsonNode last(List<JsonNode> messages) {
        return messages.get(messages.size() - 1);
    }

    @Test
    void aSessionEndedOnOneInstanceClosesTheOthersSockets() throws Exception {
        long session = liveSession("Hai máy chủ: kết thúc");
        try (EventsClient staffOnB = subscribe(b, session, hostOnB)) {
            TestServer.Response ended = a.json("POST", "/api/v1/sessions/" + session + "/state", hostOnA, Map.of("state", "ENDED"));
            assertThat(ended.status()).as(ended.body()).isEqualTo(200);
            readUntil(staffOnB, m -> "session.state".equals(m.path("type").asText()) && "ENDED".equals(m.path("data").path("state").asText()));
            // Only the revocation relayed from the other instance closes it so (the token itself stays valid).
            assertThat(staffOnB.awaitClose().code()).isEqualTo(4410);
        }
    }

    @Test
    void aDroppedListeningConnectionComesBackAndTheConsolesLoadTheirSessionAgain() throws Exception {
        long session = liveSession("Hai máy chủ: mất kết nối");
        try (EventsClient staffOnB = subscribe(b, session, hostOnB)) {
            assertThat(terminateListeners()).as("both instances' listening connections").isEqualTo(2);
            readUntil(staffOnB, m -> "resync".equals(m.path("type").asText()) && m.path("sessionId").asLong() == session);
            // Listening again: what happens on the other instance arrives as before.
            long onA = registerPetition(a, hostOnA, session, "Sau khi kết nối lại");
            readUntil(staffOnB, petition("petition.registered", onA));
        }
        TestServer.Response verify = b.get("/api/v1/audit/verify", b.adminToken());
        assertThat(verify.json().get("valid").asBoolean()).as("one audit chain from both instances: " + verify.body()).isTrue();
    }

    @Test
    void aDroppedSendingConnectionIsReplacedAndTheNextEventStillArrives() throws Exception {
        long session = liveSession("Hai máy chủ: mất kết nối gửi");
        try (EventsClient staffOnB = subscribe(b, session, hostOnB)) {
            assertThat(terminate(PostgresEventRelay.NOTIFY_APPLICATION)).as("the first instance has sent (the session went live)")
                    .isPositive();
            long onA = registerPetition(a, hostOnA, session, "Sau khi kết nối gửi bị cắt");
            List<JsonNode> heard = readUntil(staffOnB, petition("petition.registered", onA));
            assertThat(heard).as("sent on a new connection, nothing lost, so no resync").noneMatch(m -> "resync".equals(m.path("type").asText()));
        }
    }

    @Test
    void restartingOneInstanceLeavesTheSessionsTheOtherServesLive() throws Exception {
        long session = liveSession("Hai máy chủ: khởi động lại");
        b.close();
        // Its heartbeat says it stopped while the session was live; alone, it would mark the session interrupted.
        b = TestServer.start(dir.resolve("b"), "--store.url=" + database);
        assertThat(a.get("/api/v1/sessions/" + session, hostOnA).json().get("state").asText()).isEqualTo("LIVE");
        try (EventsClient staffOnB = subscribe(b, session, hostOnB)) {
            long onA = registerPetition(a, hostOnA, session, "Sau khi máy chủ thứ hai khởi động lại");
            readUntil(staffOnB, petition("petition.registered", onA));
        }
    }

    /** pg_terminate_backend on every listening connection of the database, as a failover or an administrator would. */
    private static int terminateListeners() throws SQLException {
        return terminate(PostgresEventRelay.LISTEN_APPLICATION);
    }

    /** pg_terminate_backend on the database's connections whose application name starts with {@code prefix}; how many. */
    private static int terminate(String prefix) throws SQLException {
        try (Connection c = DriverManager.getConnection(database);
             PreparedStatement st = c.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND application_name LIKE ?")) {
            st.setString(1, prefix + "%");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw e;
        }
    }
}
