package org.citizenreception.control.session;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

/**
 * One occurrence of a recurring rule after the holiday table was consulted.
 *
 * @param ruleDate the date the rule gives (kept as the session's occurrence date, so generation stays idempotent)
 * @param date     the day the session is held, or null when it is not held
 * @param reasons  the closed days that moved or dropped it, from the rule date on, in order
 */
public record PlannedDate(LocalDate ruleDate, LocalDate date, Outcome outcome, List<DayOff> reasons) {

    public enum Outcome {
        /** A working day: held as the rule says. */
        KEPT,
        /** Held on the next working day. */
        MOVED,
        /** Dropped because the rule says SKIP. */
        SKIPPED,
        /** Dropped because the next working day already holds a session of the same rule. */
        COINCIDES
    }

    /** Why a day is closed: a Saturday or Sunday, or a row of the holiday table (with its name). */
    public record DayOff(LocalDate date, Kind kind, DayOfWeek dayOfWeek, String holiday) {
        public enum Kind { WEEKEND, HOLIDAY }
    }
}
