package org.citizenreception.control.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.citizenreception.control.validation.SpreadsheetCells;

/**
 * A report as one CSV table (UTF-8 with BOM for Excel), one line per figure: its section, the item
 * counted, the units merged into it, the value, last year's value where compared, and the legal
 * minimum for leaders. Names typed by users (agencies, leaders) are made inert for spreadsheets.
 */
public final class ReportCsv {
    public static final String[] HEADER = {"section", "item", "original_units", "value", "previous_year", "minimum"};

    private ReportCsv() {
    }

    public static String write(Report r) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").get())) {
            csv.printRecord((Object[]) HEADER);
            csv.printRecord("period", r.from() + ".." + r.to(), "", "", r.comparisonFrom() + ".." + r.comparisonTo(), "");
            csv.printRecord("totals", "received", "", r.current().received(), r.previousYear().received(), "");
            csv.printRecord("totals", "resolved", "", r.current().resolved(), r.previousYear().resolved(), "");
            csv.printRecord("totals", "overdue", "", r.current().overdue(), r.previousYear().overdue(), "");
            csv.printRecord("totals", "backlog_carried_over", "", r.backlogCarriedOver(), "", "");
            csv.printRecord("totals", "resolved_within_limit", "", r.resolvedWithinLimit(), "", "");
            csv.printRecord("totals", "resolution_rate_within_limit", "",
                    r.resolutionRateWithinLimit() == null ? "" : r.resolutionRateWithinLimit(), "", "");
            for (Report.UnitRow u : r.byUnit()) {
                csv.printRecord(SpreadsheetCells.record("unit", u.unitCode() + " " + u.unitName(), String.join(";", u.originalUnits()),
                        u.received(), "", ""));
            }
            for (var e : r.byKind().entrySet()) {
                csv.printRecord("kind", e.getKey(), "", e.getValue(), "", "");
            }
            for (var e : r.byStatus().entrySet()) {
                csv.printRecord("status", e.getKey(), "", e.getValue(), "", "");
            }
            for (Report.AgencyRow a : r.byAgency()) {
                csv.printRecord(SpreadsheetCells.record("agency", a.agency(), "", a.received(), "", ""));
            }
            for (Report.LeaderRow l : r.leaders()) {
                csv.printRecord(SpreadsheetCells.record("leader", l.position().isEmpty() ? l.name() : l.name() + " (" + l.position() + ")",
                        "", l.held(), "", l.minimum()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
