package org.citizenreception.control.error;

import java.util.List;

/**
 * A conditional change whose condition (the entity tag of the state it was made against) is
 * missing ({@link #required()}) or no longer current.
 */
public final class PreconditionException extends DomainException {
    private final boolean required;

    private PreconditionException(boolean required, String message) {
        super(message, List.of(new FieldError("If-Match", message)));
        this.required = required;
    }

    public static PreconditionException missing(String message) {
        return new PreconditionException(true, message);
    }

    public static PreconditionException failed(String message) {
        return new PreconditionException(false, message);
    }

    /** True when no condition was sent at all; false when the one sent is stale. */
    public boolean required() {
        return required;
    }
}
