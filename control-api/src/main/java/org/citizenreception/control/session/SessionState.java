package org.citizenreception.control.session;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a reception session: SCHEDULED → LIVE → ENDED → ARCHIVED, or CANCELLED; a
 * POSTPONED session is rescheduled (back to SCHEDULED with new times) or cancelled. A session that
 * was LIVE when the server process died is INTERRUPTED at the next start (only the server makes
 * that move, at start-up); its host resumes it (LIVE again) or ends it.
 */
public enum SessionState {
    SCHEDULED,
    LIVE,
    INTERRUPTED,
    ENDED,
    ARCHIVED,
    CANCELLED,
    POSTPONED;

    public Set<SessionState> next() {
        return switch (this) {
            case SCHEDULED -> EnumSet.of(LIVE, CANCELLED, POSTPONED);
            case POSTPONED -> EnumSet.of(SCHEDULED, CANCELLED);
            case LIVE -> EnumSet.of(ENDED, INTERRUPTED);
            case INTERRUPTED -> EnumSet.of(LIVE, ENDED);
            case ENDED -> EnumSet.of(ARCHIVED);
            case ARCHIVED, CANCELLED -> EnumSet.noneOf(SessionState.class);
        };
    }

    public boolean mayMoveTo(SessionState target) {
        return next().contains(target);
    }

    /** Whether the session is under way: live, or interrupted by a server crash and waiting for its host. */
    public boolean underWay() {
        return this == LIVE || this == INTERRUPTED;
    }

    /** Whether the session's details (title, times, invitations) may still be edited. */
    public boolean editable() {
        return this == SCHEDULED || this == POSTPONED;
    }
}
