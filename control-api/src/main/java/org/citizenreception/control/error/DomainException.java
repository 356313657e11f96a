package org.citizenreception.control.error;

import java.util.List;
import java.util.Map;

/** The base of the domain's errors: a message for the caller and, where a field is to blame, which. */
public abstract sealed class DomainException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidFieldException, MalformedInputException, ForbiddenException,
        UnauthenticatedException, ThrottledException, PreconditionException {
    private final List<FieldError> fieldErrors;

    protected DomainException(String message, List<FieldError> fieldErrors) {
        super(message);
        this.fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
    }

    /** The offending fields, so a form can show each message beside its field; empty when none is to blame. */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    /** Further members the answer carries beside the message (a stale edit's both sides); empty by default. */
    public Map<String, Object> extensions() {
        return Map.of();
    }
}
