package org.citizenreception.control.session;

import java.time.LocalDate;
import java.util.List;

/**
 * What a recurring rule would do between {@code from} and {@code to}: every occurrence with where it
 * lands and why, and what the administrator should know before saving it.
 *
 * @param holidayTableLastYear the last year the holiday table lists, or null when it lists none
 */
public record SchedulePreview(LocalDate from, LocalDate to, NonWorkingDayRule onNonWorkingDay, List<PlannedDate> occurrences,
                              Integer holidayTableLastYear, List<Warning> warnings) {

    /**
     * A condition worth a word in the form. {@code HOLIDAY_TABLE_ENDS}: the rule runs into
     * {@code year}, which the holiday table has no rows for yet, so its holidays would not move
     * sessions; {@code openEnded} when the rule has no end date.
     */
    public record Warning(String code, int year, boolean openEnded) {
    }
}
