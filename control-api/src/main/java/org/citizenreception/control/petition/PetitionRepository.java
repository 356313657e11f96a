package org.citizenreception.control.petition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.petition.deadline.DeadlineKind;
import org.citizenreception.control.petition.deadline.Extension;
import org.citizenreception.control.store.Dialect;

/** Plain JDBC access to the register tables; every method runs on the caller's transaction. */
final class PetitionRepository {
    private final IdNumberHash idHash;

    PetitionRepository(IdNumberHash idHash) {
        this.idHash = idHash;
    }

    private static final String COLUMNS = "id, register_number, session_id, origin_room_code, kind, complaint_round, head_count, "
            + "summary, requests, prior_handling, handler_agency, complex, especially_complex, remote_area, status, received_on, "
            + "accepted_on, split_from_id, version, created_at, updated_at, decided_on";

    /**
     * The next register number of {@code year}, "2026/000123". The counter row is bumped inside the
     * caller's write transaction, so numbers are gapless: a rolled-back registration returns its number.
     */
    String nextRegisterNumber(Connection c, int year) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO register_counters (year, last_number) VALUES (?, 1) "
                + "ON CONFLICT (year) DO UPDATE SET last_number = register_counters.last_number + 1 RETURNING last_number")) {
            ps.setInt(1, year);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return String.format("%d/%06d", year, rs.getLong(1));
            }
        }
    }

    long insert(Connection c, Petition p, LocalDate nextDue, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petitions (register_number, session_id, origin_room_code, kind, "
                + "complaint_round, head_count, summary, requests, prior_handling, handler_agency, complex, especially_complex, "
                + "remote_area, status, received_on, accepted_on, split_from_id, next_due_on, version, created_at, created_by, "
                + "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, p.registerNumber());
            ps.setLong(2, p.sessionId());
            int i = bindMutable(ps, 3, p, nextDue);
            ps.setLong(i++, p.version());
            ps.setString(i++, p.createdAt().toString());
            ps.setLong(i++, userId);
            ps.setString(i++, p.updatedAt().toString());
            ps.setLong(i, userId);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Writes {@code p} (whose version is already the new one) when the stored version is {@code expected}. */
    boolean update(Connection c, Petition p, LocalDate nextDue, long expected, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE petitions SET origin_room_code = ?, kind = ?, complaint_round = ?, "
                + "head_count = ?, summary = ?, requests = ?, prior_handling = ?, handler_agency = ?, complex = ?, "
                + "especially_complex = ?, remote_area = ?, status = ?, received_on = ?, accepted_on = ?, split_from_id = ?, "
                + "next_due_on = ?, decided_on = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?")) {
            int i = bindMutable(ps, 1, p, nextDue);
            ps.setString(i++, p.decidedOn() == null ? null : p.decidedOn().toString());
            ps.setLong(i++, p.version());
            ps.setString(i++, p.updatedAt().toString());
            ps.setLong(i++, userId);
            ps.setLong(i++, p.id());
            ps.setLong(i, expected);
            return ps.executeUpdate() == 1;
        }
    }

    private static int bindMutable(PreparedStatement ps, int start, Petition p, LocalDate nextDue) throws SQLException {
        int i = start;
        ps.setString(i++, p.originRoomCode());
        ps.setString(i++, p.kind().name());
        if (p.complaintRound() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, p.complaintRound());
        }
        ps.setInt(i++, p.headCount());
        ps.setString(i++, p.summary());
        ps.setString(i++, p.requests());
        ps.setString(i++, p.priorHandling());
        ps.setString(i++, p.handlerAgency());
        ps.setInt(i++, p.complex() ? 1 : 0);
        ps.setInt(i++, p.especiallyComplex() ? 1 : 0);
        ps.setInt(i++, p.remoteArea() ? 1 : 0);
        ps.setString(i++, p.status().name());
        ps.setString(i++, p.receivedOn().toString());
        ps.setString(i++, p.acceptedOn() == null ? null : p.acceptedOn().toString());
        if (p.splitFromId() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setLong(i++, p.splitFromId());
        }
        ps.setString(i++, nextDue == null ? null : nextDue.toString());
        return i;
    }

    void replacePetitioners(Connection c, long id, List<Petitioner> petitioners) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM petitioners WHERE petition_id = ?")) {
            del.setLong(1, id);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO petitioners (petition_id, position, name, id_number, address, "
                + "representative, id_hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < petitioners.size(); i++) {
                Petitioner p = petitioners.get(i);
                ins.setLong(1, id);
                ins.setInt(2, i);
                ins.setString(3, p.name());
                ins.setString(4, p.idNumber() == null ? "" : p.idNumber());
                ins.setString(5, p.address());
                ins.setInt(6, p.representative() ? 1 : 0);
                ins.setString(7, idHash.of(p.idNumber()));
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    Optional<Petition> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM petitions WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(map(c, rs));
            }
        }
    }

    List<Petition> search(Connection c, PetitionFilter f, LocalDate today) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM petitions WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.sessionId() != null) {
            sql.append(" AND session_id = ?");
            args.add(f.sessionId());
        }
        if (f.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(f.kind().name());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status().name());
        }
        if (f.year() != null) {
            sql.append(" AND register_number LIKE ?");
            args.add(f.year() + "/%");
        }
        if (f.originRoomCode() != null) {
            sql.append(" AND origin_room_code = ?");
            args.add(f.originRoomCode());
        }
        if (f.scopeRooms() != null) {
            String in = String.join(", ", java.util.Collections.nCopies(Math.max(1, f.scopeRooms().size()), "?"));
            sql.append(" AND (origin_room_code IN (").append(in).append(") OR session_id IN (SELECT s.id FROM reception_sessions s "
                    + "WHERE s.host_room_code IN (").append(in).append(") OR s.presiding_user_id = ?) OR session_id IN (SELECT a.session_id "
                    + "FROM session_secretaries a WHERE a.user_id = ?))");
            for (int round = 0; round < 2; round++) {
                if (f.scopeRooms().isEmpty()) {
                    args.add("");
                }
                args.addAll(f.scopeRooms());
            }
            args.add(f.scopeUserId());
            args.add(f.scopeUserId());
        }
        if (f.text() != null && !f.text().isBlank()) {
            // Ignoring ASCII case as SQLite's LIKE does.
            String like = " " + Dialect.of(c).likeIgnoringCase() + " ? ESCAPE '\\'";
            sql.append(" AND (register_number").append(like).append(" OR summary").append(like).append(" OR requests").append(like)
                    .append(" OR handler_agency").append(like).append(")");
            String pattern = "%" + f.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            for (int i = 0; i < 4; i++) {
                args.add(pattern);
            }
        }
        if (Boolean.TRUE.equals(f.overdue())) {
            sql.append(" AND next_due_on IS NOT NULL AND next_due_on < ?");
            args.add(today.toString());
        }
        sql.append(" ORDER BY id LIMIT ? OFFSET ?");
        args.add(f.limit());
        args.add(f.offset());
        List<Petition> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(c, rs));
                }
            }
        }
        return out;
    }

    void appendVersion(Connection c, long id, long version, String snapshot, Instant at, long userId, String change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petition_versions (petition_id, version, snapshot_json, changed_at, "
                + "changed_by, change) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, version);
            ps.setString(3, snapshot);
            ps.setString(4, at.toString());
            ps.setLong(5, userId);
            ps.setString(6, change);
            ps.executeUpdate();
        }
    }

    /** Each stored version: number, when, by whom, what kind of change, and the snapshot JSON. */
    List<Map<String, Object>> versions(Connection c, long id) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, changed_at, changed_by, change, snapshot_json FROM petition_versions "
                + "WHERE petition_id = ? ORDER BY version")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("version", rs.getLong(1));
                    v.put("changedAt", rs.getString(2));
                    v.put("changedBy", rs.getLong(3));
                    v.put("change", rs.getString(4));
                    v.put("snapshot", rs.getString(5));
                    out.add(v);
                }
            }
        }
        return out;
    }

    void appendStatus(Connection c, long id, PetitionStatus from, PetitionStatus to, LocalDate effectiveOn, String reason, Instant at,
                      long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petition_status_history (petition_id, from_status, to_status, "
                + "effective_on, reason, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, from == null ? null : from.name());
            ps.setString(3, to.name());
            ps.setString(4, effectiveOn.toString());
            ps.setString(5, reason);
            ps.setString(6, at.toString());
            ps.setLong(7, userId);
            ps.executeUpdate();
        }
    }

    List<StatusChange> statusHistory(Connection c, long id) throws SQLException {
        List<StatusChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT from_status, to_status, effective_on, reason, at, actor FROM "
                + "petition_status_history WHERE petition_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(1);
                    out.add(new StatusChange(from == null ? null : PetitionStatus.valueOf(from), PetitionStatus.valueOf(rs.getString(2)),
                            LocalDate.parse(rs.getString(3)), rs.getString(4), Instant.parse(rs.getString(5)), rs.getLong(6)));
                }
            }
        }
        return out;
    }

    Annotation insertAnnotation(Connection c, long id, long authorId, String authorName, Instant at, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petition_annotations (petition_id, author_id, author_name, created_at, "
                + "text) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, id);
            ps.setLong(2, authorId);
            ps.setString(3, authorName);
            ps.setString(4, at.toString());
            ps.setString(5, text);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Annotation(keys.getLong(1), id, authorId, authorName, at, text);
            }
        }
    }

    List<Annotation> annotations(Connection c, long id) throws SQLException {
        List<Annotation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, author_id, author_name, created_at, text FROM petition_annotations "
                + "WHERE petition_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Annotation(rs.getLong(1), id, rs.getLong(2), rs.getString(3), Instant.parse(rs.getString(4)), rs.getString(5)));
                }
            }
        }
        return out;
    }

    void insertExtension(Connection c, long id, Extension e, Instant at, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO petition_extensions (petition_id, deadline_kind, days, "
                + "decision_reference, decided_on, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, e.kind().name());
            ps.setInt(3, e.days());
            ps.setString(4, e.decisionReference());
            ps.setString(5, e.decidedOn().toString());
            ps.setString(6, at.toString());
            ps.setLong(7, userId);
            ps.executeUpdate();
        }
    }

    List<Long> splitInto(Connection c, long id) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM petitions WHERE split_from_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Petition counts by kind and status, for the gauges. */
    Map<String, Long> countsByKindAndStatus(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, status, COUNT(*) FROM petitions GROUP BY kind, status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
            }
        }
        return out;
    }

    long countOverdue(Connection c, LocalDate today) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM petitions WHERE next_due_on IS NOT NULL AND next_due_on < ?")) {
            ps.setString(1, today.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private Petition map(Connection c, ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        int round = rs.getInt("complaint_round");
        Integer complaintRound = rs.wasNull() ? null : round;
        long split = rs.getLong("split_from_id");
        Long splitFrom = rs.wasNull() ? null : split;
        String accepted = rs.getString("accepted_on");
        return new Petition(id, rs.getString("register_number"), rs.getLong("session_id"), rs.getString("origin_room_code"),
                PetitionKind.valueOf(rs.getString("kind")), complaintRound, rs.getInt("head_count"), petitioners(c, id),
                rs.getString("summary"), rs.getString("requests"), rs.getString("prior_handling"), rs.getString("handler_agency"),
                rs.getInt("complex") == 1, rs.getInt("especially_complex") == 1, rs.getInt("remote_area") == 1,
                PetitionStatus.valueOf(rs.getString("status")), LocalDate.parse(rs.getString("received_on")),
                accepted == null ? null : LocalDate.parse(accepted), splitFrom, extensions(c, id), rs.getLong("version"),
                Instant.parse(rs.getString("created_at")), Instant.parse(rs.getString("updated_at")),
                rs.getString("decided_on") == null ? null : LocalDate.parse(rs.getString("decided_on")));
    }

    private static List<Petitioner> petitioners(Connection c, long id) throws SQLException {
        List<Petitioner> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, id_number, address, representative FROM petitioners "
                + "WHERE petition_id = ? ORDER BY position")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Petitioner(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1));
                }
            }
        }
        return out;
    }

    private static List<Extension> extensions(Connection c, long id) throws SQLException {
        List<Extension> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT deadline_kind, days, decision_reference, decided_on FROM petition_extensions "
                + "WHERE petition_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Extension(DeadlineKind.valueOf(rs.getString(1)), rs.getInt(2), rs.getString(3), LocalDate.parse(rs.getString(4))));
                }
            }
        }
        return out;
    }

    /** Hashes the ID numbers written before the keyed hash existed (V20); returns how many rows it hashed. */
    int hashUnhashedIdNumbers(Connection c) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT petition_id, position, id_number FROM petitioners "
                + "WHERE id_hash IS NULL AND id_number <> ''");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3)});
            }
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE petitioners SET id_hash = ? WHERE petition_id = ? AND position = ?")) {
            for (Object[] r : rows) {
                up.setString(1, idHash.of((String) r[2]));
                up.setLong(2, (Long) r[0]);
                up.setInt(3, (Integer) r[1]);
                up.addBatch();
            }
            up.executeBatch();
        }
        return rows.size();
    }

    /** The petitions one of whose petitioners carries the ID number of {@code hash}, newest first. */
    List<Long> idsByIdNumberHash(Connection c, String hash) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT petition_id FROM petitioners WHERE id_hash = ? "
                + "ORDER BY petition_id DESC LIMIT 200")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }
}
