package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The presiding official is a person: a host account or a leader of the list the administrator keeps, never a loose name. */
class PresidingLeaderTest {
    @TempDir
    static Path dir;
    static TestServer t;
    static String admin;
    static long hostId;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        admin = t.adminToken();
        hostId = t.createUser("host.l", Role.HOST, null);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static long leader(String name, String position) {
        TestServer.Response r = t.json("POST", "/api/v1/leaders", admin, Map.of("name", name, "position", position));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static TestServer.Response session(Map<String, Object> presiding) {
        Instant start = t.clock.instant().plus(Duration.ofDays(2));
        Map<String, Object> body = new LinkedHashMap<>(presiding);
        body.put("title", "Tiếp công dân");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("hostRoomCode", "QN-VP");
        return t.json("POST", "/api/v1/sessions", admin, body);
    }

    /** Sessions per leader of the list, as a duty report would count them. */
    static Map<Long, Integer> sessionsPerLeader() {
        Map<Long, Integer> out = new HashMap<>();
        try (Connection c = t.server.database().unpooledConnection();
             PreparedStatement ps = c.prepareStatement("SELECT presiding_leader_id, COUNT(*) FROM reception_sessions "
                     + "WHERE presiding_leader_id IS NOT NULL GROUP BY presiding_leader_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void aSessionIsPresidedByALeaderOfTheListOrAHostAccountAndCountedPerPerson() {
        long secretary = leader("Nguyễn Xuân Ký", "Bí thư Tỉnh ủy");
        TestServer.Response byLeader = session(Map.of("presidingLeaderId", secretary));
        assertThat(byLeader.status()).as(byLeader.body()).isEqualTo(201);
        assertThat(byLeader.json().get("presidingLeaderId").asLong()).isEqualTo(secretary);
        assertThat(byLeader.json().get("presidingOfficial").asText()).isEqualTo("Nguyễn Xuân Ký");
        assertThat(byLeader.json().get("presidingUserId").isNull()).isTrue();
        assertThat(session(Map.of("presidingLeaderId", secretary)).status()).isEqualTo(201);

        TestServer.Response byHost = session(Map.of("presidingUserId", hostId));
        assertThat(byHost.status()).as(byHost.body()).isEqualTo(201);
        assertThat(byHost.json().get("presidingLeaderId").isNull()).isTrue();
        assertThat(sessionsPerLeader()).containsEntry(secretary, 2);

        TestServer.Response both = session(Map.of("presidingLeaderId", secretary, "presidingUserId", hostId));
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.body()).contains("presidingLeaderId");
        long retired = leader("Vũ Văn Diện", "Nguyên Chủ tịch UBND tỉnh");
        assertThat(t.json("PATCH", "/api/v1/leaders/" + retired, admin, Map.of("active", false)).status()).isEqualTo(200);
        TestServer.Response inactive = session(Map.of("presidingLeaderId", retired));
        assertThat(inactive.status()).isEqualTo(422);
        assertThat(inactive.body()).contains("presidingLeaderId");
    }

    @Test
    void aNameTypedByAnOlderClientIsFiledUnderTheLeaderOfThatNameOnce() {
        long before = t.count("leaders");
        long first = session(Map.of("presidingOfficial", "Chủ tịch UBND huyện Tiên Yên")).json().get("presidingLeaderId").asLong();
        long second = session(Map.of("presidingOfficial", " Chủ tịch UBND huyện Tiên Yên ")).json().get("presidingLeaderId").asLong();
        assertThat(second).isEqualTo(first);
        assertThat(t.count("leaders")).isEqualTo(before + 1);
        JsonNode filed = null;
        for (JsonNode l : t.get("/api/v1/leaders", admin).json().get("leaders")) {
            if (l.get("id").asLong() == first) {
                filed = l;
            }
        }
        assertThat(filed).isNotNull();
        assertThat(filed.get("filedFrom").asText()).isEqualTo("typed name");
        assertThat(sessionsPerLeader()).containsEntry(first, 2);

        // A refused session files nobody.
        Map<String, Object> bad = new LinkedHashMap<>(Map.of("presidingOfficial", "Một tên chưa từng có"));
        Instant start = t.clock.instant().plus(Duration.ofDays(2));
        bad.put("title", "x");
        bad.put("scheduledStart", start.toString());
        bad.put("scheduledEnd", start.plus(Duration.ofHours(1)).toString());
        bad.put("hostRoomCode", "NO-SUCH-ROOM");
        assertThat(t.json("POST", "/api/v1/sessions", admin, bad).status()).isEqualTo(422);
        assertThat(t.count("leaders")).isEqualTo(before + 1);
    }

    @Test
    void aScheduleOfALeaderGeneratesSessionsPresidedByThem() {
        long chairman = leader("Cao Tường Huy", "Chủ tịch UBND tỉnh (lịch định kỳ)");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp dân ngày 15");
        body.put("recurrence", Map.of("type", "MONTHLY_ON_DAY", "dayOfMonth", 15));
        body.put("startTime", "08:00");
        body.put("endTime", "11:00");
        body.put("horizonDays", 40);
        body.put("presidingLeaderId", chairman);
        body.put("hostRoomCode", "QN-VP");
        TestServer.Response created = t.json("POST", "/api/v1/session-schedules", admin, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("schedule").get("presidingLeaderId").asLong()).isEqualTo(chairman);
        assertThat(created.json().get("generated")).isNotEmpty();
        created.json().get("generated").forEach(s -> assertThat(s.get("presidingLeaderId").asLong()).isEqualTo(chairman));
    }

    @Test
    void theListIsKeptByAdministratorsWithUniqueVisibleNames() {
        leader("Trịnh Thị Minh Thanh", "Phó Bí thư Tỉnh ủy");
        TestServer.Response twice = t.json("POST", "/api/v1/leaders", admin, Map.of("name", "Trịnh Thị Minh Thanh"));
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.body()).contains("name");
        assertThat(t.json("POST", "/api/v1/leaders", admin, Map.of("name", "Tên\u0000lạ")).status()).isEqualTo(422);
        assertThat(t.json("POST", "/api/v1/leaders", admin, Map.of("name", " ")).status()).isEqualTo(422);
        assertThat(t.json("PATCH", "/api/v1/leaders/999999", admin, Map.of("active", false)).status()).isEqualTo(404);
    }
}
