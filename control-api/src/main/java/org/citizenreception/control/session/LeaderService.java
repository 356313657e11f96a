package org.citizenreception.control.session;

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
 * The leaders list: who may be named to preside a session besides the HOST accounts. Names are
 * unique so one person is counted once; an entry is deactivated, never deleted, because sessions
 * point at it.
 */
public final class LeaderService {
    static final String TYPED_NAME = "typed name";

    /** The body of POST and PATCH /leaders; on PATCH an absent field keeps its value. */
    public record LeaderInput(String name, String position, Boolean active) {
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    public LeaderService(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Leader> list() {
        return Transactions.read(database, c -> {
            List<Leader> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM leaders ORDER BY active DESC, name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    find(c, rs.getLong(1)).ifPresent(out::add);
                }
            }
            return out;
        });
    }

    public Leader create(Principal actor, String remote, LeaderInput in) {
        String name = Fields.name("name", in.name(), 200);
        String position = Fields.optional("position", in.position(), 200).strip();
        return Transactions.inTransaction(database, c -> {
            requireFreeName(c, name, 0);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leaders (name, position, active, created_at) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, position);
                ps.setInt(3, in.active() == null || in.active() ? 1 : 0);
                ps.setString(4, clock.instant().toString());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            audit.record(c, actor, remote, "leader.create", "leader", String.valueOf(id), Map.of("position", position));
            return find(c, id).orElseThrow();
        });
    }

    /** Renames, re-titles or (de)activates; sessions keep the name they were announced with. */
    public Leader update(Principal actor, String remote, long id, LeaderInput in) {
        return Transactions.inTransaction(database, c -> {
            Leader current = find(c, id).orElseThrow(() -> DomainErrors.notFound("leader " + id));
            String name = in.name() == null ? current.name() : Fields.name("name", in.name(), 200);
            String position = in.position() == null ? current.position() : Fields.optional("position", in.position(), 200).strip();
            boolean active = in.active() == null ? current.active() : in.active();
            requireFreeName(c, name, id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE leaders SET name = ?, position = ?, active = ?, filed_from = ? WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, position);
                ps.setInt(3, active ? 1 : 0);
                ps.setString(4, name.equals(current.name()) ? current.filedFrom() : null); // a corrected name is no longer a typed one
                ps.setLong(5, id);
                ps.executeUpdate();
            }
            audit.record(c, actor, remote, "leader.update", "leader", String.valueOf(id), Map.of("renamed", !name.equals(current.name()),
                    "active", active));
            return find(c, id).orElseThrow();
        });
    }

    /**
     * The leader a typed name stands for: the entry of that exact (trimmed) name, else a new one
     * marked as typed. Runs in the caller's transaction, so a refused session leaves no entry behind.
     */
    static long fileTypedName(Connection c, String typed, Instant now) throws SQLException {
        String name = typed.strip();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM leaders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO leaders (name, created_at, filed_from) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, now.toString());
            ps.setString(3, TYPED_NAME);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The name of the active leader {@code id}, or empty when there is none or it is deactivated. */
    static Optional<String> activeName(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM leaders WHERE id = ? AND active = 1")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void requireFreeName(Connection c, String name, long self) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM leaders WHERE name = ? AND id <> ?")) {
            ps.setString(1, name);
            ps.setLong(2, self);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw DomainErrors.invalid("name", "is already on the leaders list (leader " + rs.getLong(1) + ")");
                }
            }
        }
    }

    private static Optional<Leader> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, position, active, created_at, filed_from FROM leaders WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Leader(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1,
                        Instant.parse(rs.getString(5)), rs.getString(6))) : Optional.empty();
            }
        }
    }
}
