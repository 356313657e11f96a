package org.citizenreception.control.session;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a reception session: SCHEDULED → LIVE → ENDED → ARCHIVED, or CANCELLED; a
 * POSTPONED session is rescheduled (back to SCHEDULED with new times) or cancelled.
 */
public enum SessionState {
    SCHEDULED,
    LIVE,
    ENDED,
    ARCHIVED,
    CANCELLED,
    POSTPONED;

    public Set<SessionState> next() {
        return switch (this) {
            case SCHEDULED -> EnumSet.of(LIVE, CANCELLED, POSTPONED);
            case POSTPONED -> EnumSet.of(SCHEDULED, CANCELLED);
            case LIVE -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.of(ARCHIVED);
            case ARCHIVED, CANCELLED -> EnumSet.noneOf(SessionState.class);
        };
    }

    public boolean mayMoveTo(SessionState target) {
        return next().contains(target);
    }

    /** Whether the session's details (title, times, invitations) may still be edited. */
    public boolean editable() {
        return this == SCHEDULED || this == POSTPONED;
    }
}
