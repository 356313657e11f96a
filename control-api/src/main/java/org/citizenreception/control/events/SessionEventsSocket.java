package org.citizenreception.control.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.NotFoundException;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.user.Principal;
import org.citizenreception.control.user.Revocation;
import org.citizenreception.control.user.Revocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket {@code /api/v1/sessions/{id}/events}: pushes the session's live events as JSON
 * ({@code {"type": ..., "sessionId": ..., "data": ...}}), each in the form the subscriber's role
 * may see. The bearer token comes as the first message {@code {"token": "..."}} — never in the URL,
 * where proxies, server logs and browser history would keep it; until then nothing is sent.
 *
 * <p>Access is checked when the token arrives (the same session and object rules as
 * {@code GET /sessions/{id}}) and withdrawn the moment it is revoked: every {@link Revocation}
 * that covers a connection closes it at once, and nothing is sent on it after. A token that merely
 * expires is noticed by a sweep every {@link #EXPIRY_SWEEP}, which resolves each open connection's
 * token again (one indexed lookup per connection and sweep: a few hundred a second for a province's
 * rooms) and closes it as signed out.
 *
 * <p>Close codes: 4401 unauthenticated or signed out (the web client shows "signed out" and stops),
 * 4403 not allowed for this session, 4404 no such session, 4409 access changed (reconnect),
 * 4410 the session closed.
 */
public final class SessionEventsSocket {
    private static final Logger log = LoggerFactory.getLogger(SessionEventsSocket.class);
    private static final ObjectMapper JSON = HttpServer.objectMapper();
    static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);
    /** Half the 1 s bound within which an expired token's socket must close. */
    static final Duration EXPIRY_SWEEP = Duration.ofMillis(500);

    /** One authenticated subscriber: who opened it, for which session, and whether it may still receive. */
    private record Connection(WsContext ctx, Principal principal, String token, long sessionId, AutoCloseable subscription,
                              AtomicBoolean open) {
    }

    private final EventBus bus;
    private final SessionService sessions;
    private final JoinTokens tokens;
    private final Function<String, Optional<Principal>> resolver;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * @param timer closes sockets that have not authenticated within {@link #AUTHENTICATION_TIMEOUT},
     *              so an idle unauthenticated connection cannot be held open, and sweeps for expired tokens
     */
    public SessionEventsSocket(EventBus bus, SessionService sessions, JoinTokens tokens, Function<String, Optional<Principal>> resolver,
                               ScheduledExecutorService timer, Revocations revocations) {
        this.bus = bus;
        this.sessions = sessions;
        this.tokens = tokens;
        this.resolver = resolver;
        this.timer = timer;
        revocations.addListener(this::revoke);
        timer.scheduleWithFixedDelay(this::closeExpired, EXPIRY_SWEEP.toMillis(), EXPIRY_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings();
            if (ctx.queryParam("token") != null) {
                ctx.closeSession(Revocation.SIGNED_OUT, "send the token as the first message {\"token\": \"...\"}, never in the URL");
                return;
            }
            timer.schedule(() -> {
                if (!connections.containsKey(ctx.sessionId()) && ctx.session.isOpen()) {
                    ctx.closeSession(Revocation.SIGNED_OUT, "no token within " + AUTHENTICATION_TIMEOUT.toSeconds() + " s");
                }
            }, AUTHENTICATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        });
        ws.onMessage(ctx -> {
            if (connections.containsKey(ctx.sessionId())) {
                return; // subscribers only listen; anything after authentication is ignored
            }
            String token = null;
            try {
                JsonNode node = JSON.readTree(ctx.message());
                token = node.path("token").asText(null);
            } catch (JsonProcessingException e) {
                // answered below
            }
            if (token == null) {
                ctx.closeSession(Revocation.SIGNED_OUT, "send {\"token\": \"...\"} first");
                return;
            }
            authenticate(ctx, token);
        });
        ws.onClose(ctx -> end(connections.get(ctx.sessionId()), 0, null));
        ws.onError(ctx -> end(connections.get(ctx.sessionId()), 0, null));
    }

    /** How many sockets are subscribed (for tests and gauges). */
    public int connectionCount() {
        return connections.size();
    }

    private void authenticate(WsContext ctx, String token) {
        Optional<Principal> principal = resolver.apply(token);
        if (principal.isEmpty()) {
            ctx.closeSession(Revocation.SIGNED_OUT, "unknown, expired or revoked token");
            return;
        }
        Principal p = principal.get();
        long sessionId;
        try {
            sessionId = Long.parseLong(ctx.pathParam("id"));
            sessions.getFor(p, sessionId);
            if (JoinTokens.isJoinToken(p) && tokens.sessionOf(token).map(s -> s != sessionId).orElse(true)) {
                ctx.closeSession(4403, "this join token is for another session");
                return;
            }
        } catch (NumberFormatException e) {
            ctx.closeSession(4404, "no such session");
            return;
        } catch (DomainException e) {
            ctx.closeSession(e instanceof NotFoundException ? 4404 : 4403, e.getMessage());
            return;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        AutoCloseable subscription = bus.subscribe(sessionId, event -> {
            if (open.get()) {
                event.viewFor(p).ifPresent(view -> send(ctx, open, event, view));
            }
        });
        Connection connection = new Connection(ctx, p, token, sessionId, subscription, open);
        end(connections.put(ctx.sessionId(), connection), 0, null);
        // A revocation delivered between the token check and the line above found no connection to
        // close: check the token once more now that any later revocation will find this one.
        if (resolver.apply(token).isEmpty()) {
            end(connection, Revocation.SIGNED_OUT, "token revoked");
            return;
        }
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("sessionId", sessionId);
        hello.put("role", p.role());
        p.roomCode().ifPresent(r -> hello.put("room", r));
        send(ctx, open, new LiveEvent(sessionId, "subscribed", hello, hello, null), hello);
    }

    /** Closes every connection {@code r} covers; nothing is sent on them afterwards. */
    private void revoke(Revocation r) {
        for (Connection c : connections.values()) {
            if (r.covers(c.principal(), c.sessionId())) {
                end(c, r.closeCode(), r.reason());
            }
        }
    }

    /** Closes, as signed out, every connection whose token no longer resolves (expired; a missed revocation). */
    private void closeExpired() {
        for (Connection c : connections.values()) {
            try {
                if (resolver.apply(c.token()).isEmpty()) {
                    end(c, Revocation.SIGNED_OUT, "token expired");
                }
            } catch (RuntimeException e) {
                // the next sweep tries again; a throwing task would cancel the schedule
                log.warn("session {}: checking a subscriber's token failed", c.sessionId(), e);
            }
        }
    }

    /** Unsubscribes and (with a code) closes; idempotent. */
    private void end(Connection c, int closeCode, String reason) {
        if (c == null) {
            return;
        }
        synchronized (c.open()) { // waits for a send in progress: none starts after this
            if (!c.open().compareAndSet(true, false)) {
                return;
            }
        }
        connections.remove(c.ctx().sessionId(), c);
        try {
            c.subscription().close();
        } catch (Exception e) {
            // unsubscribing cannot fail in a way worth reporting
        }
        if (closeCode != 0 && c.ctx().session.isOpen()) {
            try {
                c.ctx().closeSession(closeCode, reason);
            } catch (RuntimeException e) {
                log.debug("session {}: closing a revoked subscriber failed", c.sessionId(), e);
            }
        }
    }

    private static void send(WsContext ctx, AtomicBoolean open, LiveEvent event, Object view) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", event.type());
        message.put("sessionId", event.sessionId());
        message.put("data", view);
        try {
            String text = JSON.writeValueAsString(message);
            // Under the connection's lock, against which a revocation closes: once it has, nothing more goes out.
            synchronized (open) {
                if (open.get() && ctx.session.isOpen()) {
                    ctx.send(text);
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("session {}: could not push {} to a subscriber", event.sessionId(), event.type(), e);
        }
    }
}
