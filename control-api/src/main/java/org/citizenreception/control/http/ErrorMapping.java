package org.citizenreception.control.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.error.ConflictException;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.ForbiddenException;
import org.citizenreception.control.error.InvalidFieldException;
import org.citizenreception.control.error.MalformedInputException;
import org.citizenreception.control.error.NotFoundException;
import org.citizenreception.control.error.PreconditionException;
import org.citizenreception.control.error.ThrottledException;
import org.citizenreception.control.error.UnauthenticatedException;
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
        routes.exception(DomainException.class, (e, ctx) -> {
            if (e instanceof ThrottledException t) {
                ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
            }
            int status = status(e);
            List<Problem.FieldError> fields = e.fieldErrors().stream().map(f -> new Problem.FieldError(f.field(), f.message())).toList();
            Problem problem = new Problem("about:blank", reason(status), status, e.getMessage(), ctx.path(), fields.isEmpty() ? null : fields);
            if (e.extensions().isEmpty()) {
                HttpServer.problem(ctx, problem);
                return;
            }
            // Extension members (RFC 9457 §3.2) beside the standard ones: a stale edit's both sides.
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", problem.type());
            body.put("title", problem.title());
            body.put("status", problem.status());
            body.put("detail", problem.detail());
            body.put("instance", problem.instance());
            body.putAll(e.extensions());
            ctx.status(status).contentType(Problem.CONTENT_TYPE).json(body);
            ctx.contentType(Problem.CONTENT_TYPE);
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

    /** The one place a domain error gets its HTTP status. */
    static int status(DomainException e) {
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof ConflictException) {
            return 409;
        }
        if (e instanceof InvalidFieldException) {
            return 422;
        }
        if (e instanceof MalformedInputException) {
            return 400;
        }
        if (e instanceof ForbiddenException) {
            return 403;
        }
        if (e instanceof UnauthenticatedException) {
            return 401;
        }
        if (e instanceof ThrottledException) {
            return 429;
        }
        if (e instanceof PreconditionException p) {
            return p.required() ? 428 : 412;
        }
        throw new IllegalStateException("no status for " + e.getClass().getName());
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            default -> "Error";
        };
    }
}
