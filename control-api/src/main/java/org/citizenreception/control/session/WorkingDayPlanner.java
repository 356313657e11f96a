package org.citizenreception.control.session;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.citizenreception.control.petition.deadline.HolidayCalendar;

/**
 * Places a rule's dates on working days, with the same holiday table petition deadlines count
 * with, so a reception is never announced for a day the office is closed. Stateless over an
 * immutable calendar: one instance serves all threads.
 */
public final class WorkingDayPlanner {
    /** How far back to look for the table's last year when the rule starts after it. */
    private static final int YEARS_SEARCHED_BACK = 30;

    private final HolidayCalendar calendar;

    public WorkingDayPlanner(HolidayCalendar calendar) {
        this.calendar = calendar;
    }

    /** Each of {@code ruleDates} (ascending) kept, moved or dropped as {@code rule} says. */
    public List<PlannedDate> plan(List<LocalDate> ruleDates, NonWorkingDayRule rule) {
        Set<LocalDate> held = new HashSet<>();
        for (LocalDate d : ruleDates) {
            if (calendar.isWorkingDay(d)) {
                held.add(d);
            }
        }
        List<PlannedDate> out = new ArrayList<>(ruleDates.size());
        for (LocalDate d : ruleDates) {
            if (calendar.isWorkingDay(d)) {
                out.add(new PlannedDate(d, d, PlannedDate.Outcome.KEPT, List.of()));
                continue;
            }
            List<PlannedDate.DayOff> reasons = closedDaysFrom(d);
            if (rule == NonWorkingDayRule.SKIP) {
                out.add(new PlannedDate(d, null, PlannedDate.Outcome.SKIPPED, reasons));
                continue;
            }
            LocalDate target = calendar.workingDayOnOrAfter(d);
            if (!held.add(target)) {
                out.add(new PlannedDate(d, null, PlannedDate.Outcome.COINCIDES, reasons));
            } else {
                out.add(new PlannedDate(d, target, PlannedDate.Outcome.MOVED, reasons));
            }
        }
        return out;
    }

    /**
     * The last year the holiday table lists any day of, searching from {@code fromYear}; empty when
     * the table lists nothing near it (a weekends-only calendar). A year with no row is a year the
     * government's notice has not been entered for: its holidays would be taken as working days.
     */
    public OptionalInt lastYearListed(int fromYear) {
        int y = fromYear;
        if (!lists(y)) {
            for (int back = 1; back <= YEARS_SEARCHED_BACK; back++) {
                if (lists(fromYear - back)) {
                    return OptionalInt.of(fromYear - back);
                }
            }
            return OptionalInt.empty();
        }
        while (lists(y + 1)) {
            y++;
        }
        return OptionalInt.of(y);
    }

    /** True when the table has a row in {@code year}: some day differs from the plain Monday-to-Friday week. */
    private boolean lists(int year) {
        LocalDate end = Year.of(year).atDay(1).plusYears(1);
        for (LocalDate d = Year.of(year).atDay(1); d.isBefore(end); d = d.plusDays(1)) {
            if (calendar.isWorkingDay(d) == isWeekend(d)) {
                return true;
            }
        }
        return false;
    }

    private List<PlannedDate.DayOff> closedDaysFrom(LocalDate day) {
        List<PlannedDate.DayOff> out = new ArrayList<>();
        for (LocalDate d = day; !calendar.isWorkingDay(d); d = d.plusDays(1)) {
            String holiday = calendar.nameOf(d);
            boolean listed = !holiday.isEmpty() || !isWeekend(d);
            out.add(new PlannedDate.DayOff(d, listed ? PlannedDate.DayOff.Kind.HOLIDAY : PlannedDate.DayOff.Kind.WEEKEND,
                    d.getDayOfWeek(), listed ? holiday : null));
        }
        return out;
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }
}
