package org.citizenreception.control.error;

import java.util.List;

/** The caller could not be identified (wrong credentials, no valid token). */
public final class UnauthenticatedException extends DomainException {
    public UnauthenticatedException(String message) {
        super(message, List.of());
    }
}
