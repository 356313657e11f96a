package org.citizenreception.control.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One report: the figures of a period and of the same period a year earlier. Counts by unit, kind,
 * status and agency are of the petitions received in the period, each status as it stood on the
 * period's last day.
 */
public record Report(String kind, LocalDate from, LocalDate to, String unit, LocalDate comparisonFrom, LocalDate comparisonTo,
                     Totals current, Totals previousYear, long backlogCarriedOver, long resolvedWithinLimit,
                     Double resolutionRateWithinLimit, List<UnitRow> byUnit, Map<String, Long> byKind, Map<String, Long> byStatus,
                     List<AgencyRow> byAgency, List<LeaderRow> leaders) {

    /**
     * @param received petitions received in the period
     * @param resolved decisions (complaints) and conclusions (denunciations) issued in the period
     * @param overdue  petitions still awaiting acceptance or resolution on the period's last day with their deadline then passed
     */
    public record Totals(long received, long resolved, long overdue) {
    }

    /** A unit as it exists now, with the abolished units whose petitions it reports (the 2025 merger). */
    public record UnitRow(String unitCode, String unitName, List<String> originalUnits, long received) {
    }

    /** {@code agency} is empty for petitions not yet assigned to one. */
    public record AgencyRow(String agency, long received) {
    }

    /** Sessions a presiding person held in the period against the minimum the law sets for their duty. */
    public record LeaderRow(String name, String position, LeaderDuty duty, long held, long minimum, boolean belowMinimum) {
    }
}
