package org.citizenreception.control.error;

import java.util.List;

/** The change conflicts with the object's current state (an illegal transition, a duplicate). */
public sealed class ConflictException extends DomainException permits StaleVersionException {
    public ConflictException(String message) {
        super(message, List.of());
    }
}
