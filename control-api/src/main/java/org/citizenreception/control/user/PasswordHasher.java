package org.citizenreception.control.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id (RFC 9106) through password4j. Parameters follow OWASP's minimum for Argon2id
 * (19 MiB, 2 iterations, 1 lane): slow enough to make offline guessing costly, fast enough
 * (~30 ms here) that a login storm of 200 room operators does not stall a 2-core server.
 */
public final class PasswordHasher {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public boolean matches(String password, String storedHash) {
        return Password.check(password, storedHash).with(ARGON2ID);
    }
}
