package org.citizenreception.control.user;

import org.citizenreception.control.identity.Role;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for accounts and their bearer tokens. Every method runs on the caller's connection. */
final class UserRepository {
    private static final String COLUMNS = "id, username, display_name, role, room_code, disabled, created_at, updated_at, unit_code";

    /** An account with its password hash, for sign-in only. */
    record WithHash(User user, String passwordHash) {
    }

    private UserRepository() {
    }

    static List<User> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) {
                users.add(user(rs));
            }
            return users;
        }
    }

    static Optional<User> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    static Optional<WithHash> findForLogin(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", password_hash FROM users WHERE lower(username) = lower(?)")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new WithHash(user(rs), rs.getString("password_hash"))) : Optional.empty();
            }
        }
    }

    static boolean usernameTaken(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE lower(username) = lower(?)")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static long insert(Connection c, String username, String displayName, Role role, String roomCode, String passwordHash,
                       Instant now, String unitCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (username, display_name, role, room_code,"
                + " password_hash, created_at, updated_at, unit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, username);
            ps.setString(2, displayName);
            ps.setString(3, role.name());
            ps.setString(4, roomCode);
            ps.setString(5, passwordHash);
            ps.setString(6, now.toString());
            ps.setString(7, now.toString());
            ps.setString(8, unitCode);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    static void update(Connection c, User u, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET display_name = ?, role = ?, room_code = ?,"
                + " disabled = ?, updated_at = ?, unit_code = COALESCE(?, unit_code) WHERE id = ?")) {
            ps.setString(1, u.displayName());
            ps.setString(2, u.role().name());
            ps.setString(3, u.roomCode());
            ps.setInt(4, u.disabled() ? 1 : 0);
            ps.setString(5, now.toString());
            ps.setString(6, u.unitCode());
            ps.setLong(7, u.id());
            ps.executeUpdate();
        }
    }

    static void setPassword(Connection c, long id, String hash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setString(2, now.toString());
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    static void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Whether any row of another table points at the account (so it must be disabled, not deleted). */
    static boolean isReferenced(Connection c, long id) throws SQLException {
        // A host chosen to preside sessions stays, or the duty report would lose the leader's sessions.
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM audit_log WHERE actor_user_id = ? "
                + "UNION ALL SELECT 1 FROM reception_sessions WHERE presiding_user_id = ? "
                + "UNION ALL SELECT 1 FROM session_schedules WHERE presiding_user_id = ? LIMIT 1")) {
            ps.setLong(1, id);
            ps.setLong(2, id);
            ps.setLong(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static int countEnabledAdmins(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users WHERE role = 'ADMIN' AND disabled = 0");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void insertToken(Connection c, String tokenHash, long userId, Instant now, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, tokenHash);
            ps.setLong(2, userId);
            ps.setString(3, now.toString());
            ps.setString(4, expiresAt.toString());
            ps.executeUpdate();
        }
    }

    /** The enabled account holding an unrevoked token, with the token's expiry. */
    record TokenOwner(User user, Instant expiresAt) {
    }

    static Optional<TokenOwner> tokenOwner(Connection c, String tokenHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.username, u.display_name, u.role, u.room_code,"
                + " u.disabled, u.created_at, u.updated_at, u.unit_code, t.expires_at FROM auth_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0")) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new TokenOwner(user(rs), Instant.parse(rs.getString("expires_at"))))
                        : Optional.empty();
            }
        }
    }

    static int revokeToken(Connection c, String tokenHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, now.toString());
            ps.setString(2, tokenHash);
            return ps.executeUpdate();
        }
    }

    static int revokeAllTokens(Connection c, long userId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")) {
            ps.setString(1, now.toString());
            ps.setLong(2, userId);
            return ps.executeUpdate();
        }
    }

    /** Revokes every token of the user but {@code keptTokenHash} (the one changing its own password). */
    static int revokeOtherTokens(Connection c, long userId, String keptTokenHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND token_hash <> ? AND revoked_at IS NULL")) {
            ps.setString(1, now.toString());
            ps.setLong(2, userId);
            ps.setString(3, keptTokenHash);
            return ps.executeUpdate();
        }
    }

    /** Forgets tokens expired before {@code cutoff}: they can never be used again. */
    static int purgeExpiredTokens(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM auth_tokens WHERE expires_at < ?")) {
            ps.setString(1, cutoff.toString());
            return ps.executeUpdate();
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), rs.getString("room_code"), rs.getInt("disabled") != 0,
                rs.getString("created_at"), rs.getString("updated_at"), rs.getString("unit_code"));
    }
}
