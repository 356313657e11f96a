package org.citizenreception.control.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * When a recurring reception takes place. Provinces fix a day ("the 15th of every month",
 * "every Thursday", "the 2nd Tuesday") because the law sets a minimum frequency per official
 * (LTCD Art. 12(5): provincial chairman at least one day a month; Art. 15(2)(d): commune chairman
 * at least one day a week).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Recurrence.MonthlyOnDay.class, name = "MONTHLY_ON_DAY"),
        @JsonSubTypes.Type(value = Recurrence.Weekly.class, name = "WEEKLY"),
        @JsonSubTypes.Type(value = Recurrence.MonthlyNthWeekday.class, name = "MONTHLY_NTH_WEEKDAY")})
public sealed interface Recurrence {
    /** Every date of this rule in {@code [from, to]}, ascending. */
    List<LocalDate> occurrences(LocalDate from, LocalDate to);

    /** Throws {@link IllegalArgumentException} naming the field when the rule cannot occur. */
    void validate();

    /**
     * The same day every month; in a month without that day (the 31st in April) the last day of
     * the month, so a "31st" province never silently skips a month.
     */
    record MonthlyOnDay(int dayOfMonth) implements Recurrence {
        @Override
        public void validate() {
            if (dayOfMonth < 1 || dayOfMonth > 31) {
                throw new IllegalArgumentException("dayOfMonth must be 1..31");
            }
        }

        @Override
        public List<LocalDate> occurrences(LocalDate from, LocalDate to) {
            List<LocalDate> out = new ArrayList<>();
            for (YearMonth m = YearMonth.from(from); !m.atDay(1).isAfter(to); m = m.plusMonths(1)) {
                LocalDate d = m.atDay(Math.min(dayOfMonth, m.lengthOfMonth()));
                if (!d.isBefore(from) && !d.isAfter(to)) {
                    out.add(d);
                }
            }
            return out;
        }
    }

    /** The same weekday every week. */
    record Weekly(DayOfWeek dayOfWeek) implements Recurrence {
        @Override
        public void validate() {
            if (dayOfWeek == null) {
                throw new IllegalArgumentException("dayOfWeek is required");
            }
        }

        @Override
        public List<LocalDate> occurrences(LocalDate from, LocalDate to) {
            List<LocalDate> out = new ArrayList<>();
            for (LocalDate d = from.with(TemporalAdjusters.nextOrSame(dayOfWeek)); !d.isAfter(to); d = d.plusWeeks(1)) {
                out.add(d);
            }
            return out;
        }
    }

    /** The n-th weekday of every month (1..4), or the last one (-1). */
    record MonthlyNthWeekday(int ordinal, DayOfWeek dayOfWeek) implements Recurrence {
        @Override
        public void validate() {
            if (dayOfWeek == null) {
                throw new IllegalArgumentException("dayOfWeek is required");
            }
            if (ordinal != -1 && (ordinal < 1 || ordinal > 4)) {
                throw new IllegalArgumentException("ordinal must be 1..4, or -1 for the last");
            }
        }

        @Override
        public List<LocalDate> occurrences(LocalDate from, LocalDate to) {
            List<LocalDate> out = new ArrayList<>();
            for (YearMonth m = YearMonth.from(from); !m.atDay(1).isAfter(to); m = m.plusMonths(1)) {
                LocalDate d = ordinal == -1
                        ? m.atEndOfMonth().with(TemporalAdjusters.lastInMonth(dayOfWeek))
                        : m.atDay(1).with(TemporalAdjusters.dayOfWeekInMonth(ordinal, dayOfWeek));
                if (!d.isBefore(from) && !d.isAfter(to)) {
                    out.add(d);
                }
            }
            return out;
        }
    }
}
