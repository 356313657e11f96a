package org.citizenreception.control.user;

import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.control.identity.Revocations;
import org.citizenreception.control.identity.Role;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.StoreException;
import org.citizenreception.control.store.Transactions;

/**
 * Account administration. Rules: a ROOM_OPERATOR is bound to exactly one existing room and other
 * roles to none; the last enabled administrator can be neither disabled, demoted nor deleted; an
 * account that anything refers to (the audit log, a petition it registered) is disabled instead of
 * deleted; disabling, demoting, rebinding or a new password ends all the account's sessions.
 */
public final class UserService {
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");
    /** NIST SP 800-63B asks for at least 8; 12 because staff accounts open petitioners' personal data. */
    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 200;
    static final int MAX_DISPLAY_NAME_LENGTH = 200;

    private final Database database;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final RoomDirectory rooms;
    private final Clock clock;
    private final Revocations revocations;

    public UserService(Database database, PasswordHasher hasher, AuditLog audit, RoomDirectory rooms, Clock clock,
                       Revocations revocations) {
        this.revocations = revocations;
        this.database = database;
        this.hasher = hasher;
        this.audit = audit;
        this.rooms = rooms;
        this.clock = clock;
    }

    /** A new account's fields, as validated by {@link #create}. */
    public record NewUser(String username, String displayName, Role role, String roomCode, String password, String unitCode) {
        public NewUser(String username, String displayName, Role role, String roomCode, String password) {
            this(username, displayName, role, roomCode, password, null);
        }
    }

    /** Changes to an account: an empty Optional leaves a field as it is. */
    public record Change(Optional<String> displayName, Optional<Role> role, Optional<Optional<String>> roomCode,
                         Optional<String> password, Optional<Boolean> disabled, Optional<String> unitCode) {
        public Change(Optional<String> displayName, Optional<Role> role, Optional<Optional<String>> roomCode,
                      Optional<String> password, Optional<Boolean> disabled) {
            this(displayName, role, roomCode, password, disabled, Optional.empty());
        }
    }

    public List<User> list() {
        return Transactions.read(database, UserRepository::list);
    }

    public User get(long id) {
        return Transactions.read(database, c -> UserRepository.find(c, id))
                .orElseThrow(() -> DomainErrors.notFound("User " + id));
    }

    public User create(NewUser n, Principal actor, String remoteAddress) {
        if (n.username() == null || !USERNAME.matcher(n.username()).matches()) {
            throw DomainErrors.invalid("username", "3-64 letters, digits, '.', '_' or '-'");
        }
        String displayName = requireDisplayName(n.displayName() == null ? n.username() : n.displayName());
        if (n.role() == null) {
            throw DomainErrors.invalid("role", "required: one of ADMIN, HOST, SECRETARY, ROOM_OPERATOR");
        }
        String roomCode = requireRoomBinding(n.role(), n.roomCode());
        String unitCode = requireUnit(n.unitCode(), roomCode);
        requirePassword(n.password());
        String hash = hasher.hash(n.password());
        Instant now = clock.instant();
        return Transactions.inTransaction(database, c -> {
            if (UserRepository.usernameTaken(c, n.username())) {
                throw DomainErrors.conflict("The username " + n.username() + " is taken");
            }
            long id = UserRepository.insert(c, n.username(), displayName, n.role(), roomCode, hash, now, unitCode);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("role", n.role().name());
            if (roomCode != null) {
                detail.put("roomCode", roomCode);
            }
            detail.put("unitCode", unitCode);
            audit.record(c, actor, remoteAddress, "user.create", "user", Long.toString(id), detail);
            return UserRepository.find(c, id).orElseThrow();
        });
    }

    public User update(long id, Change change, Principal actor, String remoteAddress) {
        change.displayName().ifPresent(UserService::requireDisplayName);
        change.password().ifPresent(UserService::requirePassword);
        Optional<String> newHash = change.password().map(hasher::hash);
        Instant now = clock.instant();
        return Transactions.inTransaction(database, c -> {
            User current = UserRepository.find(c, id).orElseThrow(() -> DomainErrors.notFound("User " + id));
            Role role = change.role().orElse(current.role());
            String roomCode = change.roomCode().isPresent() ? change.roomCode().get().orElse(null)
                    : role == Role.ROOM_OPERATOR ? current.roomCode() : null;
            roomCode = requireRoomBinding(role, roomCode);
            boolean disabled = change.disabled().orElse(current.disabled());
            String unitCode = change.unitCode().isPresent() || !java.util.Objects.equals(roomCode, current.roomCode())
                    ? requireUnit(change.unitCode().orElse(null), roomCode) : current.unitCode();
            User updated = new User(id, current.username(), change.displayName().orElse(current.displayName()), role,
                    roomCode, disabled, current.createdAt(), now.toString(), unitCode);
            boolean wasActiveAdmin = current.role() == Role.ADMIN && !current.disabled();
            boolean staysActiveAdmin = role == Role.ADMIN && !disabled;
            if (wasActiveAdmin && !staysActiveAdmin && UserRepository.countEnabledAdmins(c) <= 1) {
                throw DomainErrors.conflict("User " + id + " is the last enabled administrator; appoint another first");
            }
            UserRepository.update(c, updated, now);
            if (newHash.isPresent()) {
                UserRepository.setPassword(c, id, newHash.get(), now);
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            if (current.role() != role) {
                detail.put("role", role.name());
            }
            if (!java.util.Objects.equals(current.roomCode(), roomCode)) {
                detail.put("roomCode", roomCode == null ? "none" : roomCode);
            }
            if (!java.util.Objects.equals(current.unitCode(), unitCode)) {
                detail.put("unitCode", unitCode);
            }
            if (current.disabled() != disabled) {
                detail.put("disabled", disabled);
            }
            if (!current.displayName().equals(updated.displayName())) {
                detail.put("displayName", "changed");
            }
            if (newHash.isPresent()) {
                detail.put("credentials", "changed");
            }
            if (detail.containsKey("role") || detail.containsKey("roomCode") || detail.containsKey("unitCode")
                    || (disabled && !current.disabled())
                    || newHash.isPresent()) {
                int revoked = UserRepository.revokeAllTokens(c, id, now);
                detail.put("sessionsEnded", revoked);
                revocations.revoke(Revocation.user(id, "account changed"));
            }
            audit.record(c, actor, remoteAddress, "user.update", "user", Long.toString(id), detail);
            return UserRepository.find(c, id).orElseThrow();
        });
    }

    /**
     * Signs the account out everywhere (a lost laptop, a shared PC left signed in) without touching
     * its password or role; returns how many sign-ins ended.
     */
    public int endSessions(long id, Principal actor, String remoteAddress) {
        Instant now = clock.instant();
        return Transactions.inTransaction(database, c -> {
            UserRepository.find(c, id).orElseThrow(() -> DomainErrors.notFound("User " + id));
            int revoked = UserRepository.revokeAllTokens(c, id, now);
            revocations.revoke(Revocation.user(id, "signed out everywhere"));
            audit.record(c, actor, remoteAddress, "user.sessions_end", "user", Long.toString(id), Map.of("sessionsEnded", revoked));
            return revoked;
        });
    }

    /** The outcome of a delete: gone, or disabled because something refers to the account. */
    public record Removal(boolean deleted, User user) {
    }

    public Removal delete(long id, Principal actor, String remoteAddress) {
        Instant now = clock.instant();
        return Transactions.inTransaction(database, c -> {
            User current = UserRepository.find(c, id).orElseThrow(() -> DomainErrors.notFound("User " + id));
            if (current.role() == Role.ADMIN && !current.disabled() && UserRepository.countEnabledAdmins(c) <= 1) {
                throw DomainErrors.conflict("User " + id + " is the last enabled administrator; appoint another first");
            }
            boolean deleted = false;
            revocations.revoke(Revocation.user(id, "account removed"));
            if (!UserRepository.isReferenced(c, id)) {
                try {
                    UserRepository.delete(c, id);
                    deleted = true;
                } catch (SQLException e) {
                    if (!StoreException.isConstraintViolation(e)) {
                        throw e;
                    }
                    // Another table refers to the account: SQLite undid only this statement.
                }
            }
            if (!deleted) {
                User disabled = new User(id, current.username(), current.displayName(), current.role(), current.roomCode(),
                        true, current.createdAt(), now.toString());
                UserRepository.update(c, disabled, now);
                UserRepository.revokeAllTokens(c, id, now);
            }
            audit.record(c, actor, remoteAddress, deleted ? "user.delete" : "user.disable", "user", Long.toString(id),
                    Map.of("reason", deleted ? "deleted" : "referenced by history, disabled instead"));
            return new Removal(deleted, deleted ? current : UserRepository.find(c, id).orElseThrow());
        });
    }

    private String requireRoomBinding(Role role, String roomCode) {
        if (role == Role.ROOM_OPERATOR) {
            if (roomCode == null || roomCode.isBlank()) {
                throw DomainErrors.invalid("roomCode", "a ROOM_OPERATOR needs the code of the room they operate");
            }
            if (rooms.find(roomCode).isEmpty()) {
                throw DomainErrors.invalid("roomCode", "no room has the code '" + roomCode + "'");
            }
            return roomCode;
        }
        if (roomCode != null) {
            throw DomainErrors.invalid("roomCode", "only a ROOM_OPERATOR is bound to a room");
        }
        return null;
    }

    /**
     * The unit an account belongs to: the one named, else an operator's room, else the province
     * root. An operator's unit is its room: it may not reach further than the room it runs.
     */
    private String requireUnit(String unitCode, String roomCode) {
        if (roomCode != null) {
            if (unitCode != null && !unitCode.equals(roomCode)) {
                throw DomainErrors.invalid("unitCode", "a ROOM_OPERATOR belongs to the unit of its room, " + roomCode);
            }
            return roomCode;
        }
        if (unitCode == null || unitCode.isBlank()) {
            return rooms.rootCode();
        }
        if (rooms.find(unitCode).isEmpty()) {
            throw DomainErrors.invalid("unitCode", "no unit of the room directory has the code '" + unitCode + "'");
        }
        return unitCode;
    }

    private static String requireDisplayName(String name) {
        if (name == null || name.isBlank()) {
            throw DomainErrors.invalid("displayName", "must not be empty");
        }
        if (name.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw DomainErrors.invalid("displayName", "at most " + MAX_DISPLAY_NAME_LENGTH + " characters");
        }
        return org.citizenreception.control.validation.Fields.name("displayName", name, MAX_DISPLAY_NAME_LENGTH);
    }

    private static void requirePassword(String password) {
        requirePassword("password", password);
    }

    /** Length counted in characters (code points), so a Vietnamese passphrase counts what the user typed. */
    static void requirePassword(String field, String password) {
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
            throw DomainErrors.invalid(field, MIN_PASSWORD_LENGTH + "-" + MAX_PASSWORD_LENGTH + " characters");
        }
    }
}
