package org.citizenreception.control.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.user.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket {@code /api/v1/sessions/{id}/events}: pushes the session's live events as JSON
 * ({@code {"type": ..., "sessionId": ..., "data": ...}}), each in the form the subscriber's role
 * may see. Browsers cannot set headers on a WebSocket, so the bearer token comes as the query
 * parameter {@code token} or as the first message {@code {"token": "..."}}; until then nothing is sent.
 * Close codes: 4401 unauthenticated, 4403 not allowed for this session, 4404 no such session.
 */
public final class SessionEventsSocket {
    private static final Logger log = LoggerFactory.getLogger(SessionEventsSocket.class);
    private static final ObjectMapper JSON = HttpServer.objectMapper();

    private final EventBus bus;
    private final SessionService sessions;
    private final JoinTokens tokens;
    private final Function<String, Optional<Principal>> resolver;
    private final Map<String, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService timer;

    /**
     * @param timer closes sockets that have not authenticated within {@link #AUTHENTICATION_TIMEOUT},
     *              so an idle unauthenticated connection cannot be held open
     */
    public SessionEventsSocket(EventBus bus, SessionService sessions, JoinTokens tokens, Function<String, Optional<Principal>> resolver,
                               java.util.concurrent.ScheduledExecutorService timer) {
        this.bus = bus;
        this.sessions = sessions;
        this.tokens = tokens;
        this.resolver = resolver;
        this.timer = timer;
    }

    static final java.time.Duration AUTHENTICATION_TIMEOUT = java.time.Duration.ofSeconds(10);

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings();
            String token = ctx.queryParam("token");
            if (token != null) {
                authenticate(ctx, token);
            } else {
                timer.schedule(() -> {
                    if (!subscriptions.containsKey(ctx.sessionId()) && ctx.session.isOpen()) {
                        ctx.closeSession(4401, "no token within " + AUTHENTICATION_TIMEOUT.toSeconds() + " s");
                    }
                }, AUTHENTICATION_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        });
        ws.onMessage(ctx -> {
            if (subscriptions.containsKey(ctx.sessionId())) {
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
                ctx.closeSession(4401, "send {\"token\": \"...\"} first");
                return;
            }
            authenticate(ctx, token);
        });
        ws.onClose(ctx -> unsubscribe(ctx.sessionId()));
        ws.onError(ctx -> unsubscribe(ctx.sessionId()));
    }

    private void authenticate(WsContext ctx, String token) {
        Optional<Principal> principal = resolver.apply(token);
        if (principal.isEmpty()) {
            ctx.closeSession(4401, "unknown or expired token");
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
        } catch (ApiException e) {
            ctx.closeSession(e.status() == 404 ? 4404 : 4403, e.getMessage());
            return;
        }
        AutoCloseable handle = bus.subscribe(sessionId, event -> event.viewFor(p).ifPresent(view -> send(ctx, event, view)));
        AutoCloseable previous = subscriptions.put(ctx.sessionId(), handle);
        close(previous);
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("sessionId", sessionId);
        hello.put("role", p.role());
        p.roomCode().ifPresent(r -> hello.put("room", r));
        send(ctx, new LiveEvent(sessionId, "subscribed", hello, hello, null), hello);
    }

    private static void send(WsContext ctx, LiveEvent event, Object view) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", event.type());
        message.put("sessionId", event.sessionId());
        message.put("data", view);
        try {
            if (ctx.session.isOpen()) {
                ctx.send(JSON.writeValueAsString(message));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("session {}: could not push {} to a subscriber", event.sessionId(), event.type(), e);
        }
    }

    private void unsubscribe(String wsSessionId) {
        close(subscriptions.remove(wsSessionId));
    }

    private static void close(AutoCloseable handle) {
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                // unsubscribing cannot fail in a way worth reporting
            }
        }
    }
}
