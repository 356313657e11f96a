package org.citizenreception.control.http;

import org.citizenreception.control.identity.TokenResolver;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * Who the caller is. A before-handler ({@link #filter}) resolves the request's bearer token once;
 * the access filter then checks the routes table's roles and scope ({@link #require},
 * {@link #requireRoom}) before any controller runs, and a controller only asks who it is:
 *
 * <pre>{@code
 * void update(Context ctx) {
 *     Principal p = Authentication.caller(ctx);
 *     ...
 * }
 * }</pre>
 *
 * <p>Only {@code /health}, {@code /metrics}, login, the OpenAPI document and signed playback links
 * are public; the role matrix test checks every route.
 */
public final class Authentication {
    static final String PRINCIPAL = "reception.principal";
    private static final String BEARER = "Bearer ";

    private Authentication() {
    }

    /**
     * The before-handler that resolves {@code Authorization: Bearer <token>} with the first resolver
     * that knows it. It never rejects by itself: an unknown token simply leaves no principal, and
     * {@link #require} answers 401.
     */
    public static Handler filter(List<TokenResolver> resolvers) {
        List<TokenResolver> copy = List.copyOf(resolvers);
        return ctx -> bearer(ctx).flatMap(token -> resolve(copy, token))
                .ifPresent(p -> ctx.attribute(PRINCIPAL, p));
    }

    /** Resolves a token with the given resolvers (for a WebSocket handshake that carries it elsewhere). */
    public static Optional<Principal> resolve(List<TokenResolver> resolvers, String token) {
        for (TokenResolver r : resolvers) {
            Optional<Principal> p = r.resolve(token);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /**
     * The caller, who must hold one of {@code allowed}.
     *
     * @throws ApiException 401 without a valid token, 403 when the caller's role is not allowed
     */
    public static Principal require(Context ctx, Role... allowed) {
        Principal p = principal(ctx).orElseThrow(() -> ApiException.unauthorized(
                "Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login"));
        if (!p.hasRole(allowed)) {
            throw ApiException.forbidden("This needs one of the roles " + Arrays.toString(allowed)
                    + "; you are " + p.role());
        }
        return p;
    }

    /**
     * The caller the access filter has admitted: the routes table's roles were checked before the
     * controller runs, so a controller only asks who it is.
     *
     * @throws ApiException 401 when no caller was admitted (a route called without the filter, which
     *                      must never open it)
     */
    public static Principal caller(Context ctx) {
        return principal(ctx).orElseThrow(() -> ApiException.unauthorized(
                "Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login"));
    }

    /**
     * Refuses a caller bound to one room (a ROOM_OPERATOR, a room join token) acting on another.
     * Callers not bound to a room pass.
     *
     * @throws ApiException 403 when the caller is bound to a room other than {@code roomCode}
     */
    public static void requireRoom(Principal p, String roomCode) {
        if (p.roomCode().isPresent() && !p.roomCode().get().equals(roomCode)) {
            throw ApiException.forbidden("You act for room " + p.roomCode().get() + ", not for room " + roomCode);
        }
        if (p.role() == Role.ROOM_OPERATOR && p.roomCode().isEmpty()) {
            throw ApiException.forbidden("This room operator account is bound to no room");
        }
    }

    /** The caller when the request carried a valid token. */
    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /** The bearer token of the request, if it sent one. */
    public static Optional<String> bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).trim());
    }
}
