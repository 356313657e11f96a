package org.citizenreception.control.petition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The register through HTTP: masking, reveals, the status machine, extensions, splitting, bad input, stale edits. */
class PetitionApiTest {
    static final String ROOM_A = "QN25-BAI-CHAY";
    static final String ROOM_B = "QN25-HONG-GAI";

    @TempDir
    static Path dir;
    static TestServer t;
    static String host;
    static String secretary;
    static String operatorA;
    static String operatorB;
    static long session;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.p", Role.HOST, null);
        t.createUser("sec.p", Role.SECRETARY, null);
        t.createUser("op.a", Role.ROOM_OPERATOR, ROOM_A);
        t.createUser("op.b", Role.ROOM_OPERATOR, ROOM_B);
        host = t.token("host.p", TestServer.passwordOf("host.p"));
        secretary = t.token("sec.p", TestServer.passwordOf("sec.p"));
        operatorA = t.token("op.a", TestServer.passwordOf("op.a"));
        operatorB = t.token("op.b", TestServer.passwordOf("op.b"));
        Instant start = t.clock.instant();
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên tiếp dân", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "LIST", "rooms", List.of(ROOM_A, ROOM_B))));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        session = s.json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Map<String, Object> petition(String kind, String room) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("originRoomCode", room);
        p.put("petitioners", List.of(Map.of("name", "Nguyễn Văn An", "idNumber", "012345678989", "address", "Tổ 5, Bãi Cháy, Hạ Long")));
        p.put("summary", "Nội dung " + kind);
        return p;
    }

    static JsonNode register(Map<String, Object> body) {
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void aRoomOperatorSeesOnlyItsRoomsPetitionsAndOnlyTheirPublicSide() {
        long id = register(petition("COMPLAINT", ROOM_A)).get("id").asLong();
        JsonNode mine = t.get("/api/v1/sessions/" + session + "/petitions", operatorA).json().get("petitions");
        JsonNode p = find(mine, id);
        assertThat(p.get("personalData").asText()).isEqualTo("PUBLIC");
        assertThat(p.get("registerNumber").asText()).isNotBlank();
        assertThat(p.get("kind").asText()).isEqualTo("COMPLAINT");
        assertThat(p.get("status").asText()).isEqualTo("RECEIVED");
        assertThat(p.get("petitioners")).isEmpty();
        assertThat(p.get("summary").isNull()).isTrue();
        assertThat(p.toString()).doesNotContain("Nguyễn").doesNotContain("0123").doesNotContain("Nội dung");
        assertThat(t.get("/api/v1/sessions/" + session + "/petitions", operatorB).json().get("petitions").toString()).doesNotContain("\"id\":" + id + ",");
        assertThat(t.get("/api/v1/petitions/" + id, operatorB).status()).isEqualTo(403);
        assertThat(t.get("/api/v1/petitions/" + id + "?reveal=true", operatorA).status()).isEqualTo(403);
        assertThat(t.get("/api/v1/audit?limit=1&action=access.denied&entityId=" + id, t.adminToken()).json().get("entries"))
                .as("a refused reveal is audited").hasSize(1);
        assertThat(t.get("/api/v1/petitions.csv", operatorA).status()).isEqualTo(403);
        JsonNode full = t.get("/api/v1/petitions/" + id, secretary).json().get("petition");
        assertThat(full.get("personalData").asText()).isEqualTo("FULL");
        assertThat(full.get("petitioners").get(0).get("name").asText()).isEqualTo("Nguyễn Văn An");
    }

    @Test
    void aDenouncerIsConfidentialAndEveryRevealIsAudited() {
        long id = register(petition("DENUNCIATION", ROOM_A)).get("id").asLong();
        JsonNode byDefault = t.get("/api/v1/petitions/" + id, secretary).json().get("petition");
        assertThat(byDefault.get("personalData").asText()).isEqualTo("MASKED");
        assertThat(byDefault.toString()).doesNotContain("Nguyễn Văn An").doesNotContain("012345678989");
        JsonNode room = find(t.get("/api/v1/sessions/" + session + "/petitions", operatorA).json().get("petitions"), id);
        assertThat(room.get("petitioners")).isEmpty();
        assertThat(room.toString()).as("LTC Art. 9: the room may be the denounced").doesNotContain("Nội dung DENUNCIATION");

        long before = t.count("audit_log");
        JsonNode revealed = t.get("/api/v1/petitions/" + id + "?reveal=true", secretary).json().get("petition");
        assertThat(revealed.get("petitioners").get(0).get("name").asText()).isEqualTo("Nguyễn Văn An");
        assertThat(t.count("audit_log")).isEqualTo(before + 1);
        JsonNode last = t.get("/api/v1/audit?limit=1", t.adminToken()).json();
        assertThat(last.toString()).contains("petition.reveal_identity").doesNotContain("Nguyễn Văn An");
        assertThat(t.get("/api/v1/petitions/" + id + "/versions", secretary).status()).isEqualTo(403);
    }

    @Test
    void theStatusMachineRefusesIllegalMovesAndNamesTheAllowedOnes() {
        JsonNode p = register(petition("COMPLAINT", ROOM_A));
        long id = p.get("id").asLong();
        TestServer.Response accepted = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary,
                Map.of("status", "ACCEPTED", "version", 1));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("acceptedOn").asText()).isEqualTo("2026-03-02");
        assertThat(accepted.json().get("deadlines").toString()).contains("COMPLAINT_RESOLUTION", "2026-04-01");
        long rows = t.count("petition_status_history");
        TestServer.Response refused = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary,
                Map.of("status", "REFUSED", "reason", "x", "version", 2));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("allowed: [WITHDRAWN]");
        assertThat(t.count("petition_status_history")).isEqualTo(rows);

        long d = register(petition("DENUNCIATION", ROOM_A)).get("id").asLong();
        assertThat(t.json("POST", "/api/v1/petitions/" + d + "/status", secretary, Map.of("status", "WITHDRAWN", "version", 1)).status())
                .isEqualTo(200);
        TestServer.Response noReason = t.json("POST", "/api/v1/petitions/" + d + "/status", secretary, Map.of("status", "ACCEPTED", "version", 2));
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.json().get("errors").get(0).get("field").asText()).isEqualTo("reason");
        TestServer.Response pursued = t.json("POST", "/api/v1/petitions/" + d + "/status", secretary,
                Map.of("status", "ACCEPTED", "version", 2, "reason", "Có dấu hiệu vi phạm (LTC Điều 33 khoản 3)"));
        assertThat(pursued.status()).as(pursued.body()).isEqualTo(200);
        assertThat(t.get("/api/v1/petitions/" + d, secretary).json().get("statusHistory")).hasSize(3);
    }

    @Test
    void anExtensionCitesItsDecisionAndTheLawLimitsHowMany() {
        Map<String, Object> body = petition("DENUNCIATION", ROOM_A);
        body.put("complex", true);
        long id = register(body).get("id").asLong();
        t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, Map.of("status", "ACCEPTED", "version", 1));
        TestServer.Response extended = t.json("POST", "/api/v1/petitions/" + id + "/extensions", secretary,
                Map.of("days", 30, "decisionReference", "15/QĐ-UBND", "version", 2));
        assertThat(extended.status()).as(extended.body()).isEqualTo(201);
        // Accepted Monday 2/3/2026: 30 days is 1/4; extended by 30, 1/5 is a holiday, so Monday 4/5.
        JsonNode resolution = deadline(extended.json(), "DENUNCIATION_RESOLUTION");
        assertThat(resolution.get("dueOn").asText()).isEqualTo("2026-05-04");
        assertThat(resolution.get("extensions").get(0).get("decisionReference").asText()).isEqualTo("15/QĐ-UBND");
        TestServer.Response second = t.json("POST", "/api/v1/petitions/" + id + "/extensions", secretary,
                Map.of("days", 30, "decisionReference", "16/QĐ-UBND", "version", 3));
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.json().get("detail").asText()).contains("once");
        assertThat(t.get("/api/v1/petitions/" + id, secretary).json().get("petition").get("version").asLong()).isEqualTo(3);
    }

    @Test
    void aMixedPetitionIsSplitIntoLinkedPetitionsWithTheirOwnNumbers() {
        JsonNode original = register(petition("COMPLAINT", ROOM_A));
        long id = original.get("id").asLong();
        TestServer.Response split = t.json("POST", "/api/v1/petitions/" + id + "/split", secretary, Map.of("version", 1, "parts", List.of(
                Map.of("kind", "COMPLAINT", "summary", "Phần khiếu nại"), Map.of("kind", "DENUNCIATION", "summary", "Phần tố cáo"))));
        assertThat(split.status()).as(split.body()).isEqualTo(201);
        JsonNode parts = split.json().get("parts");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).get("splitFromId").asLong()).isEqualTo(id);
        assertThat(parts.get(1).get("kind").asText()).isEqualTo("DENUNCIATION");
        assertThat(parts.get(0).get("registerNumber").asText()).isNotEqualTo(original.get("registerNumber").asText());
        JsonNode after = t.get("/api/v1/petitions/" + id, secretary).json();
        assertThat(after.get("petition").get("status").asText()).isEqualTo("FILED");
        assertThat(after.get("splitInto")).hasSize(2);
    }

    @Test
    void aStaleEditIsRefusedWithBothSidesAndAFlagChangeRecomputesTheDeadline() {
        long id = register(petition("COMPLAINT", ROOM_A)).get("id").asLong();
        t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, Map.of("status", "ACCEPTED", "version", 1));
        TestServer.Response remote = t.json("PATCH", "/api/v1/petitions/" + id, secretary, Map.of("remoteArea", true, "version", 2));
        assertThat(remote.status()).as(remote.body()).isEqualTo(200);
        assertThat(deadline(remote.json(), "COMPLAINT_RESOLUTION").get("dueOn").asText()).isEqualTo("2026-04-16");
        TestServer.Response stale = t.json("PATCH", "/api/v1/petitions/" + id, secretary, Map.of("summary", "Bản sửa cũ", "version", 2));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("current").get("remoteArea").asBoolean()).isTrue();
        assertThat(stale.json().get("yours").get("summary").asText()).isEqualTo("Bản sửa cũ");
        TestServer.Response ifMatch = t.send("PATCH", "/api/v1/petitions/" + id, secretary, "application/json",
                "{\"summary\":\"Bản sửa mới\"}");
        assertThat(ifMatch.status()).isEqualTo(422);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        long petitions = t.count("petitions");
        long versions = t.count("petition_versions");
        long audit = t.count("audit_log");
        String path = "/api/v1/sessions/" + session + "/petitions";
        TestServer.Response malformed = t.send("POST", path, secretary, "application/json", "{\"kind\": \"COMPLAINT\",");
        TestServer.Response wrongType = t.json("POST", path, secretary, "{\"kind\":\"COMPLAINT\",\"headCount\":\"five\",\"summary\":\"x\"}");
        TestServer.Response unknownField = t.json("POST", path, secretary, "{\"kind\":\"COMPLAINT\",\"summry\":\"x\"}");
        TestServer.Response unknownKind = t.json("POST", path, secretary, "{\"kind\":\"PRAISE\",\"summary\":\"x\"}");
        Map<String, Object> noSummary = petition("COMPLAINT", ROOM_A);
        noSummary.remove("summary");
        TestServer.Response missing = t.json("POST", path, secretary, noSummary);
        Map<String, Object> group = petition("COMPLAINT", ROOM_A);
        group.put("headCount", 6);
        TestServer.Response noRepresentative = t.json("POST", path, secretary, group);
        TestServer.Response notInvited = t.json("POST", path, secretary, petition("COMPLAINT", "QN25-CO-TO"));
        TestServer.Response notJson = t.send("POST", path, secretary, "text/plain", "kind=COMPLAINT");
        Map<String, Object> huge = petition("COMPLAINT", ROOM_A);
        huge.put("summary", "x".repeat(2 * 1024 * 1024));
        TestServer.Response oversized = t.json("POST", path, secretary, huge);
        assertThat(oversized.status()).isEqualTo(413);
        Map<String, Object> tooLong = petition("COMPLAINT", ROOM_A);
        tooLong.put("summary", "x".repeat(PetitionRules.MAX_TEXT + 1));
        TestServer.Response longSummary = t.json("POST", path, secretary, tooLong);
        TestServer.Response badVersion = t.json("POST", "/api/v1/petitions/1/annotations", secretary, "{\"text\":\"x\",\"version\":\"one\"}");
        TestServer.Response noSuchPetition = t.json("POST", "/api/v1/petitions/987654/status", secretary, Map.of("status", "FILED", "version", 1));
        for (TestServer.Response r : List.of(malformed, wrongType, unknownField, unknownKind, missing, noRepresentative, notInvited, notJson,
                oversized, longSummary, badVersion, noSuchPetition)) {
            assertThat(r.contentType()).as(r.body()).startsWith("application/problem+json");
            assertThat(r.status()).as(r.body()).isIn(400, 404, 413, 415, 422);
        }
        assertThat(unknownField.json().get("errors").get(0).get("field").asText()).isEqualTo("summry");
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("summary");
        assertThat(noRepresentative.json().get("detail").asText()).contains("Art. 29");
        assertThat(t.count("petitions")).isEqualTo(petitions);
        assertThat(t.count("petition_versions")).isEqualTo(versions);
        assertThat(t.count("audit_log")).isEqualTo(audit);

        // Numbers stay gapless across the refused requests.
        String before = register(petition("REFLECTION", ROOM_A)).get("registerNumber").asText();
        t.json("POST", path, secretary, noSummary);
        String after = register(petition("REFLECTION", ROOM_A)).get("registerNumber").asText();
        assertThat(Integer.parseInt(after.substring(5))).isEqualTo(Integer.parseInt(before.substring(5)) + 1);
    }

    @Test
    void sqlMetacharactersInEveryTextFieldAreStoredVerbatim() {
        String evil = "'; DROP TABLE petitions; -- \" OR 1=1 /* % _ \\";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "RECOMMENDATION");
        body.put("originRoomCode", ROOM_A);
        body.put("petitioners", List.of(Map.of("name", evil, "idNumber", "", "address", evil)));
        body.put("summary", evil);
        body.put("requests", evil);
        body.put("priorHandling", evil);
        body.put("handlerAgency", evil);
        JsonNode p = register(body);
        JsonNode stored = t.get("/api/v1/petitions/" + p.get("id").asLong(), secretary).json().get("petition");
        for (String field : List.of("summary", "requests", "priorHandling", "handlerAgency")) {
            assertThat(stored.get(field).asText()).isEqualTo(evil);
        }
        assertThat(stored.get("petitioners").get(0).get("name").asText()).isEqualTo(evil);
        TestServer.Response search = t.get("/api/v1/petitions?q=" + java.net.URLEncoder.encode("% _", java.nio.charset.StandardCharsets.UTF_8), secretary);
        assertThat(search.json().get("petitions")).hasSize(1);
        TestServer.Response note = t.json("POST", "/api/v1/petitions/" + p.get("id").asLong() + "/annotations", secretary,
                Map.of("text", evil, "version", 1));
        assertThat(note.json().get("annotation").get("text").asText()).isEqualTo(evil);
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode n : list) {
            if (n.get("id").asLong() == id) {
                return n;
            }
        }
        throw new AssertionError("petition " + id + " not in " + list);
    }

    private static JsonNode deadline(JsonNode petition, String kind) {
        for (JsonNode d : petition.get("deadlines")) {
            if (d.get("kind").asText().equals(kind)) {
                return d;
            }
        }
        throw new AssertionError(kind + " not in " + petition.get("deadlines"));
    }
}
