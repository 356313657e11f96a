package org.citizenreception.control.petition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.petition.CaseCommands.LinkKind;
import org.citizenreception.control.petition.CaseCommands.NoticeMethod;
import org.citizenreception.control.petition.CaseCommands.Outcome;

/** Plain JDBC access to petition_steps, petition_links and the agencies a step may name; on the caller's transaction. */
final class CaseRepository {
    /** A handling agency as a step names it: from the agency list or a unit of the room directory. */
    record HandlingAgency(Long agencyId, String unitCode, String name) {
    }

    Optional<HandlingAgency> activeAgency(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM agencies WHERE id = ? AND active = 1")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new HandlingAgency(id, null, rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** A unit of the room directory still valid on {@code on}. */
    Optional<HandlingAgency> validUnit(Connection c, String code, LocalDate on) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM rooms WHERE code = ? AND (valid_to IS NULL OR valid_to >= ?) "
                + "AND (valid_from IS NULL OR valid_from <= ?)")) {
            ps.setString(1, code);
            ps.setString(2, on.toString());
            ps.setString(3, on.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new HandlingAgency(null, code, rs.getString(1))) : Optional.empty();
            }
        }
    }

    boolean sessionExists(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM reception_sessions WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    void insertStep(Connection c, long petitionId, CaseStep s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petition_steps (petition_id, step, effective_on, legal_basis, "
                + "agency_id, agency_room_code, agency_name, session_id, decision_number, signer, outcome, handling, notice_method, "
                + "note, due_on, due_basis, at, actor, actor_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            ps.setLong(i++, petitionId);
            ps.setString(i++, s.step().name());
            ps.setString(i++, s.effectiveOn().toString());
            ps.setString(i++, s.legalBasis());
            setLong(ps, i++, s.agencyId());
            ps.setString(i++, s.unitCode());
            ps.setString(i++, s.agencyName());
            setLong(ps, i++, s.sessionId());
            ps.setString(i++, s.decisionNumber());
            ps.setString(i++, s.signer());
            ps.setString(i++, s.outcome() == null ? null : s.outcome().name());
            ps.setString(i++, s.handling());
            ps.setString(i++, s.noticeMethod() == null ? null : s.noticeMethod().name());
            ps.setString(i++, s.note());
            ps.setString(i++, s.dueOn() == null ? null : s.dueOn().toString());
            ps.setString(i++, s.dueBasis());
            ps.setString(i++, s.at().toString());
            ps.setLong(i++, s.actorId());
            ps.setString(i, s.actorName());
            ps.executeUpdate();
        }
    }

    List<CaseStep> steps(Connection c, long petitionId) throws SQLException {
        List<CaseStep> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, step, effective_on, legal_basis, agency_id, agency_room_code, "
                + "agency_name, session_id, decision_number, signer, outcome, handling, notice_method, note, due_on, due_basis, at, "
                + "actor, actor_name FROM petition_steps WHERE petition_id = ? ORDER BY id")) {
            ps.setLong(1, petitionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String outcome = rs.getString("outcome");
                    String method = rs.getString("notice_method");
                    String due = rs.getString("due_on");
                    out.add(new CaseStep(rs.getLong("id"), PetitionStatus.valueOf(rs.getString("step")),
                            LocalDate.parse(rs.getString("effective_on")), rs.getString("legal_basis"), getLong(rs, "agency_id"),
                            rs.getString("agency_room_code"), rs.getString("agency_name"), getLong(rs, "session_id"),
                            rs.getString("decision_number"), rs.getString("signer"), outcome == null ? null : Outcome.valueOf(outcome),
                            rs.getString("handling"), method == null ? null : NoticeMethod.valueOf(method), rs.getString("note"),
                            due == null ? null : LocalDate.parse(due), rs.getString("due_basis"), Instant.parse(rs.getString("at")),
                            rs.getLong("actor"), rs.getString("actor_name")));
                }
            }
        }
        return out;
    }

    void insertLink(Connection c, long petitionId, long linkedId, LinkKind kind, Instant at, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petition_links (petition_id, linked_id, kind, created_at, created_by) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, petitionId);
            ps.setLong(2, linkedId);
            ps.setString(3, kind.name());
            ps.setString(4, at.toString());
            ps.setLong(5, userId);
            ps.executeUpdate();
        }
    }

    /** Both directions: links this petition made and links made to it. */
    List<CaseLink> links(Connection c, long petitionId) throws SQLException {
        List<CaseLink> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.linked_id, p.register_number, l.kind, 1, l.created_at FROM petition_links l "
                + "JOIN petitions p ON p.id = l.linked_id WHERE l.petition_id = ? UNION ALL "
                + "SELECT l.petition_id, p.register_number, l.kind, 0, l.created_at FROM petition_links l "
                + "JOIN petitions p ON p.id = l.petition_id WHERE l.linked_id = ? ORDER BY 5")) {
            ps.setLong(1, petitionId);
            ps.setLong(2, petitionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CaseLink(rs.getLong(1), rs.getString(2), LinkKind.valueOf(rs.getString(3)), rs.getInt(4) == 1,
                            Instant.parse(rs.getString(5))));
                }
            }
        }
        return out;
    }

    boolean hasOutgoingLink(Connection c, long petitionId, LinkKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM petition_links WHERE petition_id = ? AND kind = ?")) {
            ps.setLong(1, petitionId);
            ps.setString(2, kind.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
