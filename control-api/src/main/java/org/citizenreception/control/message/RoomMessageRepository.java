package org.citizenreception.control.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of room_messages and room_message_petitions (V24); both append-only. */
final class RoomMessageRepository {
    private static final String SELECT = "SELECT m.id, m.session_id, m.room_code, m.reply_to, m.quick, m.body, m.author_user_id, "
            + "m.author_name, m.created_at, p.petition_id FROM room_messages m LEFT JOIN room_message_petitions p ON p.message_id = m.id ";

    long insert(Connection c, long sessionId, String roomCode, Long replyTo, QuickMessage quick, String body, Long authorUserId,
                String authorName, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_messages (session_id, room_code, reply_to, quick, body, "
                + "author_user_id, author_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, sessionId);
            ps.setString(2, roomCode);
            ps.setObject(3, replyTo);
            ps.setString(4, quick == null ? null : quick.name());
            ps.setString(5, body);
            ps.setObject(6, authorUserId);
            ps.setString(7, authorName);
            ps.setString(8, at.toString());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Links {@code messageId} to the petition drafted from it; false when it already has one. */
    boolean linkPetition(Connection c, long messageId, long petitionId, long userId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_message_petitions (message_id, petition_id, created_at, "
                + "created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, messageId);
            ps.setLong(2, petitionId);
            ps.setString(3, at.toString());
            ps.setLong(4, userId);
            return ps.executeUpdate() == 1;
        }
    }

    Optional<RoomMessage> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE m.id = ?")) {
            ps.setLong(1, id);
            List<RoomMessage> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The session's messages, oldest first; one room's thread when {@code roomCode} is given. */
    List<RoomMessage> list(Connection c, long sessionId, String roomCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE m.session_id = ?" + (roomCode == null ? "" : " AND m.room_code = ?")
                + " ORDER BY m.id")) {
            ps.setLong(1, sessionId);
            if (roomCode != null) {
                ps.setString(2, roomCode);
            }
            return read(ps);
        }
    }

    private static List<RoomMessage> read(PreparedStatement ps) throws SQLException {
        List<RoomMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long replyTo = rs.getLong(4);
                Long reply = rs.wasNull() ? null : replyTo;
                String quick = rs.getString(5);
                long petition = rs.getLong(10);
                Long petitionId = rs.wasNull() ? null : petition;
                out.add(new RoomMessage(rs.getLong(1), rs.getLong(2), rs.getString(3), reply, quick == null ? null : QuickMessage.valueOf(quick),
                        rs.getString(6), reply == null, rs.getString(8), Instant.parse(rs.getString(9)), petitionId));
            }
        }
        return out;
    }
}
