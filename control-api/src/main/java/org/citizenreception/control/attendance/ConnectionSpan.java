package org.citizenreception.control.attendance;

import java.time.Duration;
import java.time.Instant;

/** A stretch of time during which a room had at least one endpoint connected. */
public record ConnectionSpan(Instant from, Instant to) {
    public Duration length() {
        return Duration.between(from, to);
    }
}
