package org.citizenreception.control.user;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;

/**
 * Creates the first administrator when the database has no account at all, so a fresh install can
 * be signed into. The password comes from RECEPTION_ADMIN_PASSWORD or is generated; either way it
 * is returned once to be printed once, and never logged.
 */
public final class AdminBootstrap {
    public static final String USERNAME = "admin";
    public static final String PASSWORD_ENV = "RECEPTION_ADMIN_PASSWORD";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** The credentials of a newly created administrator, or empty when accounts already exist. */
    public record Created(String username, String password, boolean generated) {
    }

    private final Database database;
    private final PasswordHasher hasher;

    public AdminBootstrap(Database database, PasswordHasher hasher) {
        this.database = database;
        this.hasher = hasher;
    }

    public Optional<Created> ensureAdministrator(String passwordFromEnv) {
        return Transactions.inTransaction(database, c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM users");
                 ResultSet rs = count.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return Optional.<Created>empty();
                }
            }
            boolean generated = passwordFromEnv == null || passwordFromEnv.isBlank();
            String password = generated ? generatePassword() : passwordFromEnv;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, 'ADMIN', ?, ?)")) {
                insert.setString(1, USERNAME);
                insert.setString(2, "Administrator");
                insert.setString(3, hasher.hash(password));
                insert.setString(4, Instant.now().toString());
                insert.executeUpdate();
            }
            return Optional.of(new Created(USERNAME, password, generated));
        });
    }

    private static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
