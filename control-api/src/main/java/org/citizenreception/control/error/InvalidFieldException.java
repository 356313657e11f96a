package org.citizenreception.control.error;

import java.util.List;

/** The request is well-formed but a field's value breaks a rule; names every such field. */
public final class InvalidFieldException extends DomainException {
    public InvalidFieldException(String field, String message) {
        super(field + ": " + message, List.of(new FieldError(field, message)));
    }

    public InvalidFieldException(String message, List<FieldError> fieldErrors) {
        super(message, fieldErrors);
    }
}
