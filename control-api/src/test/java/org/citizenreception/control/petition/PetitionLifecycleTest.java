package org.citizenreception.control.petition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A complaint and a denunciation followed from registration to closure through the REST API, each
 * step's article and deadline checked (a field breaking a rule is 422 naming it, as everywhere in the API); a second-round complaint linked to its first; the overdue
 * state ending when the due step is done; a citizen's earlier petitions found by ID-card number.
 * One server for the class, started at Monday 2 March 2026, 08:00 in Vietnam: the tests run in a
 * fixed order and only the last one moves the clock, so every date asserted is computed from that day.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PetitionLifecycleTest {
    private static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final String ROOM = "QN25-BAI-CHAY";
    private static final String ID_NUMBER = "001087012345";

    @TempDir
    static Path dir;
    static TestServer t;
    static String secretary;
    static String operator;
    static long session;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("sec.l", Role.SECRETARY, null);
        t.createUser("op.l", Role.ROOM_OPERATOR, ROOM);
        t.createUser("host.l", Role.HOST, null);
        secretary = t.token("sec.l", TestServer.passwordOf("sec.l"));
        operator = t.token("op.l", TestServer.passwordOf("op.l"));
        String host = t.token("host.l", TestServer.passwordOf("host.l"));
        Instant begin = t.clock.instant();
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên tiếp dân", "scheduledStart",
                begin.toString(), "scheduledEnd", begin.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch",
                "hostRoomCode", "QN-VP", "invitation", Map.of("type", "SUBTREE", "root", "QN-VP")));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        session = s.json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        assertThat(LocalDate.ofInstant(t.clock.instant(), VN)).isEqualTo(LocalDate.of(2026, 3, 2));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    @Order(4)
    void aComplaintGoesFromRegistrationToClosureThroughEveryStepWithItsArticleAndDeadlineAndOverdueEndsWithTheDueStep() {
        JsonNode p = register("COMPLAINT", 1, ID_NUMBER);
        long id = p.get("id").asLong();
        assertThat(deadline(p, "COMPLAINT_ACCEPTANCE").get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 27");
        assertThat(deadline(p, "COMPLAINT_ACCEPTANCE").get("dueOn").asText()).isEqualTo("2026-03-12");
        accept(id, 1);

        JsonNode file = caseFile(id);
        assertThat(file.get("due").get("kind").asText()).isEqualTo("COMPLAINT_RESOLUTION");
        assertThat(file.get("due").get("dueOn").asText()).isEqualTo("2026-04-01");
        assertThat(file.get("due").get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 28");
        assertThat(steps(file.get("allowedSteps"))).containsExactlyInAnyOrder("ASSIGNED", "WITHDRAWN");

        long stepsBefore = t.count("petition_steps");
        long stepAuditsBefore = t.count("audit_log WHERE action = 'petition.step'");
        TestServer.Response early = step(id, Map.of("step", "DECIDED", "decisionNumber", "1/QĐ", "signer", "Chủ tịch",
                "outcome", "UPHELD", "version", 2));
        assertThat(early.status()).as(early.body()).isEqualTo(409);
        assertThat(early.json().get("detail").asText()).contains("DECIDED").contains("ACCEPTED");
        TestServer.Response noAgency = step(id, Map.of("step", "ASSIGNED", "version", 2));
        assertThat(noAgency.status()).isEqualTo(422);
        assertThat(noAgency.body()).contains("agencyId");
        TestServer.Response bare = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, Map.of("status", "ASSIGNED", "version", 2));
        assertThat(bare.status()).isEqualTo(422);
        assertThat(bare.body()).contains("status");
        assertThat(t.count("petition_steps")).as("refused steps leave nothing behind").isEqualTo(stepsBefore);

        long agency = agency("Sở Tài nguyên và Môi trường");
        JsonNode assigned = created(step(id, Map.of("step", "ASSIGNED", "agencyId", agency, "version", 2)));
        JsonNode first = assigned.get("steps").get(0);
        assertThat(first.get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 29");
        assertThat(first.get("agencyName").asText()).isEqualTo("Sở Tài nguyên và Môi trường");
        assertThat(first.get("dueOn").asText()).isEqualTo("2026-04-01");
        assertThat(first.get("actorName").asText()).isEqualTo("sec.l");
        assertThat(t.get("/api/v1/petitions/" + id, secretary).json().get("petition").get("handlerAgency").asText())
                .isEqualTo("Sở Tài nguyên và Môi trường");

        TestServer.Response stale = step(id, Map.of("step", "IN_PROGRESS", "version", 2));
        assertThat(stale.status()).isEqualTo(409);
        JsonNode transferred = created(step(id, Map.of("step", "TRANSFERRED", "unitCode", "QN-VP", "version", 3)));
        assertThat(last(transferred).get("unitCode").asText()).isEqualTo("QN-VP");
        assertThat(created(step(id, Map.of("step", "IN_PROGRESS", "version", 4))).get("status").asText()).isEqualTo("IN_PROGRESS");

        t.clock.advance(Duration.ofDays(18)); // Friday 20 March
        signInAgain();
        JsonNode dialogue = created(step(id, Map.of("step", "DIALOGUE_HELD", "sessionId", session, "note", "Đối thoại tại trụ sở",
                "version", 5)));
        assertThat(last(dialogue).get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 30");
        assertThat(last(dialogue).get("sessionId").asLong()).isEqualTo(session);

        t.clock.advance(Duration.ofDays(14)); // Friday 3 April: the resolution was due on 1 April
        signInAgain();
        assertThat(caseFile(id).get("overdue").asBoolean()).isTrue();
        assertThat(ids(t.get("/api/v1/petitions?overdue=true", secretary).json().get("petitions"))).contains(id);
        JsonNode missing = step(id, Map.of("step", "DECIDED", "signer", "Chủ tịch", "outcome", "PARTLY_UPHELD", "version", 6)).json();
        assertThat(missing.toString()).contains("decisionNumber");
        JsonNode decided = created(step(id, Map.of("step", "DECIDED", "decisionNumber", "12/QĐ-UBND", "signer", "Nguyễn Văn Bình",
                "outcome", "PARTLY_UPHELD", "effectiveOn", "2026-04-03", "version", 6)));
        assertThat(last(decided).get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 31");
        assertThat(last(decided).get("outcome").asText()).isEqualTo("PARTLY_UPHELD");
        // Three working days to send the decision (LKN Art. 32): Mon 6, Tue 7, Wed 8 April.
        assertThat(decided.get("due").get("dueOn").asText()).isEqualTo("2026-04-08");
        assertThat(decided.get("due").get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 32");
        assertThat(decided.get("overdue").asBoolean()).isFalse();
        assertThat(ids(t.get("/api/v1/petitions?overdue=true", secretary).json().get("petitions"))).doesNotContain(id);
        assertThat(step(id, Map.of("step", "WITHDRAWN", "version", 7)).status()).isEqualTo(409);

        t.clock.advance(Duration.ofDays(6)); // Thursday 9 April: the decision was to be sent by Wednesday 8 April
        signInAgain();
        assertThat(caseFile(id).get("overdue").asBoolean()).isTrue();
        JsonNode notified = created(step(id, Map.of("step", "NOTIFIED", "noticeMethod", "POST", "version", 7)));
        assertThat(notified.get("overdue").asBoolean()).isFalse();
        assertThat(last(notified).get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 32");
        assertThat(absent(notified, "due")).isTrue();
        JsonNode closed = created(step(id, Map.of("step", "CLOSED", "version", 8)));
        assertThat(last(closed).get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 33");
        assertThat(closed.get("allowedSteps")).isEmpty();
        assertThat(steps(closed.get("steps"))).containsExactly("ASSIGNED", "TRANSFERRED", "IN_PROGRESS", "DIALOGUE_HELD", "DECIDED",
                "NOTIFIED", "CLOSED");
        TestServer.Response after = step(id, Map.of("step", "NOTIFIED", "noticeMethod", "POST", "version", 9));
        assertThat(after.status()).isEqualTo(409);
        assertThat(after.json().get("detail").asText()).contains("NOTIFIED");

        // The room's public list shows the register number and the status, nothing of the handling.
        JsonNode seen = find(t.get("/api/v1/sessions/" + session + "/petitions", operator).json().get("petitions"), id);
        assertThat(seen.get("status").asText()).isEqualTo("CLOSED");
        assertThat(absent(seen, "handlerAgency")).isTrue();
        assertThat(absent(seen, "summary")).isTrue();
        assertThat(t.get("/api/v1/petitions/" + id + "/steps", operator).status()).isEqualTo(403);
        assertThat(t.count("audit_log WHERE action = 'petition.step'")).isEqualTo(stepAuditsBefore + 7);
    }

    @Test
    @Order(3)
    void aDenunciationGoesFromRegistrationToItsConclusionAndHandling() throws java.sql.SQLException {
        JsonNode p = register("DENUNCIATION", null, null);
        long id = p.get("id").asLong();
        assertThat(deadline(p, "DENUNCIATION_SCREENING").get("dueOn").asText()).isEqualTo("2026-03-11");
        TestServer.Response ext = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, Map.of("status", "ACCEPTANCE_EXTENDED",
                "reason", "Xác minh tại nhiều địa điểm", "version", 1));
        assertThat(ext.status()).as(ext.body()).isEqualTo(200);
        JsonNode screening = deadline(ext.json(), "DENUNCIATION_SCREENING");
        assertThat(screening.get("dueOn").asText()).isEqualTo("2026-03-16");
        assertThat(screening.get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 24(1)");
        accept(id, 2);
        JsonNode file = caseFile(id);
        assertThat(file.get("due").get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 30(1)");
        assertThat(file.get("due").get("dueOn").asText()).isEqualTo("2026-04-01");

        JsonNode assigned = created(step(id, Map.of("step", "ASSIGNED", "unitCode", "QN-VP", "version", 3)));
        assertThat(last(assigned).get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 31");
        created(step(id, Map.of("step", "IN_PROGRESS", "version", 4)));
        JsonNode verified = created(step(id, Map.of("step", "DIALOGUE_HELD", "note", "Làm việc với người bị tố cáo", "version", 5)));
        assertThat(last(verified).get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 31");

        TestServer.Response noHandling = step(id, Map.of("step", "DECIDED", "decisionNumber", "5/KL-UBND", "signer", "Trần Văn Cường",
                "outcome", "UPHELD", "version", 6));
        assertThat(noHandling.status()).isEqualTo(422);
        assertThat(noHandling.body()).contains("handling");
        JsonNode concluded = created(step(id, Map.of("step", "DECIDED", "decisionNumber", "5/KL-UBND", "signer", "Trần Văn Cường",
                "outcome", "UPHELD", "handling", "Kiểm điểm, xử lý kỷ luật người bị tố cáo", "version", 6)));
        assertThat(last(concluded).get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 35");
        // Five working days to send the conclusion and notify the denouncer (LTC Art. 35(3)): Tue 3 to Mon 9 March.
        assertThat(concluded.get("due").get("dueOn").asText()).isEqualTo("2026-03-09");
        assertThat(concluded.get("due").get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 35(3)");
        TestServer.Response withdraw = step(id, Map.of("step", "WITHDRAWN", "version", 7));
        assertThat(withdraw.status()).isEqualTo(409);
        assertThat(withdraw.json().get("detail").asText()).contains("WITHDRAWN");

        JsonNode notified = created(step(id, Map.of("step", "NOTIFIED", "noticeMethod", "IN_PERSON", "version", 7)));
        assertThat(last(notified).get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 35(3)");
        JsonNode closed = created(step(id, Map.of("step", "CLOSED", "version", 8)));
        assertThat(last(closed).get("legalBasis").asText()).isEqualTo("LTC 25/2018/QH14 Art. 36");
        assertThat(closed.get("status").asText()).isEqualTo("CLOSED");
        // The history is append-only: the database itself refuses a rewrite.
        assertThat(t.count("petition_steps WHERE petition_id = " + id)).isEqualTo(6);
        try (java.sql.Connection c = t.server.database().unpooledConnection(); java.sql.Statement st = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.executeUpdate("UPDATE petition_steps SET legal_basis = 'x'"))
                    .hasMessageContaining("append-only");
        }
        assertThat(t.count("petition_steps WHERE legal_basis = 'x'")).isZero();
    }

    @Test
    @Order(2)
    void aSecondRoundComplaintLinksToItsFirstRound() {
        long firstId = register("COMPLAINT", 1, ID_NUMBER).get("id").asLong();
        accept(firstId, 1);
        JsonNode second = register("COMPLAINT", 2, ID_NUMBER);
        long secondId = second.get("id").asLong();
        assertThat(deadline(second, "COMPLAINT_ACCEPTANCE").get("legalBasis").asText()).isEqualTo("LKN 02/2011/QH13 Art. 36");

        TestServer.Response tooEarly = link(secondId, firstId, "SECOND_ROUND", 1);
        assertThat(tooEarly.status()).as(tooEarly.body()).isEqualTo(409);
        assertThat(tooEarly.json().get("detail").asText()).contains("LKN Art. 33");
        assertThat(link(firstId, secondId, "SECOND_ROUND", 2).status()).isEqualTo(422);

        created(step(firstId, Map.of("step", "ASSIGNED", "unitCode", "QN-VP", "version", 2)));
        created(step(firstId, Map.of("step", "IN_PROGRESS", "version", 3)));
        created(step(firstId, Map.of("step", "DECIDED", "decisionNumber", "7/QĐ", "signer", "Chủ tịch", "outcome", "REJECTED",
                "version", 4)));
        JsonNode linked = created(link(secondId, firstId, "SECOND_ROUND", 1));
        JsonNode out = linked.get("links").get(0);
        assertThat(out.get("otherId").asLong()).isEqualTo(firstId);
        assertThat(out.get("kind").asText()).isEqualTo("SECOND_ROUND");
        assertThat(out.get("outgoing").asBoolean()).isTrue();
        JsonNode in = caseFile(firstId).get("links").get(0);
        assertThat(in.get("otherId").asLong()).isEqualTo(secondId);
        assertThat(in.get("outgoing").asBoolean()).isFalse();
        assertThat(link(secondId, firstId, "SECOND_ROUND", 2).status()).isEqualTo(409);
    }

    @Test
    @Order(1)
    void aSecretaryFindsACitizensEarlierPetitionsByExactIdNumberAndEverySearchIsAuditedWithoutIt() {
        long a = register("COMPLAINT", 1, ID_NUMBER).get("id").asLong();
        long b = register("RECOMMENDATION", null, ID_NUMBER).get("id").asLong();
        long denunciation = register("DENUNCIATION", null, ID_NUMBER).get("id").asLong();
        long other = register("COMPLAINT", 1, "001087099999").get("id").asLong();

        // Spaces as people write the number on a form do not matter.
        TestServer.Response found = t.json("POST", "/api/v1/petitions/case-history", secretary, Map.of("idNumber", "001 087 012 345"));
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        List<Long> hits = ids(found.json().get("petitions"));
        assertThat(hits).containsExactlyInAnyOrder(a, b).doesNotContain(denunciation, other);
        assertThat(t.json("POST", "/api/v1/petitions/case-history", secretary, Map.of("idNumber", "12")).status()).isEqualTo(422);
        assertThat(t.json("POST", "/api/v1/petitions/case-history", operator, Map.of("idNumber", ID_NUMBER)).status()).isEqualTo(403);

        assertThat(t.count("audit_log WHERE action = 'petition.case_history_search'")).isEqualTo(1);
        assertThat(t.count("audit_log WHERE detail LIKE '%" + ID_NUMBER + "%'")).isZero();
        assertThat(t.count("petitioners WHERE id_hash IS NOT NULL AND id_hash NOT LIKE '%" + ID_NUMBER + "%'")).isEqualTo(4);

        JsonNode repeat = created(link(b, a, "REPEAT", 1));
        assertThat(repeat.get("links").get(0).get("kind").asText()).isEqualTo("REPEAT");
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** Sign-in tokens expire within the day; a test that moves its clock by days signs in again. */
    private static void signInAgain() {
        secretary = t.token("sec.l", TestServer.passwordOf("sec.l"));
        operator = t.token("op.l", TestServer.passwordOf("op.l"));
    }

    private static JsonNode register(String kind, Integer round, String idNumber) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        if (round != null) {
            body.put("complaintRound", round);
        }
        body.put("originRoomCode", ROOM);
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("name", "Lê Thị Hoa");
        person.put("address", "Tổ 3, Bãi Cháy, Hạ Long");
        if (idNumber != null) {
            person.put("idNumber", idNumber);
        }
        body.put("petitioners", List.of(person));
        body.put("summary", "Nội dung " + kind);
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static void accept(long id, long version) {
        TestServer.Response r = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, Map.of("status", "ACCEPTED",
                "version", version));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static long agency(String name) {
        TestServer.Response r = t.json("POST", "/api/v1/agencies", t.adminToken(), Map.of("name", name));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static TestServer.Response step(long id, Map<String, Object> body) {
        return t.json("POST", "/api/v1/petitions/" + id + "/steps", secretary, body);
    }

    private static TestServer.Response link(long id, long linkedId, String kind, long version) {
        return t.json("POST", "/api/v1/petitions/" + id + "/links", secretary, Map.of("linkedId", linkedId, "kind", kind,
                "version", version));
    }

    private static JsonNode caseFile(long id) {
        TestServer.Response r = t.get("/api/v1/petitions/" + id + "/steps", secretary);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode created(TestServer.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static boolean absent(JsonNode node, String field) {
        return node.path(field).isMissingNode() || node.path(field).isNull();
    }

    private static JsonNode last(JsonNode file) {
        JsonNode steps = file.get("steps");
        return steps.get(steps.size() - 1);
    }

    private static JsonNode deadline(JsonNode petition, String kind) {
        for (JsonNode d : petition.get("deadlines")) {
            if (d.get("kind").asText().equals(kind)) {
                return d;
            }
        }
        throw new AssertionError("no " + kind + " deadline in " + petition);
    }

    private static List<String> steps(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("step").asText()));
        return out;
    }

    private static List<Long> ids(JsonNode petitions) {
        List<Long> out = new ArrayList<>();
        petitions.forEach(n -> out.add(n.get("id").asLong()));
        return out;
    }

    private static JsonNode find(JsonNode petitions, long id) {
        for (JsonNode n : petitions) {
            if (n.get("id").asLong() == id) {
                return n;
            }
        }
        throw new AssertionError("petition " + id + " not listed");
    }
}
