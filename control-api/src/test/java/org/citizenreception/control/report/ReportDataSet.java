package org.citizenreception.control.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestServer;

/**
 * A known register for the report tests, seeded through the REST API on a server of its own; the
 * figures worked out by hand from it are in {@link ReportCountsTest}. Two years: H1 2025 under the
 * 2024 directory (Hồng Gai and Bạch Đằng wards of Hạ Long, merged on 1 July 2025 into the new Hồng Gai ward; Bãi Cháy, whose successor
 * the 2025 file does not record) and H1 2026 under the 2025 directory; all four kinds; the outcomes
 * upheld, partly upheld, rejected, and the dispositions refused, guided, forwarded, explained,
 * filed, withdrawn.
 *
 * <pre>
 *  #   kind  unit (original)      received    path                                                    agency
 *  P1  C     QN24-HLG-HONG-GAI    2025-02-03  acc 02-05, ASSIGNED 02-06, IN_PROGRESS 02-10,           A
 *                                             DECIDED 02-20 UPHELD (due 03-07: in time), NOTIFIED, CLOSED
 *  P2  D     QN24-HLG-BACH-DANG   2025-03-03  acc 03-05, ASSIGNED 03-06, IN_PROGRESS 03-07,           B
 *                                             DECIDED 2025-09-01 (late; overdue on 2025-06-30)
 *  P3  R     QN24-HLG-BAI-CHAY    2025-04-10  GUIDED 04-11
 *  P4  C     QN24-HLG-HONG-GAI    2025-06-20  acc 06-20, ASSIGNED 06-23 (due 07-20), never decided    A
 *  P5  C     QN24-HLG-BACH-DANG   2025-11-03  REFUSED 11-05
 *  P6  C     QN24-HLG-HONG-GAI    2025-12-01  acc 12-02, ASSIGNED 12-03 (due 2026-01-01), IN_PROGRESS, A
 *                                             DECIDED 2026-01-20 REJECTED (late), NOTIFIED 01-22
 *  P7  F     QN24-HLG-BAI-CHAY    2025-01-15  FILED 01-16
 *  Q1  C     QN25-HONG-GAI        2026-01-12  acc 01-13, ASSIGNED 01-14, IN_PROGRESS, DECIDED 02-02   B
 *                                             PARTLY_UPHELD (due 02-12: in time), NOTIFIED, CLOSED
 *  Q2  C     QN25-BAI-CHAY        2026-02-02  acc 02-03, ASSIGNED 02-04 (due 03-05), IN_PROGRESS 02-05 A
 *  Q3  D     QN25-HONG-GAI        2026-03-02  acc 03-03, ASSIGNED 03-04, IN_PROGRESS, DECIDED 03-20    A
 *                                             (due 04-02: in time), NOTIFIED 03-23
 *  Q4  R     QN25-BAI-CHAY        2026-04-06  FORWARDED 04-07
 *  Q5  F     QN25-HONG-GAI        2026-05-04  EXPLAINED_RESOLVED 05-05
 *  Q6  D     QN25-BAI-CHAY        2026-06-01  FILED 06-02
 *  Q7  C     QN25-HONG-GAI        2026-06-15  WITHDRAWN 06-16
 *  Q8  C     QN25-HONG-GAI        2026-06-29  RECEIVED (acceptance due 07-09: not overdue on 06-30)
 * </pre>
 */
final class ReportDataSet implements AutoCloseable {
    static final String HONG_GAI_24 = "QN24-HLG-HONG-GAI";
    static final String BACH_DANG_24 = "QN24-HLG-BACH-DANG";
    static final String BAI_CHAY_24 = "QN24-HLG-BAI-CHAY";
    static final String HONG_GAI_25 = "QN25-HONG-GAI";
    static final String BAI_CHAY_25 = "QN25-BAI-CHAY";
    static final String AGENCY_A = "Sở Tài nguyên và Môi trường";
    static final String AGENCY_B = "=Thanh tra tỉnh";

    final TestServer t;
    String admin;
    String secretary;
    String host;
    long agencyA;
    long agencyB;
    private final Map<Long, Long> versions = new java.util.HashMap<>();

    ReportDataSet(Path dir) {
        // The register starts under the 2024 directory, whose units the H1 2025 petitions came from.
        t = TestServer.start(dir, "--rooms.directory=" + TestServer.configFile("rooms-2024.csv"));
        t.createUser("sec.r", Role.SECRETARY, null);
        t.createUser("host.r", Role.HOST, null);
        admin = t.adminToken();
        host = t.token("host.r", TestServer.passwordOf("host.r"));
        long provinceChair = leader("Nguyễn Văn Tỉnh", "Chủ tịch UBND tỉnh");
        long wardChair = leader("Trần Thị Phường", "Chủ tịch UBND phường Hồng Gai");
        leader("Lê Văn Sở", "Giám đốc Sở Tư pháp");
        // Monday 2 March 2026: the province chair holds a session in the 2024 directory, the ward chair
        // one after the 2025 directory is loaded; a third, planned for the ward chair, is never held.
        long s2024 = heldSession(provinceChair, List.of(HONG_GAI_24, BACH_DANG_24, BAI_CHAY_24), 2);
        plannedSession(wardChair, 3);
        TestServer.Response imported = t.send("POST", "/api/v1/rooms/import", admin, "text/csv", TestServer.readConfigFile("rooms-2025.csv"));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        long s2025 = heldSession(wardChair, List.of(HONG_GAI_25, BAI_CHAY_25), 6);

        t.clock.advance(Duration.ofDays(126)); // Monday 6 July 2026: both half-years are over
        admin = t.adminToken();
        secretary = t.token("sec.r", TestServer.passwordOf("sec.r"));
        agencyA = agency(AGENCY_A);
        agencyB = agency(AGENCY_B);

        long p1 = register(s2024, "COMPLAINT", HONG_GAI_24, "2025-02-03");
        acceptAndHandle(p1, "2025-02-05", agencyA, "2025-02-06", "2025-02-10");
        decide(p1, "2025-02-20", "UPHELD");
        step(p1, Map.of("step", "NOTIFIED", "noticeMethod", "POST", "effectiveOn", "2025-02-24"));
        step(p1, Map.of("step", "CLOSED", "effectiveOn", "2025-02-25"));
        long p2 = register(s2024, "DENUNCIATION", BACH_DANG_24, "2025-03-03");
        acceptAndHandle(p2, "2025-03-05", agencyB, "2025-03-06", "2025-03-07");
        decide(p2, "2025-09-01", "REJECTED");
        status(register(s2024, "RECOMMENDATION", BAI_CHAY_24, "2025-04-10"), "GUIDED", "2025-04-11");
        long p4 = register(s2024, "COMPLAINT", HONG_GAI_24, "2025-06-20");
        status(p4, "ACCEPTED", "2025-06-20");
        step(p4, Map.of("step", "ASSIGNED", "agencyId", agencyA, "effectiveOn", "2025-06-23"));
        status(register(s2024, "COMPLAINT", BACH_DANG_24, "2025-11-03"), "REFUSED", "2025-11-05");
        long p6 = register(s2024, "COMPLAINT", HONG_GAI_24, "2025-12-01");
        acceptAndHandle(p6, "2025-12-02", agencyA, "2025-12-03", "2025-12-04");
        decide(p6, "2026-01-20", "REJECTED");
        step(p6, Map.of("step", "NOTIFIED", "noticeMethod", "IN_PERSON", "effectiveOn", "2026-01-22"));
        status(register(s2024, "REFLECTION", BAI_CHAY_24, "2025-01-15"), "FILED", "2025-01-16");

        long q1 = register(s2025, "COMPLAINT", HONG_GAI_25, "2026-01-12");
        acceptAndHandle(q1, "2026-01-13", agencyB, "2026-01-14", "2026-01-15");
        decide(q1, "2026-02-02", "PARTLY_UPHELD");
        step(q1, Map.of("step", "NOTIFIED", "noticeMethod", "ELECTRONIC", "effectiveOn", "2026-02-03"));
        step(q1, Map.of("step", "CLOSED", "effectiveOn", "2026-02-04"));
        acceptAndHandle(register(s2025, "COMPLAINT", BAI_CHAY_25, "2026-02-02"), "2026-02-03", agencyA, "2026-02-04", "2026-02-05");
        long q3 = register(s2025, "DENUNCIATION", HONG_GAI_25, "2026-03-02");
        acceptAndHandle(q3, "2026-03-03", agencyA, "2026-03-04", "2026-03-05");
        decide(q3, "2026-03-20", "UPHELD");
        step(q3, Map.of("step", "NOTIFIED", "noticeMethod", "POST", "effectiveOn", "2026-03-23"));
        status(register(s2025, "RECOMMENDATION", BAI_CHAY_25, "2026-04-06"), "FORWARDED", "2026-04-07");
        status(register(s2025, "REFLECTION", HONG_GAI_25, "2026-05-04"), "EXPLAINED_RESOLVED", "2026-05-05");
        status(register(s2025, "DENUNCIATION", BAI_CHAY_25, "2026-06-01"), "FILED", "2026-06-02");
        status(register(s2025, "COMPLAINT", HONG_GAI_25, "2026-06-15"), "WITHDRAWN", "2026-06-16");
        register(s2025, "COMPLAINT", HONG_GAI_25, "2026-06-29");
    }

    @Override
    public void close() {
        t.close();
    }

    long leader(String name, String position) {
        TestServer.Response r = t.json("POST", "/api/v1/leaders", admin, Map.of("name", name, "position", position));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private long agency(String name) {
        TestServer.Response r = t.json("POST", "/api/v1/agencies", admin, Map.of("name", name));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    /** A session of today (2 March 2026) at {@code hour}:00 UTC, taken live and ended. */
    long heldSession(long leaderId, List<String> rooms, int hour) {
        long id = plannedSession(leaderId, rooms, hour);
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        TestServer.Response ended = t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "ENDED"));
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        return id;
    }

    private void plannedSession(long leaderId, int hour) {
        plannedSession(leaderId, List.of("QN-VP"), hour);
    }

    private long plannedSession(long leaderId, List<String> rooms, int hour) {
        Instant start = Instant.parse("2026-03-02T00:00:00Z").plus(Duration.ofHours(hour));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Phiên tiếp công dân");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(1)).toString());
        body.put("presidingLeaderId", leaderId);
        body.put("hostRoomCode", "QN-VP");
        body.put("invitation", Map.of("type", "LIST", "rooms", rooms));
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, body);
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        return s.json().get("id").asLong();
    }

    private long register(long session, String kind, String room, String receivedOn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        if (kind.equals("COMPLAINT")) {
            body.put("complaintRound", 1);
        }
        body.put("originRoomCode", room);
        body.put("petitioners", List.of(Map.of("name", "Phạm Văn Dân", "address", "Hạ Long")));
        body.put("summary", "Nội dung " + kind);
        body.put("receivedOn", receivedOn);
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        versions.put(r.json().get("id").asLong(), r.json().get("version").asLong());
        return r.json().get("id").asLong();
    }

    private void status(long id, String status, String effectiveOn) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("status", status, "effectiveOn", effectiveOn, "version", version(id)));
        if (status.equals("REFUSED")) {
            body.put("reason", "Không đủ điều kiện thụ lý");
        }
        TestServer.Response r = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        versions.merge(id, 1L, Long::sum);
    }

    private void acceptAndHandle(long id, String acceptedOn, long agency, String assignedOn, String inProgressOn) {
        status(id, "ACCEPTED", acceptedOn);
        step(id, Map.of("step", "ASSIGNED", "agencyId", agency, "effectiveOn", assignedOn));
        step(id, Map.of("step", "IN_PROGRESS", "effectiveOn", inProgressOn));
    }

    private void decide(long id, String on, String outcome) {
        step(id, Map.of("step", "DECIDED", "decisionNumber", "1/QĐ-UBND", "signer", "Chủ tịch", "outcome", outcome,
                "handling", "Chuyển cơ quan điều tra", "effectiveOn", on));
    }

    private void step(long id, Map<String, Object> in) {
        Map<String, Object> body = new LinkedHashMap<>(in);
        body.put("version", version(id));
        TestServer.Response r = t.json("POST", "/api/v1/petitions/" + id + "/steps", secretary, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        versions.merge(id, 1L, Long::sum);
    }

    /** Each accepted change adds one to a petition's version: kept here rather than read back, to spare a request per change. */
    private long version(long id) {
        return versions.get(id);
    }
}
