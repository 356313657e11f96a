package org.citizenreception.control.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A known register ({@link ReportDataSet}, seeded through the REST API) and every figure of the
 * reports checked against numbers worked out by hand from it: Two years: H1 2025 under the 2024 directory (Hồng Gai and Bạch
 * Đằng wards of Hạ Long, merged on 1 July 2025 into the new Hồng Gai ward; Bãi Cháy, whose successor
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
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCountsTest {
    private static final String HONG_GAI_24 = ReportDataSet.HONG_GAI_24;
    private static final String BACH_DANG_24 = ReportDataSet.BACH_DANG_24;
    private static final String BAI_CHAY_24 = ReportDataSet.BAI_CHAY_24;
    private static final String HONG_GAI_25 = ReportDataSet.HONG_GAI_25;
    private static final String BAI_CHAY_25 = ReportDataSet.BAI_CHAY_25;
    private static final String AGENCY_A = ReportDataSet.AGENCY_A;
    private static final String AGENCY_B = ReportDataSet.AGENCY_B;

    @TempDir
    static Path dir;
    ReportDataSet data;
    TestServer t;
    String admin;
    String secretary;

    @BeforeAll
    void seed() {
        data = new ReportDataSet(dir);
        t = data.t;
        admin = data.admin;
        secretary = data.secretary;
    }

    @AfterAll
    void stop() {
        data.close();
    }

    @Test
    void theSixMonthReportCountsTheFirstHalfOf2026AgainstTheFirstHalfOf2025() {
        JsonNode r = report("/api/v1/reports/six-months?from=2026-03-15", admin);
        assertThat(r.get("from").asText()).isEqualTo("2026-01-01");
        assertThat(r.get("to").asText()).isEqualTo("2026-06-30");
        assertThat(r.get("comparisonFrom").asText()).isEqualTo("2025-01-01");
        assertThat(r.get("comparisonTo").asText()).isEqualTo("2025-06-30");
        // Received Q1..Q8; decided in the half-year P6, Q1, Q3; open past the deadline on 30 June: P4, Q2.
        assertThat(totals(r.get("current"))).containsExactly(8L, 3L, 2L);
        // H1 2025: received P1, P2, P3, P4, P7; decided P1; on 30 June 2025 P2 was past its deadline (P4 not yet).
        assertThat(totals(r.get("previousYear"))).containsExactly(5L, 1L, 1L);
        // Open on 31 December 2025: P4 (assigned) and P6 (in progress).
        assertThat(r.get("backlogCarriedOver").asLong()).isEqualTo(2);
        // Of P6 (late), Q1 and Q3 (in time): 2 of 3.
        assertThat(r.get("resolvedWithinLimit").asLong()).isEqualTo(2);
        assertThat(r.get("resolutionRateWithinLimit").asDouble()).isEqualTo(0.667);
        assertThat(map(r.get("byKind"))).containsExactly(Map.entry("COMPLAINT", 4L), Map.entry("DENUNCIATION", 2L),
                Map.entry("RECOMMENDATION", 1L), Map.entry("REFLECTION", 1L));
        assertThat(map(r.get("byStatus"))).containsOnly(Map.entry("RECEIVED", 1L), Map.entry("FORWARDED", 1L),
                Map.entry("EXPLAINED_RESOLVED", 1L), Map.entry("FILED", 1L), Map.entry("WITHDRAWN", 1L),
                Map.entry("IN_PROGRESS", 1L), Map.entry("NOTIFIED", 1L), Map.entry("CLOSED", 1L));
        assertThat(agencies(r)).containsExactly(Map.entry("", 5L), Map.entry(AGENCY_B, 1L), Map.entry(AGENCY_A, 2L));
        assertThat(units(r)).containsExactly(BAI_CHAY_25 + "=3[]", HONG_GAI_25 + "=5[]");
        // Leaders in the half-year: the province chair 1 of 6 months, the ward chair 1 of 25 whole
        // weeks (Mondays 5 January .. 22 June), the agency head 0 of 6.
        assertThat(leaders(r)).containsExactly("Lê Văn Sở AGENCY_HEAD 0/6 below", "Nguyễn Văn Tỉnh PROVINCE_CHAIR 1/6 below",
                "Trần Thị Phường COMMUNE_CHAIR 1/25 below");
    }

    @Test
    void petitionsOfTheMergedWardsOf2025AreReportedUnderTheirSuccessorWithTheOriginalsShown() {
        JsonNode r = report("/api/v1/reports/period?from=2025-01-01&to=2025-12-31", admin);
        // Decided P1, P2; open on 31 December past the deadline: P4 only (P6 was due on 1 January 2026).
        assertThat(totals(r.get("current"))).containsExactly(7L, 2L, 1L);
        assertThat(units(r)).containsExactly(BAI_CHAY_24 + "=2[]", HONG_GAI_25 + "=5[" + BACH_DANG_24 + ", " + HONG_GAI_24 + "]");
        assertThat(r.get("byUnit").get(1).get("unitName").asText()).isEqualTo("Phường Hồng Gai");

        // The new ward's own figures include its predecessors' petitions, this year and last.
        JsonNode ward = report("/api/v1/reports/six-months?from=2026-01-01&unit=" + HONG_GAI_25, admin);
        assertThat(totals(ward.get("current"))).containsExactly(5L, 3L, 1L);
        assertThat(totals(ward.get("previousYear"))).containsExactly(3L, 1L, 1L);
        assertThat(ward.get("backlogCarriedOver").asLong()).isEqualTo(2);
        JsonNode oldWard = report("/api/v1/reports/six-months?from=2025-01-01&unit=" + BACH_DANG_24, admin);
        assertThat(totals(oldWard.get("current"))).containsExactly(1L, 0L, 1L);
    }

    @Test
    void theTwiceMonthlyReviewAndTheDutyReportCountFromTheLegalMinimum() {
        JsonNode review = report("/api/v1/reports/review-fortnight?from=2026-06-20", admin);
        assertThat(review.get("from").asText()).isEqualTo("2026-06-16");
        assertThat(review.get("to").asText()).isEqualTo("2026-06-30");
        assertThat(totals(review.get("current"))).containsExactly(1L, 0L, 2L); // Q8; nothing decided; P4, Q2 late
        assertThat(review.get("backlogCarriedOver").asLong()).isEqualTo(3); // P4, Q2 and Q7 (withdrawn on the 16th)
        assertThat(review.get("resolutionRateWithinLimit").isNull()).isTrue();

        // A period still running (today is 6 July 2026) counts overdue as of today: Q8's acceptance,
        // due on 9 July, is not missed in advance; P4 and Q2 are.
        JsonNode running = report("/api/v1/reports/six-months", admin);
        assertThat(running.get("from").asText()).isEqualTo("2026-07-01");
        assertThat(totals(running.get("current"))).containsExactly(0L, 0L, 2L);

        JsonNode march = report("/api/v1/reports/period?from=2026-03-01&to=2026-03-31", admin);
        // March 2026: one whole month, four whole weeks (2-8, 9-15, 16-22, 23-29).
        assertThat(leaders(march)).containsExactly("Lê Văn Sở AGENCY_HEAD 0/1 below", "Nguyễn Văn Tỉnh PROVINCE_CHAIR 1/1 met",
                "Trần Thị Phường COMMUNE_CHAIR 1/4 below");
    }

    @Test
    void theCsvHoldsEveryFigureAndNeutralisesTypedNames() {
        TestServer.Response csv = t.get("/api/v1/reports/six-months.csv?from=2026-01-01", admin);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().replace("\uFEFF", "").lines().toList();
        assertThat(lines.get(0)).isEqualTo("section,item,original_units,value,previous_year,minimum");
        // header, period, 6 totals, 2 units, 4 kinds, 8 statuses, 3 agencies, 3 leaders
        assertThat(lines).hasSize(28);
        assertThat(lines).contains("totals,received,,8,5,", "totals,resolved,,3,1,", "totals,overdue,,2,1,",
                "totals,backlog_carried_over,,2,,", "kind,COMPLAINT,,4,,", "agency,'=Thanh tra tỉnh,,1,,");
    }

    @Test
    void staffOfAUnitSeeTheirAreaAndABadPeriodIsRefusedNamingTheField() {
        long unitSecretaryId = t.createUser("sec.bc", Role.SECRETARY, null);
        TestServer.Response moved = t.json("PATCH", "/api/v1/users/" + unitSecretaryId, t.adminToken(), Map.of("unitCode", BAI_CHAY_25));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        String unitSecretary = t.token("sec.bc", TestServer.passwordOf("sec.bc"));
        JsonNode own = report("/api/v1/reports/six-months?from=2026-01-01", unitSecretary);
        assertThat(totals(own.get("current"))).containsExactly(3L, 0L, 1L); // Q2, Q4, Q6; Q2 late
        assertThat(units(own)).containsExactly(BAI_CHAY_25 + "=3[]");
        assertThat(t.get("/api/v1/reports/six-months?unit=" + HONG_GAI_25, unitSecretary).status()).isEqualTo(403);
        assertThat(report("/api/v1/reports/six-months?from=2026-01-01", secretary).get("current").get("received").asLong())
                .isEqualTo(8);

        assertField("/api/v1/reports/period?from=2026-02-30&to=2026-03-01", "from");
        assertField("/api/v1/reports/period?from=2026-03-01", "to");
        assertField("/api/v1/reports/period?from=2026-03-02&to=2026-03-01", "to");
        assertField("/api/v1/reports/review-fortnight?from=2026-03-02&to=2026-03-10", "to");
        assertField("/api/v1/reports/monthly", "kind");
        assertField("/api/v1/reports/six-months?unit=QN-NOWHERE", "unit");
    }

    /**
     * The duty rule (ReportService): a session presided by a host account whose display name is a
     * leader's counts on that leader's row, once; the account scheduling a session for a leader of
     * the list (host.r, who scheduled every session here) is its operator and is never counted.
     * July 2026: one whole month, three whole weeks (6-12, 13-19, 20-26).
     */
    @Test
    void aHostAccountThatIsALeaderCountsOnTheLeadersRowAndTheOperatorNever() {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("username", "le.van.so");
        account.put("displayName", "lê văn sở");
        account.put("role", "HOST");
        account.put("password", TestServer.passwordOf("le.van.so"));
        TestServer.Response created = t.json("POST", "/api/v1/users", admin, account);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long accountId = created.json().get("id").asLong();
        String host = t.token("host.r", TestServer.passwordOf("host.r")); // signed in again: the seed's token is months old
        java.time.Instant start = t.clock.instant().plus(java.time.Duration.ofHours(1));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Phiên tiếp công dân của Giám đốc Sở");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(java.time.Duration.ofHours(1)).toString());
        body.put("presidingUserId", accountId);
        body.put("hostRoomCode", "QN-VP");
        body.put("invitation", Map.of("type", "LIST", "rooms", List.of(HONG_GAI_25)));
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, body);
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        long id = s.json().get("id").asLong();
        String presiding = t.token("le.van.so", TestServer.passwordOf("le.van.so"));
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", presiding, Map.of("state", "LIVE")).status()).isEqualTo(200);
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", presiding, Map.of("state", "ENDED")).status()).isEqualTo(200);

        JsonNode july = report("/api/v1/reports/period?from=2026-07-01&to=2026-07-31", admin);
        assertThat(leaders(july)).containsExactly("Lê Văn Sở AGENCY_HEAD 1/1 met", "Nguyễn Văn Tỉnh PROVINCE_CHAIR 0/1 below",
                "Trần Thị Phường COMMUNE_CHAIR 0/3 below");
    }

    private void assertField(String path, String field) {
        TestServer.Response r = t.get(path, admin);
        assertThat(r.status()).as(path).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).startsWith(field + ":");
    }

    private JsonNode report(String path, String token) {
        TestServer.Response r = t.get(path, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<Long> totals(JsonNode n) {
        return List.of(n.get("received").asLong(), n.get("resolved").asLong(), n.get("overdue").asLong());
    }

    private static Map<String, Long> map(JsonNode n) {
        Map<String, Long> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    private static Map<String, Long> agencies(JsonNode r) {
        Map<String, Long> m = new LinkedHashMap<>();
        r.get("byAgency").forEach(a -> m.put(a.get("agency").asText(), a.get("received").asLong()));
        return m;
    }

    private static List<String> units(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("byUnit").forEach(u -> {
            List<String> originals = new ArrayList<>();
            u.get("originalUnits").forEach(o -> originals.add(o.asText()));
            out.add(u.get("unitCode").asText() + "=" + u.get("received").asLong() + originals);
        });
        return out;
    }

    private static List<String> leaders(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("leaders").forEach(l -> out.add(l.get("name").asText() + " " + l.get("duty").asText() + " " + l.get("held").asLong()
                + "/" + l.get("minimum").asLong() + (l.get("belowMinimum").asBoolean() ? " below" : " met")));
        return out;
    }
}
