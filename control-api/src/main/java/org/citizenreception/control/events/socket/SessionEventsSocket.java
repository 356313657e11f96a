package org.citizenreception.control.events.socket;

import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.NotFoundException;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.limits.LimitRefusals;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.control.identity.Revocations;
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
 * 4410 the session closed, 4429 too many sockets for this account or room (see {@link Limits}),
 * 1008 the client stopped reading and its queue of unsent events filled up.
 */
public final class SessionEventsSocket {
    private static final Logger log = LoggerFactory.getLogger(SessionEventsSocket.class);
    private static final ObjectMapper JSON = HttpServer.objectMapper();
    static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);
    /** Half the 1 s bound within which an expired token's socket must close. */
    static final Duration EXPIRY_SWEEP = Duration.ofMillis(500);

    /** Close code for a principal over its socket allowance (4000-4999: private use, RFC 6455 §7.4.2; 429 as in HTTP). */
    public static final int TOO_MANY_SOCKETS = 4429;
    /** RFC 6455 policy violation: the client does not read what it subscribed to. */
    public static final int NOT_READING = 1008;

    /**
     * What one principal may hold: sockets at once (a console open in a few tabs is normal, hundreds
     * are not), and events handed to a socket and not yet written to the network. Jetty queues
     * whatever is sent, without bound: a client that stops reading would grow the server's memory
     * with every event of a busy session, so past the bound it is closed instead.
     */
    public record Limits(int socketsPerPrincipal, int unwrittenEventsPerSocket, LimitRefusals refusals) {
        public static Limits defaults() {
            return new Limits(4, 256, LimitRefusals.unregistered());
        }
    }

    /** One authenticated subscriber: who opened it, for which session, and whether it may still receive. */
    private record Connection(WsContext ctx, Principal principal, String token, long sessionId, AutoCloseable subscription,
                              AtomicBoolean open, AtomicInteger unwritten) {
    }

    private final EventBus bus;
    private final SessionService sessions;
    private final JoinTokens tokens;
    private final Function<String, Optional<Principal>> resolver;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Limits limits;

    public SessionEventsSocket(EventBus bus, SessionService sessions, JoinTokens tokens, Function<String, Optional<Principal>> resolver,
                               ScheduledExecutorService timer, Revocations revocations) {
        this(bus, sessions, tokens, resolver, timer, revocations, Limits.defaults());
    }

    /**
     * @param timer closes sockets that have not authenticated within {@link #AUTHENTICATION_TIMEOUT},
     *              so an idle unauthenticated connection cannot be held open, and sweeps for expired tokens
     */
    public SessionEventsSocket(EventBus bus, SessionService sessions, JoinTokens tokens, Function<String, Optional<Principal>> resolver,
                               ScheduledExecutorService timer, Revocations revocations, Limits limits) {
        this.limits = limits;
        io.micrometer.core.instrument.Gauge.builder("reception_api_events_unwritten", this, SessionEventsSocket::unwrittenEvents)
                .description("live events handed to WebSockets and not yet written, all sockets together")
                .strongReference(true).register(limits.refusals().registry());
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

    /** Events handed to sockets and not yet written, over all sockets: bounded by the socket count times the limit. */
    public int unwrittenEvents() {
        int sum = 0;
        for (Connection c : connections.values()) {
            sum += c.unwritten().get();
        }
        return sum;
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
        AtomicInteger unwritten = new AtomicInteger();
        Connection[] self = new Connection[1];
        AutoCloseable subscription = bus.subscribeIncludingOtherInstances(sessionId, event -> {
            if (open.get()) {
                event.viewFor(p).ifPresent(view -> send(self[0], event, view));
            }
        });
        Connection connection = new Connection(ctx, p, token, sessionId, subscription, open, unwritten);
        self[0] = connection;
        // Counted and added under one lock, so concurrent sign-ins of one account cannot all pass the count.
        synchronized (connections) {
            long held = connections.values().stream().filter(c -> c.principal().username().equals(p.username())).count();
            if (held >= limits.socketsPerPrincipal()) {
                limits.refusals().refused(LimitRefusals.Limit.EVENT_SOCKETS_PER_PRINCIPAL);
                closeQuietly(subscription);
                ctx.closeSession(TOO_MANY_SOCKETS, "this account or room already has " + held
                        + " live-event connections open; close one (another tab or screen) first");
                return;
            }
            end(connections.put(ctx.sessionId(), connection), 0, null);
        }
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
        send(connection, new LiveEvent(sessionId, "subscribed", hello, hello, null), hello);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // unsubscribing cannot fail in a way worth reporting
        }
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
        closeQuietly(c.subscription());
        if (closeCode != 0 && c.ctx().session.isOpen()) {
            try {
                c.ctx().closeSession(closeCode, reason);
            } catch (RuntimeException e) {
                log.debug("session {}: closing a revoked subscriber failed", c.sessionId(), e);
            }
        }
    }

    /**
     * A client that does not read: its close frame would wait behind the unread events for ever, so
     * the connection is dropped outright once the close has had a moment to go out.
     */
    private void endNotReading(Connection c) {
        limits.refusals().refused(LimitRefusals.Limit.EVENT_QUEUE_FULL);
        log.info("session {}: live-event subscriber {} stopped reading ({} events unsent); closed", c.sessionId(),
                c.principal().role(), c.unwritten().get());
        end(c, NOT_READING, "not reading: more than " + limits.unwrittenEventsPerSocket() + " events waiting");
        timer.schedule(() -> {
            try {
                c.ctx().session.disconnect();
            } catch (RuntimeException e) {
                log.debug("session {}: disconnecting a subscriber that stopped reading failed", c.sessionId(), e);
            }
        }, 1, TimeUnit.SECONDS);
    }

    private void send(Connection c, LiveEvent event, Object view) {
        WsContext ctx = c.ctx();
        AtomicBoolean open = c.open();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", event.type());
        message.put("sessionId", event.sessionId());
        message.put("data", view);
        try {
            String text = JSON.writeValueAsString(message);
            // Under the connection's lock, against which a revocation closes: once it has, nothing more goes out.
            boolean full = false;
            synchronized (open) {
                if (open.get() && ctx.session.isOpen()) {
                    if (c.unwritten().incrementAndGet() > limits.unwrittenEventsPerSocket()) {
                        c.unwritten().decrementAndGet();
                        full = true;
                    } else {
                        AtomicInteger unwritten = c.unwritten();
                        ctx.session.sendText(text, org.eclipse.jetty.websocket.api.Callback.from(
                                unwritten::decrementAndGet, failure -> unwritten.decrementAndGet()));
                    }
                }
            }
            if (full) {
                endNotReading(c);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("session {}: could not push {} to a subscriber", event.sessionId(), event.type(), e);
        }
    }
}
