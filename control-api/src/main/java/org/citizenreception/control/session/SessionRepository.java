package org.citizenreception.control.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.store.Dialect;

/** Plain JDBC access to reception_sessions and their invitations, history and floor. */
public final class SessionRepository {
    private static final ObjectMapper JSON = HttpServer.objectMapper();
    /**
     * The one definition of a session's room count, used by the list, the detail and the attendance
     * report alike: the rooms it is broadcast to, which are the resolved invitation (every room valid
     * that day for "all rooms", the subtree, or the list) without the hosting room, the studio.
     */
    private static final String INVITED_COUNT = "(SELECT COUNT(*) FROM session_invited_rooms i WHERE i.session_id = s.id "
            + "AND i.room_code <> s.host_room_code)";
    private static final String SQLITE_COLUMNS = columns(Dialect.SQLITE);
    private static final String POSTGRESQL_COLUMNS = columns(Dialect.POSTGRESQL);

    private static String columns(Connection c) throws SQLException {
        return Dialect.of(c) == Dialect.SQLITE ? SQLITE_COLUMNS : POSTGRESQL_COLUMNS;
    }

    private static String columns(Dialect dialect) {
        return "s.id, s.title, s.scheduled_start, s.scheduled_end, s.presiding_official, "
            + "s.host_room_code, s.invitation_json, s.mode, s.recording, s.state, s.started_at, s.ended_at, "
            + "s.floor_room_code, s.schedule_id, s.occurrence_date, s.version, s.presiding_user_id, s.presiding_leader_id, "
            + INVITED_COUNT + " AS invited, "
            + "(SELECT " + dialect.joinedWithCommas("a.user_id") + " FROM session_secretaries a WHERE a.session_id = s.id) AS secretaries";
    }

    long insert(Connection c, ReceptionSession s, Instant now, long createdBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reception_sessions (title, scheduled_start, scheduled_end, "
                + "presiding_official, host_room_code, invitation_json, mode, recording, state, schedule_id, occurrence_date, "
                + "version, created_at, created_by, presiding_user_id, presiding_leader_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, s.title());
            ps.setString(2, s.scheduledStart().toString());
            ps.setString(3, s.scheduledEnd().toString());
            ps.setString(4, s.presidingOfficial());
            ps.setString(5, s.hostRoomCode());
            ps.setString(6, json(s.invitation()));
            ps.setString(7, s.mode().name());
            ps.setInt(8, s.recording() ? 1 : 0);
            ps.setString(9, s.state().name());
            if (s.scheduleId() == null) {
                ps.setNull(10, Types.INTEGER);
                ps.setNull(11, Types.VARCHAR);
            } else {
                ps.setLong(10, s.scheduleId());
                ps.setString(11, s.occurrenceDate().toString());
            }
            ps.setString(12, now.toString());
            if (createdBy > 0) {
                ps.setLong(13, createdBy);
            } else {
                ps.setNull(13, Types.INTEGER);
            }
            ps.setObject(14, s.presidingUserId());
            ps.setObject(15, s.presidingLeaderId());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Updates the editable details when the stored version still is {@code expectedVersion}; false otherwise. */
    boolean updateDetails(Connection c, ReceptionSession s, long expectedVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE reception_sessions SET title = ?, scheduled_start = ?, "
                + "scheduled_end = ?, presiding_official = ?, host_room_code = ?, invitation_json = ?, mode = ?, recording = ?, "
                + "presiding_user_id = ?, presiding_leader_id = ?, version = version + 1 WHERE id = ? AND version = ?")) {
            ps.setString(1, s.title());
            ps.setString(2, s.scheduledStart().toString());
            ps.setString(3, s.scheduledEnd().toString());
            ps.setString(4, s.presidingOfficial());
            ps.setString(5, s.hostRoomCode());
            ps.setString(6, json(s.invitation()));
            ps.setString(7, s.mode().name());
            ps.setInt(8, s.recording() ? 1 : 0);
            ps.setObject(9, s.presidingUserId());
            ps.setObject(10, s.presidingLeaderId());
            ps.setLong(11, s.id());
            ps.setLong(12, expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    void setState(Connection c, long id, SessionState state, Instant startedAt, Instant endedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE reception_sessions SET state = ?, "
                + "started_at = COALESCE(?, started_at), ended_at = COALESCE(?, ended_at), version = version + 1 WHERE id = ?")) {
            ps.setString(1, state.name());
            ps.setString(2, startedAt == null ? null : startedAt.toString());
            ps.setString(3, endedAt == null ? null : endedAt.toString());
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    public void setFloor(Connection c, long id, String roomCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE reception_sessions SET floor_room_code = ? WHERE id = ?")) {
            ps.setString(1, roomCode);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    void appendHistory(Connection c, long id, SessionState from, SessionState to, Instant at, String actor, String reason)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_state_history (session_id, from_state, to_state, at, "
                + "actor, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, from == null ? null : from.name());
            ps.setString(3, to.name());
            ps.setString(4, at.toString());
            ps.setString(5, actor);
            ps.setString(6, reason);
            ps.executeUpdate();
        }
    }

    void replaceInvited(Connection c, long id, List<String> roomCodes) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM session_invited_rooms WHERE session_id = ?")) {
            del.setLong(1, id);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO session_invited_rooms (session_id, room_code) VALUES (?, ?)")) {
            for (String code : roomCodes) {
                ins.setLong(1, id);
                ins.setString(2, code);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    public List<String> invitedRooms(Connection c, long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT room_code FROM session_invited_rooms WHERE session_id = ? ORDER BY room_code")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public boolean isInvited(Connection c, long id, String roomCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM session_invited_rooms WHERE session_id = ? AND room_code = ?")) {
            ps.setLong(1, id);
            ps.setString(2, roomCode);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<ReceptionSession> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns(c) + " FROM reception_sessions s WHERE s.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    boolean existsOccurrence(Connection c, long scheduleId, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM reception_sessions WHERE schedule_id = ? AND occurrence_date = ?")) {
            ps.setLong(1, scheduleId);
            ps.setString(2, day.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Sessions starting in {@code [from, to)}, optionally in one state or inviting one room, by start time. */
    List<ReceptionSession> list(Connection c, Instant from, Instant to, SessionState state, String invitedRoom, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + columns(c) + " FROM reception_sessions s WHERE s.scheduled_start >= ? AND s.scheduled_start < ?");
        if (state != null) {
            sql.append(" AND s.state = ?");
        }
        if (invitedRoom != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM session_invited_rooms i WHERE i.session_id = s.id AND i.room_code = ?)");
        }
        sql.append(" ORDER BY s.scheduled_start, s.id LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, from.toString());
            ps.setString(i++, to.toString());
            if (state != null) {
                ps.setString(i++, state.name());
            }
            if (invitedRoom != null) {
                ps.setString(i++, invitedRoom);
            }
            ps.setInt(i, limit);
            List<ReceptionSession> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    /** Ids of the sessions in {@code state}, oldest first. */
    public List<Long> idsInState(Connection c, SessionState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM reception_sessions WHERE state = ? ORDER BY id")) {
            ps.setString(1, state.name());
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    public long countInState(Connection c, SessionState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM reception_sessions WHERE state = ?")) {
            ps.setString(1, state.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static ReceptionSession map(ResultSet rs) throws SQLException {
        long scheduleId = rs.getLong("schedule_id");
        boolean fromSchedule = !rs.wasNull();
        String occurrence = rs.getString("occurrence_date");
        return new ReceptionSession(rs.getLong("id"), rs.getString("title"), Instant.parse(rs.getString("scheduled_start")),
                Instant.parse(rs.getString("scheduled_end")), rs.getString("presiding_official"), presidingUserId(rs), rs.getString("host_room_code"),
                invitation(rs.getString("invitation_json")), ReceptionSession.Mode.valueOf(rs.getString("mode")),
                rs.getInt("recording") == 1, SessionState.valueOf(rs.getString("state")), instant(rs.getString("started_at")),
                instant(rs.getString("ended_at")), rs.getString("floor_room_code"), fromSchedule ? scheduleId : null,
                occurrence == null ? null : LocalDate.parse(occurrence), rs.getLong("version"), rs.getInt("invited"),
                ids(rs.getString("secretaries"))).withPresidingLeader(presidingLeaderId(rs));
    }

    private static List<Long> ids(String joined) {
        List<Long> out = new ArrayList<>();
        if (joined != null && !joined.isEmpty()) {
            for (String id : joined.split(",")) {
                out.add(Long.parseLong(id.trim()));
            }
        }
        out.sort(null);
        return out;
    }

    /** Sets the presiding host (null: none chosen) without touching the version (a claim is not an edit). */
    void setHost(Connection c, long id, Long presidingUserId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE reception_sessions SET presiding_user_id = ? WHERE id = ?")) {
            if (presidingUserId == null) {
                ps.setNull(1, Types.INTEGER);
            } else {
                ps.setLong(1, presidingUserId);
            }
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    void replaceSecretaries(Connection c, long id, List<Long> userIds) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM session_secretaries WHERE session_id = ?")) {
            del.setLong(1, id);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO session_secretaries (session_id, user_id) VALUES (?, ?)")) {
            for (long user : userIds.stream().distinct().toList()) {
                ins.setLong(1, id);
                ins.setLong(2, user);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** The role of an enabled account, to check that a host or secretary named on a session holds that role. */
    Optional<String> enabledRole(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT role FROM users WHERE id = ? AND disabled = 0")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Files the session under a leader of the list (a typed name, no account presiding); not an edit, so no new version. */
    void setLeader(Connection c, long id, long leaderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE reception_sessions SET presiding_leader_id = ? WHERE id = ?")) {
            ps.setLong(1, leaderId);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private static Long presidingLeaderId(ResultSet rs) throws SQLException {
        long id = rs.getLong("presiding_leader_id");
        return rs.wasNull() ? null : id;
    }

    private static Long presidingUserId(ResultSet rs) throws SQLException {
        long id = rs.getLong("presiding_user_id");
        return rs.wasNull() ? null : id;
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static Invitation invitation(String json) throws SQLException {
        try {
            return JSON.readValue(json, Invitation.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored invitation is not readable", e);
        }
    }
}
