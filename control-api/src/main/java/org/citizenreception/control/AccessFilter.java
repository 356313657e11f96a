package org.citizenreception.control;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.Optional;
import java.util.Map;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.bridge.BridgeToken;
import org.citizenreception.control.http.AccessRule;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.http.Scope;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the {@link RoutesTable} before any controller runs: the role (401 without a valid token,
 * 403 with a role the route does not list), then the object scope a path can show — the session in
 * {@code {id}} or {@code {session}} (its staff and invited rooms, a join token only for its own
 * session) and the room in {@code {room}}. What needs the stored object (a petition's unit, the
 * presiding host, an endpoint's opener) the service checks. A matched route that the table lacks is
 * refused: access is never open by omission.
 *
 * <p>A role refused an attempt to unmask ({@code reveal} or {@code unmasked}) or to broadcast
 * ({@code POST /whip/...}, the camera or a shared screen) is audited as {@code access.denied}: it is what an attempt to see a
 * denouncer or to take over a session looks like. Other refusals are not, so that a client probing
 * with a valid token cannot flood the log.
 */
final class AccessFilter implements RouteModule {
    private static final Logger log = LoggerFactory.getLogger(AccessFilter.class);

    private final SessionService sessions;
    private final JoinTokens joinTokens;
    private final AuditLog audit;
    private final Optional<BridgeToken> bridgeTokens;
    private final java.time.Clock clock;

    AccessFilter(SessionService sessions, JoinTokens joinTokens, AuditLog audit, Optional<BridgeToken> bridgeTokens,
                 java.time.Clock clock) {
        this.sessions = sessions;
        this.joinTokens = joinTokens;
        this.audit = audit;
        this.bridgeTokens = bridgeTokens;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.beforeMatched(this::check);
    }

    void check(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null) {
            return; // static files of the web client
        }
        Optional<AccessRule> found = RoutesTable.rule(endpoint.method.name(), endpoint.path);
        if (found.isEmpty()) {
            log.error("route {} {} has no access rule in RoutesTable; refused", endpoint.method, endpoint.path);
            throw ApiException.forbidden("This route has no declared access rule");
        }
        AccessRule rule = found.get();
        if (rule.scope() == Scope.PUBLIC) {
            return;
        }
        if (rule.scope() == Scope.BRIDGE) {
            requireBridge(ctx);
            return;
        }
        Principal p;
        try {
            p = Authentication.require(ctx, rule.roles().toArray(Role[]::new));
        } catch (ApiException refused) {
            if (refused.status() == 403) {
                Authentication.principal(ctx).ifPresent(caller -> auditIfUnmaskingOrBroadcasting(ctx, caller, rule));
            }
            throw refused;
        }
        if (rule.scope() == Scope.SESSION || rule.scope() == Scope.SESSION_HOST || rule.scope() == Scope.ROOM
                || rule.scope() == Scope.ENDPOINT) {
            sessionId(ctx).ifPresent(id -> {
                joinTokens.requireSession(ctx, p, id);
                sessions.getFor(p, id);
            });
        }
        if (rule.scope() == Scope.ROOM && ctx.pathParamMap().containsKey("room")) {
            Authentication.requireRoom(p, ctx.pathParam("room"));
        }
    }

    /**
     * The bridge named in the path, proven by a token signed with the shared secret (no secret
     * configured: nobody). A signed-in user is refused like any role the route does not list (403).
     */
    private void requireBridge(Context ctx) {
        Optional<String> bridge = bridgeTokens.flatMap(t -> t.verify(BridgeToken.bearer(ctx.header("Authorization")),
                BridgeToken.TO_CONTROL, clock.instant()));
        if (bridge.isEmpty() || !bridge.get().equals(ctx.pathParam("id"))) {
            if (Authentication.principal(ctx).isPresent()) {
                throw ApiException.forbidden("Only a media bridge acts here; no user role is admitted");
            }
            throw ApiException.unauthorized("A valid bridge token for the bridge in the path is required");
        }
    }

    private void auditIfUnmaskingOrBroadcasting(Context ctx, Principal p, AccessRule rule) {
        boolean unmasking = "true".equals(ctx.queryParam("reveal")) || "true".equals(ctx.queryParam("unmasked"));
        boolean broadcasting = rule.route().startsWith("POST /whip/{session}");
        if (!unmasking && !broadcasting) {
            return;
        }
        String entityType = rule.path().startsWith("/api/v1/petitions") ? "petition" : "session";
        String entityId = ctx.pathParamMap().containsKey("id") ? ctx.pathParam("id")
                : ctx.pathParamMap().containsKey("session") ? ctx.pathParam("session") : null;
        audit.record(p, ctx.ip(), "access.denied", entityType, entityId, Map.of("action", broadcasting ? "whip.publish" : "reveal",
                "route", rule.route(), "reason", "role " + p.role() + " is not admitted"));
    }

    /** The session in the path; empty when malformed (the controller answers that as it always did). */
    private static Optional<Long> sessionId(Context ctx) {
        String raw = ctx.pathParamMap().containsKey("id") ? ctx.pathParam("id")
                : ctx.pathParamMap().containsKey("session") ? ctx.pathParam("session") : null;
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
