package org.citizenreception.control.petition.deadline;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Which days are working days for state agencies: Monday to Friday, minus the public holidays of
 * the holiday table, plus the weekend days a government swap turned into working days.
 *
 * <p>The table is data (config/holidays-vn.csv) because the Prime Minister fixes Tết and the
 * adjacent National Day every year and may swap days (Labour Code 2019 Art. 112); code that
 * hard-wired them would be wrong every January. Immutable, so one instance serves all threads.
 */
public final class HolidayCalendar {
    /** A row of the table: a weekday off, or a weekend day worked because of a swap. */
    public enum DayType { HOLIDAY, WORKING }

    private final Map<LocalDate, DayType> exceptions;
    private final Map<LocalDate, String> names;

    private HolidayCalendar(Map<LocalDate, DayType> exceptions, Map<LocalDate, String> names) {
        this.exceptions = Collections.unmodifiableMap(new TreeMap<>(exceptions));
        this.names = Collections.unmodifiableMap(new TreeMap<>(names));
    }

    /** A calendar with weekends only: for tests and for a province that ships no table. */
    public static HolidayCalendar weekendsOnly() {
        return new HolidayCalendar(Map.of(), Map.of());
    }

    public static HolidayCalendar load(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the holiday table " + file, e);
        }
    }

    /**
     * Parses {@code date,name[,type]} lines; {@code #} starts a comment. A bad line stops the
     * load with its line number: a silently skipped holiday would shift every deadline after it.
     */
    public static HolidayCalendar parse(Reader in, String source) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true)
                .setCommentMarker('#').setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .get();
        Map<LocalDate, DayType> exceptions = new TreeMap<>();
        Map<LocalDate, String> names = new TreeMap<>();
        for (CSVRecord row : format.parse(in)) {
            String where = source + " line " + row.getRecordNumber();
            LocalDate date;
            try {
                date = LocalDate.parse(row.get("date"));
            } catch (DateTimeException | IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": date must be YYYY-MM-DD");
            }
            String typeText = row.isMapped("type") && row.isSet("type") && !row.get("type").isBlank()
                    ? row.get("type") : "holiday";
            DayType type;
            try {
                type = DayType.valueOf(typeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": type must be holiday or working, not " + typeText);
            }
            if (type == DayType.WORKING && !isWeekend(date)) {
                throw new IllegalArgumentException(where + ": a compensatory working day must be a Saturday or Sunday");
            }
            if (exceptions.put(date, type) != null) {
                throw new IllegalArgumentException(where + ": " + date + " is listed twice");
            }
            names.put(date, row.isSet("name") ? row.get("name") : "");
        }
        return new HolidayCalendar(exceptions, names);
    }

    public boolean isWorkingDay(LocalDate day) {
        DayType exception = exceptions.get(day);
        if (exception != null) {
            return exception == DayType.WORKING;
        }
        return !isWeekend(day);
    }

    /** The day itself when it is a working day, otherwise the next working day. */
    public LocalDate workingDayOnOrAfter(LocalDate day) {
        LocalDate d = day;
        while (!isWorkingDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /**
     * The {@code count}-th working day after {@code day}; {@code day} itself never counts (Civil
     * Code 2015 Art. 147(1): a period in days starts on the day after the event).
     */
    public LocalDate plusWorkingDays(LocalDate day, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        LocalDate d = day;
        int left = count;
        while (left > 0) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }

    /** The holiday's name from the table, or empty for an ordinary day. */
    public String nameOf(LocalDate day) {
        return names.getOrDefault(day, "");
    }

    public int size() {
        return exceptions.size();
    }

    private static boolean isWeekend(LocalDate day) {
        DayOfWeek dow = day.getDayOfWeek();
        return dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
    }
}
