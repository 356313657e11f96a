package org.citizenreception.control.user;

import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.control.identity.Revocations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.identity.TokenResolver;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;

/**
 * Sign-in with username and password, opaque bearer tokens, sign-out.
 *
 * <p>A token is 32 random bytes (base64url); only its SHA-256 is stored, so the token table is
 * useless to whoever copies the database. A plain hash (not a slow KDF) is enough because the
 * token has 256 bits of entropy: there is nothing to guess. Tokens expire after the configured
 * lifetime, die with sign-out, and all of a user's die when the account is disabled, demoted or
 * gets a new password.
 */
public final class AuthService implements TokenResolver {
    private static final int TOKEN_BYTES = 32;
    /** The same answer for an unknown user, a wrong password and a disabled account: no user enumeration. */
    private static final String BAD_CREDENTIALS = "Wrong username or password, or the account is disabled";

    private final Database database;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Duration tokenLifetime;
    private final Revocations revocations;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the username is unknown, so both paths cost one Argon2id run. */
    private final String decoyHash;

    private final PasswordCheckGate passwordChecks;
    private final org.citizenreception.control.limits.LimitRefusals refusals;

    public AuthService(Database database, PasswordHasher hasher, AuditLog audit, LoginThrottle throttle, Clock clock,
                       Duration tokenLifetime, Revocations revocations) {
        this(database, hasher, audit, throttle, clock, tokenLifetime, revocations,
                PasswordCheckGate.perCore(org.citizenreception.control.limits.LimitRefusals.unregistered()),
                org.citizenreception.control.limits.LimitRefusals.unregistered());
    }

    /**
     * @param passwordChecks bounds the password hashes computed at once
     * @param refusals       counts sign-ins refused by the throttle
     */
    public AuthService(Database database, PasswordHasher hasher, AuditLog audit, LoginThrottle throttle, Clock clock,
                       Duration tokenLifetime, Revocations revocations, PasswordCheckGate passwordChecks,
                       org.citizenreception.control.limits.LimitRefusals refusals) {
        this.passwordChecks = passwordChecks;
        this.refusals = refusals;
        this.revocations = revocations;
        this.database = database;
        this.hasher = hasher;
        this.audit = audit;
        this.throttle = throttle;
        this.clock = clock;
        this.tokenLifetime = tokenLifetime;
        this.decoyHash = hasher.hash("decoy-" + random.nextLong());
    }

    /** A successful sign-in: the token (shown once), its expiry and the account. */
    public record Login(String token, Instant expiresAt, User user) {
    }

    /**
     * @throws DomainException 429 with Retry-After while the username or address is throttled; 401 for
     *                      wrong credentials; 503 with Retry-After while every password check slot is busy
     */
    public Login login(String username, String password, String remoteAddress) {
        return passwordChecks.run(() -> checkedLogin(username, password, remoteAddress));
    }

    private Login checkedLogin(String username, String password, String remoteAddress) {
        // Reserved before the password is checked, so concurrent guesses cannot all pass the check.
        throttle.reserve(username, remoteAddress).ifPresent(wait -> {
            refusals.refused(org.citizenreception.control.limits.LimitRefusals.Limit.LOGIN_THROTTLE);
            throw DomainErrors.tooManyRequests("Too many failed sign-ins; try again in "
                    + Math.max(1, wait.toSeconds()) + " s", (wait.toMillis() + 999) / 1000);
        });
        Optional<UserRepository.WithHash> found = Transactions.read(database, c -> UserRepository.findForLogin(c, username));
        boolean passwordOk = hasher.matches(password, found.map(UserRepository.WithHash::passwordHash).orElse(decoyHash));
        if (found.isEmpty() || !passwordOk || found.get().user().disabled()) {
            found.ifPresent(f -> audit.record(f.user().principal(), remoteAddress, "auth.login-failed", "user",
                    Long.toString(f.user().id()), Map.of("reason", f.user().disabled() && passwordOk ? "disabled" : "password")));
            throw DomainErrors.unauthorized(BAD_CREDENTIALS);
        }
        throttle.succeeded(username, remoteAddress);
        User user = found.get().user();
        String token = newToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(tokenLifetime);
        Transactions.inTransaction(database, c -> {
            UserRepository.purgeExpiredTokens(c, now.minus(Duration.ofDays(1)));
            UserRepository.insertToken(c, sha256(token), user.id(), now, expiresAt);
            audit.record(c, user.principal(), remoteAddress, "auth.login", "user", Long.toString(user.id()), Map.of());
            return null;
        });
        return new Login(token, expiresAt, user);
    }

    /**
     * The signed-in user changes their own password: the current one is checked (throttled like a
     * sign-in, so a stolen token cannot be used to guess it), every other sign-in of the account
     * ends, this one stays. Audited either way.
     *
     * @throws DomainException 422 naming {@code currentPassword} or {@code newPassword}; 429 while throttled
     */
    public void changePassword(String bearer, String currentPassword, String newPassword, String remoteAddress) {
        User user = user(bearer).orElseThrow(() -> DomainErrors.unauthorized("The token is no longer valid"));
        UserService.requirePassword("newPassword", newPassword);
        throttle.reserve(user.username(), remoteAddress).ifPresent(wait -> {
            refusals.refused(org.citizenreception.control.limits.LimitRefusals.Limit.LOGIN_THROTTLE);
            throw DomainErrors.tooManyRequests("Too many wrong passwords; try again in "
                    + Math.max(1, wait.toSeconds()) + " s", (wait.toMillis() + 999) / 1000);
        });
        String currentHash = Transactions.read(database, c -> UserRepository.findForLogin(c, user.username()))
                .map(UserRepository.WithHash::passwordHash).orElse(decoyHash);
        if (currentPassword == null || !passwordChecks.run(() -> hasher.matches(currentPassword, currentHash))) {
            audit.record(user.principal(), remoteAddress, "auth.password-change-failed", "user", Long.toString(user.id()),
                    Map.of("reason", "current password wrong"));
            throw DomainErrors.invalid("currentPassword", "is not your current password");
        }
        throttle.succeeded(user.username(), remoteAddress);
        if (newPassword.equals(currentPassword)) {
            throw DomainErrors.invalid("newPassword", "must differ from the current password");
        }
        String newHash = hasher.hash(newPassword);
        Instant now = clock.instant();
        Transactions.inTransaction(database, c -> {
            UserRepository.setPassword(c, user.id(), newHash, now);
            int ended = UserRepository.revokeOtherTokens(c, user.id(), sha256(bearer), now);
            audit.record(c, user.principal(), remoteAddress, "auth.password-change", "user", Long.toString(user.id()),
                    Map.of("otherSessionsEnded", ended));
            return null;
        });
    }

    /** Revokes the token; a token already revoked or unknown is not an error (sign-out is idempotent). */
    public void logout(String token, Principal principal, String remoteAddress) {
        Transactions.inTransaction(database, c -> {
            if (UserRepository.revokeToken(c, sha256(token), clock.instant()) > 0) {
                revocations.revoke(Revocation.credential(sha256(token)));
                audit.record(c, principal, remoteAddress, "auth.logout", "user", Long.toString(principal.userId()), Map.of());
            }
            return null;
        });
    }

    /** The account of a valid token (known, unrevoked, unexpired, account enabled). */
    @Override
    public Optional<Principal> resolve(String bearer) {
        return user(bearer).map(u -> u.principal().withCredential(sha256(bearer)));
    }

    public Optional<User> user(String bearer) {
        if (bearer == null || bearer.isEmpty() || bearer.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Transactions.read(database, c -> UserRepository.tokenOwner(c, sha256(bearer)))
                .filter(owner -> owner.expiresAt().isAfter(now))
                .map(UserRepository.TokenOwner::user);
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
