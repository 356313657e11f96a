package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recurring schedules consult the holiday table (config/holidays-vn.csv): preview and generation through HTTP. */
class HolidayAwareScheduleTest {
    @TempDir
    static Path dir;
    static TestServer t;
    static String host;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.h", Role.HOST, null);
        host = t.token("host.h", TestServer.passwordOf("host.h"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Map<String, Object> secondOfEachMonth(String from, String until, String onNonWorkingDay) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recurrence", Map.of("type", "MONTHLY_ON_DAY", "dayOfMonth", 2));
        body.put("validFrom", from);
        if (until != null) {
            body.put("validUntil", until);
        }
        if (onNonWorkingDay != null) {
            body.put("onNonWorkingDay", onNonWorkingDay);
        }
        return body;
    }

    static Map<String, JsonNode> byRuleDate(JsonNode preview) {
        Map<String, JsonNode> out = new HashMap<>();
        preview.get("occurrences").forEach(o -> out.put(o.get("ruleDate").asText(), o));
        return out;
    }

    @Test
    void theSecondOfEachMonthThrough2027MovesNationalDayAndTheWeekendsToTheNextWorkingDayAndSaysWhy() {
        TestServer.Response r = t.json("POST", "/api/v1/session-schedules/preview", host, secondOfEachMonth("2027-01-01", "2027-12-31", null));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode preview = r.json();
        assertThat(preview.get("onNonWorkingDay").asText()).isEqualTo("MOVE");
        assertThat(preview.get("occurrences")).hasSize(12);
        Map<String, JsonNode> at = byRuleDate(preview);

        JsonNode nationalDay = at.get("2027-09-02");
        assertThat(nationalDay.get("outcome").asText()).isEqualTo("MOVED");
        assertThat(nationalDay.get("date").asText()).isEqualTo("2027-09-06"); // 3/9 is the adjacent day off, then the weekend
        assertThat(nationalDay.get("reasons")).hasSize(4);
        assertThat(nationalDay.get("reasons").get(0).get("kind").asText()).isEqualTo("HOLIDAY");
        assertThat(nationalDay.get("reasons").get(0).get("holiday").asText()).isEqualTo("Quốc khánh");
        assertThat(nationalDay.get("reasons").get(1).get("holiday").asText()).startsWith("Quốc khánh (ngày liền kề");
        assertThat(nationalDay.get("reasons").get(2).get("kind").asText()).isEqualTo("WEEKEND");
        assertThat(nationalDay.get("reasons").get(2).get("dayOfWeek").asText()).isEqualTo("SATURDAY");

        // Saturday 2/1 and Saturday 2/10 go to the Monday; Sunday 2/5 passes Monday 3/5 (Labour Day moved off Saturday 1/5).
        assertThat(at.get("2027-01-02").get("date").asText()).isEqualTo("2027-01-04");
        assertThat(at.get("2027-01-02").get("reasons").get(0).get("kind").asText()).isEqualTo("WEEKEND");
        assertThat(at.get("2027-10-02").get("date").asText()).isEqualTo("2027-10-04");
        assertThat(at.get("2027-05-02").get("date").asText()).isEqualTo("2027-05-04");
        assertThat(at.get("2027-05-02").get("reasons").get(1).get("kind").asText()).isEqualTo("HOLIDAY");
        assertThat(at.get("2027-05-02").get("reasons").get(1).get("date").asText()).isEqualTo("2027-05-03");
        // Working days stay.
        for (String kept : new String[] {"2027-02-02", "2027-03-02", "2027-04-02", "2027-06-02", "2027-07-02", "2027-08-02", "2027-11-02",
                "2027-12-02"}) {
            assertThat(at.get(kept).get("outcome").asText()).as(kept).isEqualTo("KEPT");
            assertThat(at.get(kept).get("date").asText()).isEqualTo(kept);
        }
        // The table lists 2027 and the rule stops with it: nothing to warn about.
        assertThat(preview.get("holidayTableLastYear").asInt()).isEqualTo(2027);
        assertThat(preview.get("warnings")).isEmpty();
    }

    @Test
    void aSkippingRuleDropsTheClosedDaysInsteadAndKeepsTheRest() {
        TestServer.Response r = t.json("POST", "/api/v1/session-schedules/preview", host,
                secondOfEachMonth("2027-01-01", "2027-12-31", "SKIP"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> at = byRuleDate(r.json());
        for (String skipped : new String[] {"2027-01-02", "2027-05-02", "2027-09-02", "2027-10-02"}) {
            assertThat(at.get(skipped).get("outcome").asText()).as(skipped).isEqualTo("SKIPPED");
            assertThat(at.get(skipped).get("date").isNull()).isTrue();
            assertThat(at.get(skipped).get("reasons")).isNotEmpty();
        }
        assertThat(at.values().stream().filter(o -> o.get("outcome").asText().equals("KEPT"))).hasSize(8);
    }

    @Test
    void aRuleReachingPastTheHolidayTableWarnsThatItNeedsItsNextYear() {
        JsonNode into2028 = t.json("POST", "/api/v1/session-schedules/preview", host, secondOfEachMonth("2027-06-01", "2028-03-31", null)).json();
        assertThat(into2028.get("warnings")).hasSize(1);
        assertThat(into2028.get("warnings").get(0).get("code").asText()).isEqualTo("HOLIDAY_TABLE_ENDS");
        assertThat(into2028.get("warnings").get(0).get("year").asInt()).isEqualTo(2028);
        assertThat(into2028.get("warnings").get(0).get("openEnded").asBoolean()).isFalse();

        JsonNode openEnded = t.json("POST", "/api/v1/session-schedules/preview", host, secondOfEachMonth("2026-06-01", null, null)).json();
        assertThat(openEnded.get("to").asText()).isEqualTo("2027-05-31");
        assertThat(openEnded.get("warnings").get(0).get("openEnded").asBoolean()).isTrue();
        assertThat(openEnded.get("warnings").get(0).get("year").asInt()).isEqualTo(2028);
    }

    @Test
    void generatedSessionsAreHeldOnTheMovedDayAndKeepTheRuleDateAsTheirOccurrence() {
        // From Monday 2/3/2026 (the test clock), 90 days: 30/3 (Mon) kept, 30/4 (Reunification Day, then 1/5
        // Labour Day and the weekend) moved to Monday 4/5, 30/5 (Saturday) to Monday 1/6.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp dân ngày 30");
        body.put("recurrence", Map.of("type", "MONTHLY_ON_DAY", "dayOfMonth", 30));
        body.put("startTime", "08:00");
        body.put("endTime", "11:00");
        body.put("horizonDays", 90);
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", "QN-VP");
        TestServer.Response created = t.json("POST", "/api/v1/session-schedules", host, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode generated = created.json().get("generated");
        assertThat(generated).hasSize(3);
        assertThat(generated.get(0).get("scheduledStart").asText()).isEqualTo("2026-03-30T01:00:00Z");
        assertThat(generated.get(1).get("occurrenceDate").asText()).isEqualTo("2026-04-30");
        assertThat(generated.get(1).get("scheduledStart").asText()).isEqualTo("2026-05-04T01:00:00Z");
        assertThat(generated.get(2).get("occurrenceDate").asText()).isEqualTo("2026-05-30");
        assertThat(generated.get(2).get("scheduledStart").asText()).isEqualTo("2026-06-01T01:00:00Z");
        assertThat(created.json().get("schedule").get("onNonWorkingDay").asText()).isEqualTo("MOVE");
        assertThat(created.json().get("warnings").get(0).get("openEnded").asBoolean()).isTrue();

        long id = created.json().get("schedule").get("id").asLong();
        assertThat(t.json("POST", "/api/v1/session-schedules/" + id + "/generate", host, "{}").json().get("generated")).isEmpty();
    }

    @Test
    void aBadRuleOrRangeIsRefusedNamingTheField() {
        TestServer.Response badDay = t.json("POST", "/api/v1/session-schedules/preview", host,
                Map.of("recurrence", Map.of("type", "MONTHLY_ON_DAY", "dayOfMonth", 0), "validFrom", "2027-01-01"));
        assertThat(badDay.status()).isEqualTo(422);
        assertThat(badDay.body()).contains("recurrence");
        TestServer.Response backwards = t.json("POST", "/api/v1/session-schedules/preview", host, secondOfEachMonth("2027-06-01", "2027-01-01", null));
        assertThat(backwards.status()).isEqualTo(422);
        assertThat(backwards.body()).contains("validUntil");
        TestServer.Response tooLong = t.json("POST", "/api/v1/session-schedules/preview", host, secondOfEachMonth("2027-01-01", "2040-01-01", null));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(t.json("POST", "/api/v1/session-schedules/preview", host, secondOfEachMonth("2027-01-01", "2027-12-31", "NEVER")).status())
                .isIn(400, 422);
    }
}
