package org.citizenreception.control.session;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Collator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.room.Room;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.room.RoomLevel;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * Join links for every room of a session in one step, for the printable sheet: each with its URL
 * and the URL's QR code. The hosting room gets none (its join token could publish as the host; the
 * studio signs in with the host's account). One transaction and one audit entry with the count, so
 * a sheet is issued whole or not at all.
 */
public final class JoinLinks {
    /** The body of POST /sessions/{id}/join-tokens; every field optional. */
    public record Request(String joinUrlBase, List<String> rooms, Boolean replaceEarlier) {
    }

    /** One room's line of the sheet; the token is in the URL and shown this once. */
    public record Link(String roomCode, String roomName, String level, String url, String qrSvg, String token, Instant expiresAt) {
    }

    public record Sheet(long sessionId, String title, Instant scheduledStart, int count, int revokedEarlier, List<Link> links) {
    }

    private static final int MAX_BASE_LENGTH = 500;

    private final Database database;
    private final AuditLog audit;
    private final JoinTokens tokens;
    private final SessionRepository sessions;
    private final RoomDirectory rooms;

    /** Shares the join tokens' store, audit log and session repository: a link is a join token with its address. */
    JoinLinks(JoinTokens tokens, RoomDirectory rooms) {
        this.database = tokens.database;
        this.audit = tokens.audit;
        this.tokens = tokens;
        this.sessions = tokens.sessions;
        this.rooms = rooms;
    }

    /**
     * Issues a link for every invited room but the host's, or for {@code request.rooms()} only; with
     * {@code replaceEarlier} the rooms' earlier links stop working (a re-issue after a leak).
     *
     * @param defaultBase the server's own address, used when the request names none
     * @throws DomainException 404 unknown session or room, 403 a host who neither presides nor created the
     *                      session, 409 a session that is not SCHEDULED or LIVE, 422 a bad field
     */
    public Sheet issue(Principal actor, String remote, long sessionId, Request request, String defaultBase) {
        Request in = request == null ? new Request(null, null, null) : request;
        String base = base(in.joinUrlBase() == null || in.joinUrlBase().isBlank() ? defaultBase : in.joinUrlBase().trim());
        boolean replace = Boolean.TRUE.equals(in.replaceEarlier());
        return Transactions.inTransaction(database, c -> {
            // Who may ask is settled before the session's state is told: a stranger learns only 404 or 403.
            requireHostOf(c, actor, sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId)));
            ReceptionSession s = tokens.requireIssuable(c, sessionId);
            List<String> invited = sessions.invitedRooms(c, sessionId).stream().filter(code -> !code.equals(s.hostRoomCode())).toList();
            List<String> chosen = chosen(in.rooms(), invited);
            int revoked = 0;
            List<Link> links = new ArrayList<>();
            for (String code : chosen) {
                if (replace) {
                    revoked += tokens.revoke(c, sessionId, code);
                }
                JoinTokens.Issued issued = tokens.insert(c, s, code);
                String url = base + "#/join/" + sessionId + "?room=" + enc(code) + "&token=" + enc(issued.token());
                Room room = rooms.find(code).orElse(null);
                links.add(new Link(code, room == null ? code : room.name(), room == null ? null : room.level().name(), url,
                        QrCodeSvg.of(url), issued.token(), issued.expiresAt()));
            }
            Collator vi = Collator.getInstance(Locale.forLanguageTag("vi"));
            links.sort(Comparator.comparing((Link l) -> l.level() == null ? Integer.MAX_VALUE : RoomLevel.valueOf(l.level()).ordinal())
                    .thenComparing(Link::roomName, vi));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("count", links.size());
            if (in.rooms() != null) {
                detail.put("rooms", chosen);
            }
            if (replace) {
                detail.put("revokedEarlier", revoked);
            }
            audit.record(c, actor, remote, "session.join_token.issue_all", "session", String.valueOf(sessionId), detail);
            return new Sheet(sessionId, s.title(), s.scheduledStart(), links.size(), revoked, links);
        });
    }

    /** An administrator, or the host account that presides the session or created it. */
    static void requireHostOf(Connection c, Principal actor, ReceptionSession s) throws SQLException {
        if (actor.role() == Role.ADMIN) {
            return;
        }
        if (actor.role() == Role.HOST && actor.userId() > 0
                && (Long.valueOf(actor.userId()).equals(s.presidingUserId()) || actor.userId() == createdBy(c, s.id()))) {
            return;
        }
        throw DomainErrors.forbidden("only an administrator or the host of session " + s.id() + " issues its join links");
    }

    private static long createdBy(Connection c, long sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT created_by FROM reception_sessions WHERE id = ?")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static List<String> chosen(List<String> requested, List<String> invited) {
        if (requested == null) {
            return invited;
        }
        if (requested.isEmpty()) {
            throw DomainErrors.invalid("rooms", "name at least one room, or leave rooms out for every invited room");
        }
        List<String> unknown = requested.stream().filter(code -> !invited.contains(code)).toList();
        if (!unknown.isEmpty()) {
            throw DomainErrors.invalid("rooms", "not invited to this session (or the hosting room): " + unknown);
        }
        return requested.stream().distinct().toList();
    }

    /** The page the links open: an absolute http(s) address without query or fragment. */
    static String base(String raw) {
        if (raw.length() > MAX_BASE_LENGTH) {
            throw DomainErrors.invalid("joinUrlBase", "at most " + MAX_BASE_LENGTH + " characters");
        }
        URI u;
        try {
            u = new URI(raw);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getRawQuery() != null
                    || u.getRawFragment() != null || raw.endsWith("#") || raw.endsWith("?")) {
                throw DomainErrors.invalid("joinUrlBase", "must be an http or https address without query or fragment");
            }
        } catch (URISyntaxException e) {
            throw DomainErrors.invalid("joinUrlBase", "is not an address: " + e.getReason());
        }
        return u.getRawPath() == null || u.getRawPath().isEmpty() ? raw + "/" : raw;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
