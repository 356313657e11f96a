package org.citizenreception.control.petition.deadline;

import java.time.LocalDate;
import java.util.List;

/**
 * One computed deadline.
 *
 * @param startsAfter  the event day (receipt or acceptance); the period counts from the next day
 * @param periodDays   the statutory period before extensions
 * @param dueOn        the last day on which the step is still in time (end of that working day)
 * @param latestDueOn  the due date if every extension the law allows for this case were granted;
 *                     equals {@code dueOn} where the law allows none
 * @param legalBasis   the article that sets the period, for the register and the UI
 */
public record Deadline(
        DeadlineKind kind,
        DayCount count,
        LocalDate startsAfter,
        int periodDays,
        LocalDate dueOn,
        LocalDate latestDueOn,
        List<Extension> extensions,
        String legalBasis) {
    public Deadline {
        extensions = List.copyOf(extensions);
    }
}
