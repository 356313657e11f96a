package org.citizenreception.control.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few error types controllers and services throw; {@link ErrorMapping} turns each into one
 * problem+json response. A request that ends in one of these has changed nothing.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    protected ApiException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    /** Adds a response header (e.g. Retry-After) sent with the problem. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem("about:blank", title, status, getMessage(), instance, errors);
    }

    /** 400: the request cannot be read (malformed JSON, wrong type, unknown field). */
    public static ApiException badRequest(String detail, Problem.FieldError... errors) {
        return new ApiException(400, "Bad Request", detail, List.of(errors));
    }

    /** 422: the request is well-formed but a field's value breaks a rule. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(422, "Unprocessable Content", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    public static ApiException invalid(String detail, List<Problem.FieldError> errors) {
        return new ApiException(422, "Unprocessable Content", detail, errors);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail, null);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, null);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "Not Found", what + " does not exist", null);
    }

    /** 409: the change conflicts with the current state (a version mismatch, an illegal transition). */
    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail, null);
    }

    /** 410: the resource existed and will not come back (a media endpoint replaced by a newer one). */
    public static ApiException gone(String detail) {
        return new ApiException(410, "Gone", detail, null);
    }

    /** 502: a server this one depends on (another media bridge) refused or did not answer. */
    public static ApiException badGateway(String detail) {
        return new ApiException(502, "Bad Gateway", detail, null);
    }

    /** 503 telling the client when to try again: the server is at a limit it protects itself with. */
    public static ApiException unavailable(String detail, long retryAfterSeconds) {
        return new ApiException(503, "Service Unavailable", detail, null)
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    public static ApiException tooManyRequests(String detail) {
        return new ApiException(429, "Too Many Requests", detail, null);
    }

    /** 429 telling the client when to try again. */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return tooManyRequests(detail).withHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    /** 412: the If-Match entity-tag no longer names the resource's current state. */
    public static ApiException preconditionFailed(String detail) {
        return new ApiException(412, "Precondition Failed", detail, List.of(new Problem.FieldError("If-Match", detail)));
    }

    /** 428 (RFC 6585): the request must be conditional (If-Match) and was not. */
    public static ApiException preconditionRequired(String detail) {
        return new ApiException(428, "Precondition Required", detail, List.of(new Problem.FieldError("If-Match", detail)));
    }

    /** 415: the body is not of a media type the endpoint reads. */
    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(415, "Unsupported Media Type", detail, null);
    }
}
