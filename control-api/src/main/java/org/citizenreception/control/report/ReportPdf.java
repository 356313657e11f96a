package org.citizenreception.control.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.pdf.ArchivalPdf;

/**
 * A report as PDF/A-2b, the figures of the HTML page in the same order: the period against the same
 * period last year (with a bar chart of the totals), the backlog, the rate within the legal limit,
 * then by unit (merged units under their successor, the originals named), kind, status and agency,
 * and the leaders' reception days against the legal minimum.
 */
final class ReportPdf {
    /** Colours of the HTML chart: this period dark, last year light. */
    private static final List<Color> BARS = List.of(new Color(0x1f, 0x5f, 0x99), new Color(0x9c, 0xc3, 0xe6));

    private ReportPdf() {
    }

    static byte[] render(Report r, ReportLanguage l) {
        DateTimeFormatter date = DateTimeFormatter.ofPattern(l.label("date"));
        String title = l.label("title." + r.kind());
        try (ArchivalPdf w = new ArchivalPdf()) {
            w.paragraph(title, ArchivalPdf.TITLE, 0);
            w.paragraph(l.label("period") + ": " + span(r.from(), r.to(), date) + " · " + l.label("comparedWith") + " "
                    + span(r.comparisonFrom(), r.comparisonTo(), date), ArchivalPdf.BODY, 0);
            w.paragraph(r.unit() == null ? l.label("scope.all") : l.label("scope", r.unit()), ArchivalPdf.BODY, 0);
            w.gap(ArchivalPdf.BODY);

            w.paragraph(l.label("chartTitle"), ArchivalPdf.HEADING, 0);
            String now = l.label("current");
            String before = l.label("previousYear");
            w.barChart(List.of(l.label("received") + " · " + now, l.label("received") + " · " + before,
                            l.label("resolved") + " · " + now, l.label("resolved") + " · " + before,
                            l.label("overdue") + " · " + now, l.label("overdue") + " · " + before),
                    List.of(r.current().received(), r.previousYear().received(), r.current().resolved(), r.previousYear().resolved(),
                            r.current().overdue(), r.previousYear().overdue()), BARS);
            row(w, l.label("received"), r.current().received() + " (" + l.label("lastYear") + ": " + r.previousYear().received() + ")");
            row(w, l.label("resolved"), r.current().resolved() + " (" + l.label("lastYear") + ": " + r.previousYear().resolved() + ")");
            row(w, l.label("overdue"), r.current().overdue() + " (" + l.label("lastYear") + ": " + r.previousYear().overdue() + ")");
            row(w, l.label("backlog"), String.valueOf(r.backlogCarriedOver()));
            row(w, l.label("withinLimit"), r.resolvedWithinLimit() + " (" + percent(r.resolutionRateWithinLimit()) + ")");
            w.gap(ArchivalPdf.BODY);

            heading(w, l.label("byUnit"));
            for (Report.UnitRow u : r.byUnit()) {
                String originals = u.originalUnits().isEmpty() ? "" : " — " + l.label("originalUnits") + ": " + String.join(", ", u.originalUnits());
                row(w, u.unitName() + " (" + u.unitCode() + ")" + originals, String.valueOf(u.received()));
            }
            heading(w, l.label("byKind"));
            counts(w, l, "kind.", r.byKind());
            heading(w, l.label("byStatus"));
            counts(w, l, "status.", r.byStatus());
            heading(w, l.label("byAgency"));
            for (Report.AgencyRow a : r.byAgency()) {
                row(w, a.agency().isEmpty() ? l.label("noAgency") : a.agency(), String.valueOf(a.received()));
            }
            heading(w, l.label("leaders"));
            w.paragraph(l.label("leadersHint"), ArchivalPdf.BODY, 0);
            for (Report.LeaderRow leader : r.leaders()) {
                String who = leader.position().isEmpty() ? leader.name() : leader.name() + " — " + leader.position();
                row(w, who + " · " + l.labelOr("duty." + leader.duty().name(), leader.duty().name()),
                        l.label("held") + " " + leader.held() + " / " + l.label("minimum") + " " + leader.minimum()
                                + (leader.belowMinimum() ? " " + l.label("below") : ""));
            }
            return w.finish(title, l.code());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the report " + r.kind() + " " + r.from() + ".." + r.to(), e);
        }
    }

    private static void heading(ArchivalPdf w, String text) throws IOException {
        w.gap(ArchivalPdf.BODY);
        w.paragraph(text, ArchivalPdf.HEADING, 0);
    }

    private static void counts(ArchivalPdf w, ReportLanguage l, String prefix, Map<String, Long> counts) throws IOException {
        for (var e : counts.entrySet()) {
            row(w, l.labelOr(prefix + e.getKey(), e.getKey()), String.valueOf(e.getValue()));
        }
    }

    /** One line "label: value", so the figure reads next to what it counts in the text and on paper. */
    private static void row(ArchivalPdf w, String label, String value) throws IOException {
        w.paragraph("• " + label + ": " + value, ArchivalPdf.BODY, 10);
    }

    private static String span(LocalDate from, LocalDate to, DateTimeFormatter date) {
        return date.format(from) + " – " + date.format(to);
    }

    private static String percent(Double rate) {
        return rate == null ? "—" : Math.round(rate * 1000) / 10.0 + " %";
    }
}
