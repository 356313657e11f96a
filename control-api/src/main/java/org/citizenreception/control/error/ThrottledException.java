package org.citizenreception.control.error;

import java.util.List;

/** Too many attempts: the caller may try again after {@link #retryAfterSeconds()}. */
public final class ThrottledException extends DomainException {
    private final long retryAfterSeconds;

    public ThrottledException(String message, long retryAfterSeconds) {
        super(message, List.of());
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
