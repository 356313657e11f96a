package org.citizenreception.control.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times and logs every finished request. The metric {@code reception_api_requests} is tagged by
 * method, route template ({@code /api/v1/users/{id}}, never the raw path, so ids and petition
 * numbers never become tag values) and status. The log line names method, path, status, time, the
 * caller's user id and address; never a body, a query string or a header (tokens live there).
 */
final class RequestObserver {
    static final String METRIC = "reception_api_requests";
    private static final Logger log = LoggerFactory.getLogger("org.citizenreception.control.http.requests");

    private final MeterRegistry registry;

    RequestObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    void requestFinished(Context ctx, Float elapsedMillis) {
        String route = routeTemplate(ctx);
        int status = ctx.statusCode();
        Timer.builder(METRIC)
                .description("HTTP requests by route template and status")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record((long) (elapsedMillis * 1_000_000L), TimeUnit.NANOSECONDS);
        if (!route.equals("/health") && !route.equals("/metrics")) {
            String user = Authentication.principal(ctx).map(p -> "user=" + p.userId()).orElse("anonymous");
            log.info("{} {} {} {}ms {} from {}", ctx.method().name(), ctx.path(), status,
                    String.format(java.util.Locale.ROOT, "%.1f", elapsedMillis), user, ctx.ip());
        }
    }

    /** The matched route's template; unmatched requests share one bucket so tags stay bounded. */
    private static String routeTemplate(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            if (endpoint != null) {
                return endpoint.path;
            }
        } catch (RuntimeException e) {
            // No endpoint matched (a 404 or a static file).
        }
        return ctx.path().startsWith("/api/") ? "unmatched" : "static";
    }
}
