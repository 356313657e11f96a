package org.citizenreception.control.error;

import java.util.List;

/** The caller is known but may not do this to this object. */
public final class ForbiddenException extends DomainException {
    public ForbiddenException(String message) {
        super(message, List.of());
    }
}
