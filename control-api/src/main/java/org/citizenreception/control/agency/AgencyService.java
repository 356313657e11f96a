package org.citizenreception.control.agency;

import org.citizenreception.control.error.DomainErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/**
 * The agency list: create, rename, (de)activate under optimistic versioning, each change audited.
 * Agencies are never deleted: steps of past petitions name them.
 */
public final class AgencyService {
    /** POST and PATCH bodies; absent fields keep their value on PATCH. */
    public record AgencyInput(String name, String roomCode, Boolean active, Long version) {
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    public AgencyService(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Agency> list(boolean activeOnly) {
        return Transactions.read(database, c -> {
            List<Agency> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, room_code, active, version, created_at, updated_at "
                    + "FROM agencies" + (activeOnly ? " WHERE active = 1" : "") + " ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        });
    }

    public Agency create(Principal actor, String remote, AgencyInput in) {
        String name = Fields.name("name", in.name(), 300);
        return Transactions.inTransaction(database, c -> {
            String room = room(c, in.roomCode());
            requireUniqueName(c, name, 0);
            Instant now = clock.instant();
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agencies (name, room_code, active, version, created_at, "
                    + "created_by, updated_at, updated_by) VALUES (?, ?, ?, 1, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, room);
                ps.setInt(3, Boolean.FALSE.equals(in.active()) ? 0 : 1);
                ps.setString(4, now.toString());
                ps.setLong(5, actor.userId());
                ps.setString(6, now.toString());
                ps.setLong(7, actor.userId());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            audit.record(c, actor, remote, "agency.created", "agency", String.valueOf(id), Map.of("name", name));
            return find(c, id).orElseThrow();
        });
    }

    public Agency update(Principal actor, String remote, long id, AgencyInput in) {
        if (in.version() == null) {
            throw DomainErrors.invalid("version", "is required: send the version you edited (optimistic concurrency)");
        }
        return Transactions.inTransaction(database, c -> {
            Agency current = find(c, id).orElseThrow(() -> DomainErrors.notFound("agency " + id));
            if (current.version() != in.version()) {
                throw DomainErrors.conflict("agency " + id + " changed meanwhile (version " + current.version() + "); reload and retry");
            }
            String name = in.name() == null ? current.name() : Fields.name("name", in.name(), 300);
            String room = in.roomCode() == null ? current.roomCode() : room(c, in.roomCode());
            boolean active = in.active() == null ? current.active() : in.active();
            requireUniqueName(c, name, id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE agencies SET name = ?, room_code = ?, active = ?, version = version + 1, "
                    + "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?")) {
                ps.setString(1, name);
                ps.setString(2, room);
                ps.setInt(3, active ? 1 : 0);
                ps.setString(4, clock.instant().toString());
                ps.setLong(5, actor.userId());
                ps.setLong(6, id);
                ps.setLong(7, current.version());
                ps.executeUpdate();
            }
            audit.record(c, actor, remote, "agency.updated", "agency", String.valueOf(id),
                    Map.of("name", name, "active", active, "version", current.version() + 1));
            return find(c, id).orElseThrow();
        });
    }

    private static String room(Connection c, String code) throws SQLException {
        if (code == null || code.isBlank()) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM rooms WHERE code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw DomainErrors.invalid("roomCode", "must be a unit of the room directory");
                }
            }
        }
        return code;
    }

    private static void requireUniqueName(Connection c, String name, long self) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM agencies WHERE name = ? AND id <> ?")) {
            ps.setString(1, name);
            ps.setLong(2, self);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw DomainErrors.invalid("name", "already exists in the agency list");
                }
            }
        }
    }

    private static Optional<Agency> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, room_code, active, version, created_at, updated_at "
                + "FROM agencies WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static Agency map(ResultSet rs) throws SQLException {
        return new Agency(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1, rs.getLong(5),
                Instant.parse(rs.getString(6)), Instant.parse(rs.getString(7)));
    }
}
