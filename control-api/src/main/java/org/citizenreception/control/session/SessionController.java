package org.citizenreception.control.session;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/** Parses, authorises and serializes the session endpoints; the rules live in {@link SessionService}. */
public final class SessionController {
    /** The body of POST /sessions/{id}/state. */
    public record StateInput(SessionState state, String reason) {
    }

    private final SessionService sessions;
    private final JoinTokens tokens;
    private final JoinLinks links;

    public SessionController(SessionService sessions, JoinTokens tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.links = new JoinLinks(tokens, sessions.rooms());
    }

    public void create(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ReceptionSession s = sessions.create(p, ctx.ip(), JsonBody.read(ctx, SessionInput.class));
        ctx.status(201).header("Location", "/api/v1/sessions/" + s.id()).json(s);
    }

    public void list(Context ctx) {
        Principal p = Authentication.caller(ctx);
        Instant from = instant(ctx, "from", sessions.now().minus(Duration.ofDays(31)));
        Instant to = instant(ctx, "to", from.plus(Duration.ofDays(366)));
        SessionState state = ctx.queryParam("state") == null ? null : parse(SessionState.class, "state", ctx.queryParam("state"));
        int limit = limit(ctx);
        java.util.List<ReceptionSession> found = sessions.list(p, from, to, state, limit);
        if (JoinTokens.isJoinToken(p)) {
            // A join token knows one session only.
            long own = Authentication.bearer(ctx).flatMap(tokens::sessionOf).orElse(-1L);
            found = found.stream().filter(s -> s.id() == own).toList();
        }
        ctx.json(Map.of("sessions", found));
    }

    public void get(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = id(ctx);
        tokens.requireSession(ctx, p, id);
        ctx.json(sessions.getFor(p, id));
    }

    public void update(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(sessions.update(p, ctx.ip(), id(ctx), JsonBody.read(ctx, SessionInput.class)));
    }

    public void changeState(Context ctx) {
        Principal p = Authentication.caller(ctx);
        StateInput in = JsonBody.read(ctx, StateInput.class);
        ctx.json(sessions.transition(p, ctx.ip(), id(ctx), in.state(), in.reason()));
    }

    public void invitedRooms(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = id(ctx);
        tokens.requireSession(ctx, p, id);
        sessions.getFor(p, id);
        ctx.json(Map.of("sessionId", id, "rooms", sessions.invitedRooms(id)));
    }

    public void issueJoinToken(Context ctx) {
        Principal p = Authentication.caller(ctx);
        if (JoinTokens.isJoinToken(p)) {
            throw DomainErrors.forbidden("a join token cannot issue join tokens; sign in as the room operator");
        }
        long id = id(ctx);
        ctx.status(201).json(tokens.issue(p, ctx.ip(), id, ctx.pathParam("room")));
    }

    /** Every invited room's join link at once (or the rooms named), with QR codes, for the printable sheet. */
    public void issueJoinLinks(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = id(ctx);
        JoinLinks.Request in = ctx.bodyAsBytes().length == 0 ? null : JsonBody.read(ctx, JoinLinks.Request.class);
        String ownAddress = ctx.scheme() + "://" + ctx.host() + "/";
        ctx.status(201).header("Cache-Control", "no-store").json(links.issue(p, ctx.ip(), id, in, ownAddress));
    }

    public void revokeJoinTokens(Context ctx) {
        Principal p = Authentication.caller(ctx);
        int revoked = tokens.revoke(p, ctx.ip(), id(ctx), ctx.pathParam("room"));
        ctx.json(Map.of("revoked", revoked));
    }

    public static long id(Context ctx) {
        return Fields.id("session", ctx.pathParam("id"));
    }

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw DomainErrors.badRequest("limit: expected a whole number 1..500");
    }

    static Instant instant(Context ctx, String name, Instant fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            return Instant.parse(raw);
        } catch (RuntimeException e) {
            throw DomainErrors.badRequest(name + ": expected a timestamp like 2026-03-15T01:00:00Z");
        }
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String name, String raw) {
        try {
            return Enum.valueOf(type, raw);
        } catch (IllegalArgumentException e) {
            throw DomainErrors.badRequest(name + ": expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
