package org.citizenreception.control.error;

import java.util.List;

/** Short factories for the domain's errors, named for what happened. */
public final class DomainErrors {
    private DomainErrors() {
    }

    /** The input cannot be read (malformed, wrong type, unknown field). */
    public static MalformedInputException badRequest(String message, FieldError... errors) {
        return new MalformedInputException(message, List.of(errors));
    }

    /** A field's value breaks a rule. */
    public static InvalidFieldException invalid(String field, String message) {
        return new InvalidFieldException(field, message);
    }

    public static InvalidFieldException invalid(String message, List<FieldError> errors) {
        return new InvalidFieldException(message, errors);
    }

    public static UnauthenticatedException unauthorized(String message) {
        return new UnauthenticatedException(message);
    }

    public static ForbiddenException forbidden(String message) {
        return new ForbiddenException(message);
    }

    public static NotFoundException notFound(String what) {
        return new NotFoundException(what);
    }

    public static ConflictException conflict(String message) {
        return new ConflictException(message);
    }

    public static ThrottledException tooManyRequests(String message, long retryAfterSeconds) {
        return new ThrottledException(message, retryAfterSeconds);
    }

    public static PreconditionException preconditionRequired(String message) {
        return PreconditionException.missing(message);
    }

    public static PreconditionException preconditionFailed(String message) {
        return PreconditionException.failed(message);
    }
}
