package org.citizenreception.control.error;

import java.util.List;

/** The input cannot be read at all (not the expected format), as opposed to a readable value that breaks a rule. */
public final class MalformedInputException extends DomainException {
    public MalformedInputException(String message, List<FieldError> fieldErrors) {
        super(message, fieldErrors);
    }
}
