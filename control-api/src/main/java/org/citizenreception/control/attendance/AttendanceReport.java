package org.citizenreception.control.attendance;

import java.time.Instant;
import java.util.List;
import org.citizenreception.control.session.SessionState;

/** Attendance of one session, one line per invited room. */
public record AttendanceReport(
        long sessionId,
        String title,
        SessionState state,
        Instant startedAt,
        Instant endedAt,
        int lateAfterMinutes,
        int invited,
        int present,
        int late,
        int leftEarly,
        int absent,
        List<Line> rooms) {

    public enum Presence { PRESENT, ABSENT }

    /**
     * One room: whether and how long it was there, who was present, how many citizens came.
     * {@code spans} are the stretches it was connected, in order: the time between two is a gap (a
     * dropped line, a restart). {@code minutesConnected} is rounded to the nearest minute but never
     * to 0 for a room that was there; {@code connected} is the exact time as m:ss.
     */
    public record Line(
            String roomCode,
            String roomName,
            Presence presence,
            AttendanceStatus status,
            boolean late,
            boolean leftEarly,
            boolean connectedNow,
            Instant firstConnected,
            Instant lastDisconnected,
            long secondsConnected,
            long minutesConnected,
            String connected,
            List<Official> officials,
            Integer citizens,
            List<ConnectionSpan> spans) {
    }

    /** An official a room operator recorded as present. */
    public record Official(long id, String name, String title, Instant enteredAt, String enteredBy) {
    }
}
