package org.citizenreception.control.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import org.citizenreception.control.limits.LimitRefusals;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps exceptions to RFC 9457 problem+json, once for the whole application, so controllers only
 * throw. An unexpected exception is logged with its stack trace and answered 500 without details:
 * the client never sees internals, and no request data is written to the log.
 */
final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    static void register(RoutesConfig routes, LimitRefusals refusals) {
        // Jetty's own refusals while reading the request: above all 408 when the body arrives slower
        // than the minimum data rate (a client holding a thread with a trickle of bytes)
        routes.exception(BadMessageException.class, (e, ctx) -> {
            if (e.getCode() == 408) {
                refusals.refused(LimitRefusals.Limit.HTTP_SLOW_REQUEST);
            }
            ctx.header("Connection", "close");
            HttpServer.problem(ctx, Problem.of(e.getCode(), reason(e.getCode()), e.getReason(), ctx.path()));
        });
        routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            HttpServer.problem(ctx, e.toProblem(ctx.path()));
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> HttpServer.problem(ctx,
                Problem.of(e.getStatus(), reason(e.getStatus()), e.getMessage(), ctx.path())));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure handling {} {}", ctx.method(), ctx.path(), e);
            HttpServer.problem(ctx, Problem.of(500, "Internal Server Error",
                    "The server could not complete the request; nothing was changed.", ctx.path()));
        });
        routes.error(404, "*", ctx -> {
            if (ctx.path().startsWith("/api/") && !Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                HttpServer.problem(ctx, Problem.of(404, "Not Found", "No resource at " + ctx.path(), ctx.path()));
            }
        });
        routes.error(413, "*", ctx -> HttpServer.problem(ctx, Problem.of(413, "Content Too Large",
                "The request body is larger than the server accepts.", ctx.path())));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> "Error";
        };
    }
}
