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
 * be signed into. The password comes from RECEPTION_ADMIN_PASSWORD or is generated. A generated one
 * is returned once to be printed once, and never logged; one from the environment is never echoed
 * (the operator knows it, and console output ends up in service logs and screenshots).
 */
public final class AdminBootstrap {
    public static final String USERNAME = "admin";
    public static final String PASSWORD_ENV = "RECEPTION_ADMIN_PASSWORD";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /**
     * A newly created administrator; {@code password} only when generated (null when it came from
     * the environment, so nothing can print it).
     */
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
            if (!generated && passwordFromEnv.codePointCount(0, passwordFromEnv.length()) < UserService.MIN_PASSWORD_LENGTH) {
                throw new IllegalStateException(PASSWORD_ENV + " must have at least " + UserService.MIN_PASSWORD_LENGTH
                        + " characters (value not shown)");
            }
            String password = generated ? generatePassword() : passwordFromEnv;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, 'ADMIN', ?, ?)")) {
                insert.setString(1, USERNAME);
                insert.setString(2, "Administrator");
                insert.setString(3, hasher.hash(password));
                insert.setString(4, Instant.now().toString());
                insert.executeUpdate();
            }
            return Optional.of(new Created(USERNAME, generated ? password : null, generated));
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
