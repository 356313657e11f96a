package org.citizenreception.control.session;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.identity.TokenResolver;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.control.identity.Revocations;
import org.citizenreception.control.identity.Role;

/**
 * Room join tokens for WHIP/WHEP and room consoles: one per session and room, random, stored only
 * as a SHA-256 hash, valid until the session's scheduled end plus a grace period (or, once the
 * session has ended, until its real end plus the grace), and for as long as the session is live.
 *
 * <p>As a {@link TokenResolver} a token becomes a ROOM_OPERATOR principal bound to its room
 * (userId 0, username {@code room:<code>}), so every room check that stops an operator of room A
 * acting for room B stops the token too. A principal carries no session, so endpoints under a
 * session call {@link #requireSession} to keep a token inside the session it was issued for.
 */
public final class JoinTokens implements TokenResolver, SessionLifecycleListener {
    /** Tokens carry a prefix so that the resolver skips other token kinds without a database lookup. */
    static final String PREFIX = "rj_";
    private static final String USERNAME_PREFIX = "room:";

    /** What the holder receives, once: the token itself is never stored nor shown again. */
    public record Issued(String token, long sessionId, String roomCode, Instant expiresAt) {
    }

    private record Grant(long sessionId, String roomCode, Instant expiresAt, SessionState state) {
    }

    final Database database;
    final AuditLog audit;
    final SessionRepository sessions;
    private final Clock clock;
    private final Duration grace;
    private final Revocations revocations;
    private final SecureRandom random = new SecureRandom();

    public JoinTokens(Database database, AuditLog audit, SessionRepository sessions, Clock clock, Duration grace,
                      Revocations revocations) {
        this.revocations = revocations;
        this.database = database;
        this.audit = audit;
        this.sessions = sessions;
        this.clock = clock;
        this.grace = grace;
    }

    /** Issues a token for {@code roomCode}, which must be invited to the session. */
    public Issued issue(Principal actor, String remote, long sessionId, String roomCode) {
        Authentication.requireRoom(actor, roomCode);
        return Transactions.inTransaction(database, c -> {
            ReceptionSession s = requireIssuable(c, sessionId);
            if (!sessions.isInvited(c, sessionId, roomCode)) {
                throw DomainErrors.notFound("room " + roomCode + " in session " + sessionId);
            }
            Issued issued = insert(c, s, roomCode);
            audit.record(c, actor, remote, "session.join_token.issue", "session", String.valueOf(sessionId), Map.of("room", roomCode));
            return issued;
        });
    }

    /** The session, when tokens may be issued for it now. */
    ReceptionSession requireIssuable(Connection c, long sessionId) throws SQLException {
        ReceptionSession s = sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
        if (s.state() != SessionState.SCHEDULED && !s.state().underWay()) {
            throw DomainErrors.conflict("session " + sessionId + " is " + s.state() + "; tokens are issued for SCHEDULED or LIVE sessions only");
        }
        return s;
    }

    /** Stores a new token's hash for one room, inside the caller's transaction (which writes the audit entry). */
    Issued insert(Connection c, ReceptionSession s, String roomCode) throws SQLException {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = s.scheduledEnd().plus(grace);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO room_join_tokens (token_hash, session_id, room_code, "
                + "created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, hash(token));
            ps.setLong(2, s.id());
            ps.setString(3, roomCode);
            ps.setString(4, clock.instant().toString());
            ps.setString(5, expires.toString());
            ps.executeUpdate();
        }
        return new Issued(token, s.id(), roomCode, expires);
    }

    /** Revokes every token of one room in a session (a lost laptop). */
    public int revoke(Principal actor, String remote, long sessionId, String roomCode) {
        return Transactions.inTransaction(database, c -> {
            int n = revoke(c, sessionId, roomCode);
            audit.record(c, actor, remote, "session.join_token.revoke", "session", String.valueOf(sessionId),
                    Map.of("room", roomCode, "revoked", n));
            revocations.revoke(Revocation.roomTokens(sessionId, roomCode));
            return n;
        });
    }

    /** Revokes the room's live tokens inside the caller's transaction; returns how many. */
    int revoke(Connection c, long sessionId, String roomCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE room_join_tokens SET revoked_at = ? WHERE session_id = ? "
                + "AND room_code = ? AND revoked_at IS NULL")) {
            ps.setString(1, clock.instant().toString());
            ps.setLong(2, sessionId);
            ps.setString(3, roomCode);
            return ps.executeUpdate();
        }
    }

    @Override
    public Optional<Principal> resolve(String bearer) {
        return grant(bearer).map(g -> principal(g.roomCode()).withCredential(hash(bearer)));
    }

    /** Whether {@code p} is a join-token principal (and not a signed-in operator account). */
    public static boolean isJoinToken(Principal p) {
        return p.userId() == 0 && p.role() == Role.ROOM_OPERATOR && p.username().startsWith(USERNAME_PREFIX);
    }

    /** @throws DomainException 403 when the request's join token was issued for another session */
    public void requireSession(Context ctx, Principal p, long sessionId) {
        if (!isJoinToken(p)) {
            return;
        }
        Optional<Grant> g = Authentication.bearer(ctx).flatMap(this::grant);
        if (g.isEmpty() || g.get().sessionId() != sessionId) {
            throw DomainErrors.forbidden("This join token is for another session");
        }
    }

    /**
     * Whether {@code roomCode} may publish media into the session now: the hosting room while the
     * session is scheduled or live, any other room only while live and holding the floor.
     */
    public boolean mayPublish(String sessionId, String roomCode) {
        long id;
        try {
            id = Long.parseLong(sessionId);
        } catch (NumberFormatException e) {
            return false;
        }
        return Transactions.read(database, c -> sessions.find(c, id).map(s -> {
            if (roomCode.equals(s.hostRoomCode())) {
                return s.state() == SessionState.SCHEDULED || s.state() == SessionState.LIVE;
            }
            return s.state() == SessionState.LIVE && roomCode.equals(s.floorRoomCode());
        }).orElse(false));
    }

    /** At the end of a session its tokens run out after the grace period, whatever the schedule said. */
    @Override
    public void sessionStateChanged(Connection c, ReceptionSession before, SessionState after) throws SQLException {
        if (after == SessionState.ENDED || after == SessionState.CANCELLED) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE room_join_tokens SET expires_at = ? WHERE session_id = ? "
                    + "AND expires_at > ?")) {
                String end = clock.instant().plus(after == SessionState.ENDED ? grace : Duration.ZERO).toString();
                ps.setString(1, end);
                ps.setLong(2, before.id());
                ps.setString(3, end);
                ps.executeUpdate();
            }
        }
    }

    /** The session a join token was issued for, while the token is valid. */
    public Optional<Long> sessionOf(String bearer) {
        return grant(bearer).map(Grant::sessionId);
    }

    private Optional<Grant> grant(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.session_id, t.room_code, t.expires_at, s.state FROM room_join_tokens t "
                    + "JOIN reception_sessions s ON s.id = t.session_id WHERE t.token_hash = ? AND t.revoked_at IS NULL")) {
                ps.setString(1, hash(bearer));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Grant>empty();
                    }
                    Grant g = new Grant(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)), SessionState.valueOf(rs.getString(4)));
                    boolean valid = g.state().underWay()
                            || (g.state() != SessionState.CANCELLED && g.state() != SessionState.ARCHIVED && clock.instant().isBefore(g.expiresAt()));
                    return valid ? Optional.of(g) : Optional.<Grant>empty();
                }
            }
        });
    }

    static Principal principal(String roomCode) {
        return new Principal(0, USERNAME_PREFIX + roomCode, Role.ROOM_OPERATOR, Optional.of(roomCode));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
