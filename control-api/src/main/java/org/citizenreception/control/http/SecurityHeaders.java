package org.citizenreception.control.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The browser-facing defences every response carries, set before any handler (and the static files)
 * run:
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts and styles only from this origin, never inline (the
 *       web client is plain ES modules and one stylesheet), no plugins, no framing by any page
 *       ({@code frame-ancestors 'none'}: no click-jacking of the host's "go live" button);</li>
 *   <li>{@code X-Content-Type-Options: nosniff}, so an uploaded or exported file is never run as script;</li>
 *   <li>{@code Referrer-Policy: no-referrer}: hash routes carry session and petition ids;</li>
 *   <li>{@code Cache-Control: no-store} on every API, WHIP and WHEP answer: they carry personal data
 *       (petitioners, accounts) and tokens, which must not stay in a shared PC's browser cache;</li>
 *   <li>with HTTPS on: {@code Strict-Transport-Security} on HTTPS answers, and plain HTTP requests
 *       redirected to HTTPS (308 keeps the method and body) — except {@code /health} and
 *       {@code /metrics}, which monitoring probes read over plain HTTP and which carry no personal data.</li>
 * </ul>
 */
public final class SecurityHeaders {
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    static final String HSTS = "max-age=31536000";

    private final Supplier<Optional<Integer>> httpsPort;

    /** @param httpsPort the bound HTTPS port, or empty when HTTPS is off (read per request: known only after start) */
    public SecurityHeaders(Supplier<Optional<Integer>> httpsPort) {
        this.httpsPort = httpsPort;
    }

    public void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        String path = ctx.path();
        if (path.startsWith("/api/") || path.startsWith("/whip") || path.startsWith("/whep")) {
            ctx.header("Cache-Control", "no-store");
        }
        Optional<Integer> https = httpsPort.get();
        if (https.isEmpty()) {
            return;
        }
        if (ctx.req().isSecure()) {
            ctx.header("Strict-Transport-Security", HSTS);
        } else if (!path.equals("/health") && !path.equals("/metrics")) {
            String query = ctx.queryString();
            ctx.header("Location", "https://" + hostWithoutPort(ctx) + (https.get() == 443 ? "" : ":" + https.get())
                    + path + (query == null ? "" : "?" + query));
            ctx.status(HttpStatus.PERMANENT_REDIRECT);
            ctx.skipRemainingHandlers();
        }
    }

    /** The Host header's name part ({@code [::1]:8080} → {@code [::1]}), or the local address without one. */
    static String hostWithoutPort(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            return ctx.req().getLocalAddr().contains(":") ? "[" + ctx.req().getLocalAddr() + "]" : ctx.req().getLocalAddr();
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.indexOf(':');
        return colon >= 0 ? host.substring(0, colon) : host;
    }
}
