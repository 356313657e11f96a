package org.citizenreception.control.report;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.Problem;

/**
 * The days a report covers, both inclusive, and the same days a year earlier for the comparison.
 * The presets follow the reviews the province holds: the twice-monthly review covers the 1st–15th
 * or the 16th–last of a month, the six-month report January–June or July–December.
 */
public record ReportPeriod(ReportKind kind, LocalDate from, LocalDate to) {
    /** Longest custom period: ten years keeps a report a report, not a dump. */
    static final long MAX_DAYS = 3700;

    public ReportPeriod previousYear() {
        return new ReportPeriod(kind, from.minusYears(1), to.minusYears(1));
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /**
     * The period of {@code kind} from the query's {@code from}/{@code to} (ISO dates, either may be
     * absent for a preset, which then takes the half-month or half-year holding {@code from} or today).
     */
    public static ReportPeriod of(ReportKind kind, String fromParam, String toParam, LocalDate today) {
        LocalDate from = date("from", fromParam);
        LocalDate to = date("to", toParam);
        return switch (kind) {
            case PERIOD -> {
                if (from == null) {
                    throw ApiException.badRequest("from: required for a custom period (YYYY-MM-DD)", new Problem.FieldError("from", "required"));
                }
                if (to == null) {
                    throw ApiException.badRequest("to: required for a custom period (YYYY-MM-DD)", new Problem.FieldError("to", "required"));
                }
                if (to.isBefore(from)) {
                    throw ApiException.badRequest("to: must not be before from", new Problem.FieldError("to", "before from"));
                }
                if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
                    throw ApiException.badRequest("to: a period spans at most " + MAX_DAYS + " days",
                            new Problem.FieldError("to", "period too long"));
                }
                yield new ReportPeriod(kind, from, to);
            }
            case REVIEW_FORTNIGHT -> {
                requireNoTo(to);
                LocalDate day = from == null ? today : from;
                yield day.getDayOfMonth() <= 15
                        ? new ReportPeriod(kind, day.withDayOfMonth(1), day.withDayOfMonth(15))
                        : new ReportPeriod(kind, day.withDayOfMonth(16), day.withDayOfMonth(day.lengthOfMonth()));
            }
            case SIX_MONTHS -> {
                requireNoTo(to);
                LocalDate day = from == null ? today : from;
                yield day.getMonthValue() <= 6
                        ? new ReportPeriod(kind, LocalDate.of(day.getYear(), 1, 1), LocalDate.of(day.getYear(), 6, 30))
                        : new ReportPeriod(kind, LocalDate.of(day.getYear(), 7, 1), LocalDate.of(day.getYear(), 12, 31));
            }
        };
    }

    private static void requireNoTo(LocalDate to) {
        if (to != null) {
            throw ApiException.badRequest("to: a preset fixes its own end; give only from (a day inside the period)",
                    new Problem.FieldError("to", "not allowed with a preset"));
        }
    }

    private static LocalDate date(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(raw.trim());
            if (d.getYear() < 2000 || d.getYear() > 2100) {
                throw ApiException.badRequest(field + ": a year between 2000 and 2100", new Problem.FieldError(field, "out of range"));
            }
            return d;
        } catch (DateTimeException e) {
            throw ApiException.badRequest(field + ": expected a date like 2026-03-15", new Problem.FieldError(field, "not a date"));
        }
    }
}
