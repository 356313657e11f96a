package org.citizenreception.control.attendance;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.room.Room;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionRepository;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;
import org.citizenreception.control.validation.SpreadsheetCells;

/**
 * Records attendance (from the media bridge and the room operators) and builds the report.
 *
 * <p>The report is computed from the append-only event rows every time it is asked for rather
 * than kept as counters: a session has a few hundred rows, and a report that can always be
 * recomputed from its evidence cannot drift from it.
 */
public final class AttendanceService implements AttendanceRecorder {
    private final Database database;
    private final AuditLog audit;
    private final SessionRepository sessions;
    private final RoomDirectory rooms;
    private final EventBus events;
    private final Clock clock;
    private final Duration lateAfter;
    private final Duration leftEarlyBefore;

    public AttendanceService(Database database, AuditLog audit, SessionRepository sessions, RoomDirectory rooms, EventBus events,
                             Clock clock, Duration lateAfter, Duration leftEarlyBefore) {
        this.database = database;
        this.audit = audit;
        this.sessions = sessions;
        this.rooms = rooms;
        this.events = events;
        this.clock = clock;
        this.lateAfter = lateAfter;
        this.leftEarlyBefore = leftEarlyBefore;
    }

    @Override
    public void roomConnected(String sessionId, String roomCode, String endpointId, Instant at) {
        record(sessionId, roomCode, endpointId, AttendanceEvent.Kind.CONNECT, at, null);
    }

    @Override
    public void roomDisconnected(String sessionId, String roomCode, String endpointId, Instant at, String reason) {
        record(sessionId, roomCode, endpointId, AttendanceEvent.Kind.DISCONNECT, at, reason);
    }

    private void record(String sessionIdText, String roomCode, String endpointId, AttendanceEvent.Kind kind, Instant at, String reason) {
        long sessionId = parseSession(sessionIdText);
        if (roomCode == null || endpointId == null || at == null) {
            throw new IllegalArgumentException("roomCode, endpointId and at are required");
        }
        Transactions.inTransaction(database, c -> {
            if (sessions.find(c, sessionId).isEmpty()) {
                throw new IllegalArgumentException("session " + sessionId + " does not exist");
            }
            if (!sessions.isInvited(c, sessionId, roomCode)) {
                throw new IllegalArgumentException("room " + roomCode + " is not invited to session " + sessionId);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attendance_events (session_id, room_code, endpoint_id, kind, at, reason) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, sessionId);
                ps.setString(2, roomCode);
                ps.setString(3, endpointId);
                ps.setString(4, kind.name());
                ps.setString(5, at.toString());
                ps.setString(6, reason);
                ps.executeUpdate();
            }
            String action = kind == AttendanceEvent.Kind.CONNECT ? "attendance.connect" : "attendance.disconnect";
            audit.record(c, SessionService.MEDIA, "media", action, "session", String.valueOf(sessionId),
                    Map.of("room", roomCode, "endpoint", endpointId));
            events.publishAfterCommit(LiveEvent.everyone(sessionId, kind == AttendanceEvent.Kind.CONNECT
                    ? "room.connected" : "room.disconnected", Map.of("room", roomCode, "endpoint", endpointId, "at", at)));
            return null;
        });
    }

    private static long parseSession(String sessionId) {
        try {
            return Long.parseLong(sessionId);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("session " + sessionId + " does not exist");
        }
    }

    /** A room operator (or the host's staff) records an official present in the room. */
    public AttendanceReport.Official addOfficial(Principal actor, String remote, long sessionId, String roomCode, String name, String title) {
        Authentication.requireRoom(actor, roomCode);
        String n = Fields.name("name", name, 200);
        String t = Fields.required("title", title, 200);
        return Transactions.inTransaction(database, c -> {
            requireInvited(c, sessionId, roomCode);
            Instant now = clock.instant();
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attendance_officials (session_id, room_code, name, title, "
                    + "entered_at, entered_by) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, sessionId);
                ps.setString(2, roomCode);
                ps.setString(3, n);
                ps.setString(4, t);
                ps.setString(5, now.toString());
                ps.setString(6, actor.username());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            AttendanceReport.Official official = new AttendanceReport.Official(id, n, t, now, actor.username());
            audit.record(c, actor, remote, "attendance.official.add", "session", String.valueOf(sessionId),
                    Map.of("room", roomCode, "official", id));
            events.publishAfterCommit(LiveEvent.everyone(sessionId, "attendance.official.added", Map.of("room", roomCode, "official", official)));
            return official;
        });
    }

    /** Marks an official entry removed (a correction); the row stays for the record. */
    public void removeOfficial(Principal actor, String remote, long sessionId, String roomCode, long officialId) {
        Authentication.requireRoom(actor, roomCode);
        Transactions.inTransaction(database, c -> {
            requireInvited(c, sessionId, roomCode);
            try (PreparedStatement ps = c.prepareStatement("UPDATE attendance_officials SET removed_at = ?, removed_by = ? "
                    + "WHERE id = ? AND session_id = ? AND room_code = ? AND removed_at IS NULL")) {
                ps.setString(1, clock.instant().toString());
                ps.setString(2, actor.username());
                ps.setLong(3, officialId);
                ps.setLong(4, sessionId);
                ps.setString(5, roomCode);
                if (ps.executeUpdate() != 1) {
                    throw DomainErrors.notFound("official " + officialId + " of room " + roomCode);
                }
            }
            audit.record(c, actor, remote, "attendance.official.remove", "session", String.valueOf(sessionId),
                    Map.of("room", roomCode, "official", officialId));
            events.publishAfterCommit(LiveEvent.everyone(sessionId, "attendance.official.removed", Map.of("room", roomCode, "official", officialId)));
            return null;
        });
    }

    public void setCitizens(Principal actor, String remote, long sessionId, String roomCode, Integer count) {
        Authentication.requireRoom(actor, roomCode);
        int citizens = Fields.range("citizens", count, 0, 100_000);
        Transactions.inTransaction(database, c -> {
            requireInvited(c, sessionId, roomCode);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attendance_headcounts (session_id, room_code, citizens, updated_at, "
                    + "updated_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, room_code) DO UPDATE SET citizens = excluded.citizens, "
                    + "updated_at = excluded.updated_at, updated_by = excluded.updated_by")) {
                ps.setLong(1, sessionId);
                ps.setString(2, roomCode);
                ps.setInt(3, citizens);
                ps.setString(4, clock.instant().toString());
                ps.setString(5, actor.username());
                ps.executeUpdate();
            }
            // The audit entry keeps every value, so the upsert loses no history.
            audit.record(c, actor, remote, "attendance.citizens", "session", String.valueOf(sessionId),
                    Map.of("room", roomCode, "citizens", citizens));
            events.publishAfterCommit(LiveEvent.everyone(sessionId, "attendance.citizens", Map.of("room", roomCode, "citizens", citizens)));
            return null;
        });
    }

    private void requireInvited(Connection c, long sessionId, String roomCode) throws SQLException {
        sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
        if (!sessions.isInvited(c, sessionId, roomCode)) {
            throw DomainErrors.notFound("room " + roomCode + " in session " + sessionId);
        }
    }

    public AttendanceReport report(long sessionId) {
        return Transactions.read(database, c -> {
            ReceptionSession s = sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
            // The hosting room is invited (its staff join from there) but it is the studio, not a
            // connection point: the report counts the rooms the session was broadcast to.
            List<String> invited = sessions.invitedRooms(c, sessionId).stream().filter(code -> !code.equals(s.hostRoomCode())).toList();
            Map<String, List<AttendanceEvent>> byRoom = events(c, sessionId);
            Map<String, List<AttendanceReport.Official>> officials = officials(c, sessionId);
            Map<String, Integer> citizens = citizens(c, sessionId);
            Instant from = s.startedAt() != null ? s.startedAt() : s.scheduledStart();
            Instant to = s.endedAt() != null ? s.endedAt() : s.state().underWay() ? clock.instant() : from;
            List<AttendanceReport.Line> lines = new ArrayList<>();
            int present = 0;
            int late = 0;
            int leftEarly = 0;
            Duration lateTolerance = tolerance(lateAfter, from, to);
            Duration leftTolerance = s.endedAt() == null ? Duration.ZERO : tolerance(leftEarlyBefore, from, s.endedAt());
            for (String code : invited) {
                List<AttendanceEvent> roomEvents = byRoom.getOrDefault(code, List.of());
                RoomPresence p = RoomPresence.of(roomEvents, from, to);
                boolean isLate = p.everConnected() && p.firstConnected().isAfter(from.plus(lateTolerance));
                boolean connectedNow = s.state() == SessionState.LIVE && openEndpoints(roomEvents);
                boolean isLeftEarly = p.everConnected() && s.endedAt() != null
                        && p.lastDisconnected().isBefore(s.endedAt().minus(leftTolerance));
                present += p.everConnected() ? 1 : 0;
                late += isLate ? 1 : 0;
                leftEarly += isLeftEarly ? 1 : 0;
                long seconds = p.connected().getSeconds();
                lines.add(new AttendanceReport.Line(code, rooms.find(code).map(Room::name).orElse(code),
                        p.everConnected() ? AttendanceReport.Presence.PRESENT : AttendanceReport.Presence.ABSENT,
                        AttendanceStatus.of(p.everConnected(), isLate, isLeftEarly), isLate, isLeftEarly,
                        connectedNow, p.firstConnected(), p.everConnected() ? p.lastDisconnected() : null, seconds, minutes(seconds),
                        minutesSeconds(seconds), officials.getOrDefault(code, List.of()), citizens.get(code), p.spans()));
            }
            return new AttendanceReport(sessionId, s.title(), s.state(), s.startedAt(), s.endedAt(), (int) lateAfter.toMinutes(),
                    invited.size(), present, late, leftEarly, invited.size() - present, lines);
        });
    }

    /**
     * The late and left-early tolerances (config {@code attendance.late-after-minutes} and
     * {@code left-early-minutes}) at most a quarter of the session's real length: ten minutes of
     * grace would otherwise swallow a whole short session, and a room there for 20 seconds of it would
     * read as present on time and to the end.
     */
    static Duration tolerance(Duration configured, Instant from, Instant to) {
        Duration quarter = Duration.between(from, to).dividedBy(4);
        return quarter.isNegative() || configured.compareTo(quarter) <= 0 ? configured : quarter;
    }

    /** Whole minutes, rounded half up, but a room that was there never reads 0. */
    static long minutes(long seconds) {
        return seconds <= 0 ? 0 : Math.max(1, (seconds + 30) / 60);
    }

    static String minutesSeconds(long seconds) {
        return String.format(java.util.Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static final java.time.format.DateTimeFormatter LOCAL = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * The report as CSV for Excel: UTF-8 with a byte-order mark, one line per invited room; times
     * are wall-clock times of {@code zone} to the second, the status as the page's Vietnamese word
     * with its code in the next column for programs.
     */
    public static String csv(AttendanceReport report, java.time.ZoneId zone) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        java.util.function.Function<Instant, String> local = at -> at == null ? "" : LOCAL.format(at.atZone(zone));
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").get())) {
            csv.printRecord("room_code", "room_name", "trang_thai", "status", "first_connected", "last_disconnected",
                    "connected_m_ss", "minutes_connected", "officials", "citizens", "gaps");
            for (AttendanceReport.Line l : report.rooms()) {
                StringBuilder officials = new StringBuilder();
                for (AttendanceReport.Official o : l.officials()) {
                    officials.append(officials.length() == 0 ? "" : "; ").append(o.name()).append(" (").append(o.title()).append(')');
                }
                csv.printRecord(SpreadsheetCells.record(l.roomCode(), l.roomName(), l.status().wordVi(), l.status(),
                        local.apply(l.firstConnected()), local.apply(l.lastDisconnected()), l.connected(), l.minutesConnected(),
                        officials, l.citizens() == null ? "" : l.citizens(), gaps(l.spans(), local)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The times a room was away between two connected spans, "left/back" in local time. */
    private static String gaps(List<ConnectionSpan> spans, java.util.function.Function<Instant, String> local) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < spans.size(); i++) {
            out.append(out.length() == 0 ? "" : "; ").append(local.apply(spans.get(i - 1).to())).append('/')
                    .append(local.apply(spans.get(i).from()));
        }
        return out.toString();
    }

    /**
     * Closes, inside the caller's transaction, every endpoint of the session still counted as
     * connected, at {@code at}: a server that died wrote no disconnects, and without them a room
     * would count as present through the outage instead of showing the gap. One audit entry for all.
     *
     * @return how many endpoints were closed
     */
    public int closeOpenEndpoints(Connection c, long sessionId, Instant at, String reason) throws SQLException {
        List<String[]> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT room_code, endpoint_id FROM attendance_events WHERE session_id = ? "
                + "GROUP BY room_code, endpoint_id HAVING SUM(CASE kind WHEN 'CONNECT' THEN 1 ELSE -1 END) > 0 ORDER BY MIN(id)")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        if (open.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attendance_events (session_id, room_code, endpoint_id, kind, at, reason) "
                + "VALUES (?, ?, ?, 'DISCONNECT', ?, ?)")) {
            for (String[] endpoint : open) {
                ps.setLong(1, sessionId);
                ps.setString(2, endpoint[0]);
                ps.setString(3, endpoint[1]);
                ps.setString(4, at.toString());
                ps.setString(5, reason);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        audit.record(c, SessionService.SERVER, null, "attendance.disconnect", "session", String.valueOf(sessionId),
                Map.of("endpoints", open.size(), "at", at.toString()));
        for (String[] endpoint : open) {
            events.publishAfterCommit(LiveEvent.everyone(sessionId, "room.disconnected", Map.of("room", endpoint[0], "endpoint", endpoint[1], "at", at)));
        }
        return open.size();
    }

    /** Rooms with at least one endpoint connected now, for the connected-rooms gauge. */
    public long connectedRooms() {
        return Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT e.session_id, e.room_code FROM attendance_events e "
                    + "JOIN reception_sessions s ON s.id = e.session_id WHERE s.state = 'LIVE' GROUP BY e.session_id, e.room_code, e.endpoint_id "
                    + "HAVING SUM(CASE e.kind WHEN 'CONNECT' THEN 1 ELSE -1 END) > 0) AS open_endpoints GROUP BY session_id, room_code")) {
                try (ResultSet rs = ps.executeQuery()) {
                    long n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    return n;
                }
            }
        });
    }

    private static boolean openEndpoints(List<AttendanceEvent> events) {
        Map<String, Integer> open = new HashMap<>();
        for (AttendanceEvent e : events) {
            open.merge(e.endpointId(), e.kind() == AttendanceEvent.Kind.CONNECT ? 1 : -1, Integer::sum);
        }
        return open.values().stream().anyMatch(v -> v > 0);
    }

    private static Map<String, List<AttendanceEvent>> events(Connection c, long sessionId) throws SQLException {
        Map<String, List<AttendanceEvent>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT room_code, endpoint_id, kind, at, reason FROM attendance_events "
                + "WHERE session_id = ? ORDER BY id")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new AttendanceEvent(rs.getString(1), rs.getString(2),
                            AttendanceEvent.Kind.valueOf(rs.getString(3)), Instant.parse(rs.getString(4)), rs.getString(5)));
                }
            }
        }
        return out;
    }

    private static Map<String, List<AttendanceReport.Official>> officials(Connection c, long sessionId) throws SQLException {
        Map<String, List<AttendanceReport.Official>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, room_code, name, title, entered_at, entered_by FROM attendance_officials "
                + "WHERE session_id = ? AND removed_at IS NULL ORDER BY id")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(new AttendanceReport.Official(rs.getLong(1),
                            rs.getString(3), rs.getString(4), Instant.parse(rs.getString(5)), rs.getString(6)));
                }
            }
        }
        return out;
    }

    private static Map<String, Integer> citizens(Connection c, long sessionId) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT room_code, citizens FROM attendance_headcounts WHERE session_id = ?")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }
}
