package org.citizenreception.control.petition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Withdrawing an accepted petition through the register's older status route writes the same
 * WITHDRAWN case step as the lifecycle route (LKN Art. 10 for a complaint, LTC Art. 33 for a
 * denunciation): one step row, one status history row, the audit entry named after the route used.
 * Before acceptance a withdrawal stays a bare status change, with no step.
 */
class WithdrawalAfterAcceptanceTest {
    private static final String ROOM = "QN25-BAI-CHAY";

    @TempDir
    static Path dir;
    static TestServer t;
    static String secretary;
    static long session;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("sec.w", Role.SECRETARY, null);
        t.createUser("host.w", Role.HOST, null);
        secretary = t.token("sec.w", TestServer.passwordOf("sec.w"));
        String host = t.token("host.w", TestServer.passwordOf("host.w"));
        Instant begin = t.clock.instant();
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên tiếp dân", "scheduledStart",
                begin.toString(), "scheduledEnd", begin.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch",
                "hostRoomCode", "QN-VP", "invitation", Map.of("type", "LIST", "rooms", List.of(ROOM))));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        session = s.json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void anAcceptedComplaintWithdrawnThroughTheStatusRouteGetsTheStepTheLifecycleRouteWrites() {
        long byStatus = acceptedPetition("COMPLAINT");
        long bySteps = acceptedPetition("COMPLAINT");
        long steps = t.count("petition_steps");
        long history = t.count("petition_status_history");

        TestServer.Response withdrawn = t.json("POST", "/api/v1/petitions/" + byStatus + "/status", secretary,
                Map.of("status", "WITHDRAWN", "reason", "Công dân rút đơn", "version", 2));
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(withdrawn.json().get("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(withdrawn.json().get("version").asLong()).isEqualTo(3);
        TestServer.Response stepped = t.json("POST", "/api/v1/petitions/" + bySteps + "/steps", secretary,
                Map.of("step", "WITHDRAWN", "note", "Công dân rút đơn", "version", 2));
        assertThat(stepped.status()).as(stepped.body()).isEqualTo(201);

        assertThat(t.count("petition_steps")).isEqualTo(steps + 2);
        assertThat(t.count("petition_status_history")).isEqualTo(history + 2);
        JsonNode viaStatus = lastStep(byStatus);
        JsonNode viaSteps = lastStep(bySteps);
        assertThat(viaStatus.get("step").asText()).isEqualTo("WITHDRAWN");
        assertThat(viaStatus.get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 10");
        for (String field : List.of("step", "effectiveOn", "legalBasis", "note", "dueOn", "dueBasis", "actorName")) {
            assertThat(viaStatus.get(field)).as(field).isEqualTo(viaSteps.get(field));
        }
        assertThat(caseFile(byStatus).get("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(audit("petition.status", byStatus)).isEqualTo(1 + 1); // the acceptance and the withdrawal
        assertThat(audit("petition.step", bySteps)).isEqualTo(1);
    }

    @Test
    void anAcceptedDenunciationWithdrawnThroughTheStatusRouteCitesTheLawOnDenunciations() {
        long id = acceptedPetition("DENUNCIATION");
        TestServer.Response withdrawn = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary,
                Map.of("status", "WITHDRAWN", "version", 2));
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(lastStep(id).get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 33");
    }

    @Test
    void aWithdrawalBeforeAcceptanceStaysAStatusChangeAndAStaleVersionChangesNothing() {
        long id = register("COMPLAINT");
        long steps = t.count("petition_steps");
        TestServer.Response stale = t.json("POST", "/api/v1/petitions/" + acceptedPetition("COMPLAINT") + "/status", secretary,
                Map.of("status", "WITHDRAWN", "version", 1));
        assertThat(stale.status()).isIn(409, 412);
        TestServer.Response withdrawn = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary,
                Map.of("status", "WITHDRAWN", "version", 1));
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(withdrawn.json().get("status").asText()).isEqualTo("WITHDRAWN");
        assertThat(t.count("petition_steps")).isEqualTo(steps);
    }

    private static long acceptedPetition(String kind) {
        long id = register(kind);
        TestServer.Response r = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, Map.of("status", "ACCEPTED", "version", 1));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return id;
    }

    private static long register(String kind) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        if (kind.equals("COMPLAINT")) {
            body.put("complaintRound", 1);
        }
        body.put("originRoomCode", ROOM);
        body.put("petitioners", List.of(Map.of("name", "Lê Thị Hoa", "address", "Tổ 3, Bãi Cháy, Hạ Long")));
        body.put("summary", "Nội dung " + kind);
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static JsonNode caseFile(long id) {
        TestServer.Response r = t.get("/api/v1/petitions/" + id + "/steps", secretary);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode lastStep(long id) {
        JsonNode steps = caseFile(id).get("steps");
        return steps.get(steps.size() - 1);
    }

    private static int audit(String action, long petitionId) {
        return t.get("/api/v1/audit?action=" + action + "&entityId=" + petitionId, t.adminToken()).json().get("entries").size();
    }
}
