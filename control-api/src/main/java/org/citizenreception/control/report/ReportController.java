package org.citizenreception.control.report;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.Problem;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * {@code GET /api/v1/reports/{kind}} (JSON), {@code GET /api/v1/reports/{kind}.csv} and
 * {@code GET /api/v1/reports/{kind}.pdf} (in {@code ?lang=} or the Accept-Language), one route whose
 * last segment carries the format; documented in openapi/paths-reports.json.
 */
public final class ReportController implements RouteModule {
    private static final String CSV_SUFFIX = ".csv";
    private static final String PDF_SUFFIX = ".pdf";

    private final ReportService reports;

    public ReportController(ReportService reports) {
        this.reports = reports;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/reports/{kind}", this::report);
    }

    void report(Context ctx) {
        Principal p = Authentication.caller(ctx);
        if (JoinTokens.isJoinToken(p)) {
            throw ApiException.forbidden("a room join token reaches no reports");
        }
        String raw = ctx.pathParam("kind");
        boolean csv = raw.endsWith(CSV_SUFFIX);
        boolean pdf = raw.endsWith(PDF_SUFFIX);
        String slug = csv || pdf ? raw.substring(0, raw.lastIndexOf('.')) : raw;
        ReportKind kind = ReportKind.ofSlug(slug).orElseThrow(() -> ApiException.badRequest(
                "kind: one of period, review-fortnight, six-months (add .csv for CSV, .pdf for PDF)",
                new Problem.FieldError("kind", "unknown report")));
        // Checked before the report is computed, so a bad lang costs nothing.
        ReportLanguage language = pdf ? ReportLanguage.of(ctx.queryParam("lang"), ctx.header("Accept-Language")) : null;
        String unit = ctx.queryParam("unit");
        if (unit != null && (unit.isBlank() || unit.length() > 64)) {
            throw ApiException.badRequest("unit: a room directory code", new Problem.FieldError("unit", "not a unit code"));
        }
        ReportPeriod period = ReportPeriod.of(kind, ctx.queryParam("from"), ctx.queryParam("to"), reports.today());
        Report report = reports.report(p, period, unit);
        if (csv) {
            ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"report-" + slug + "-" + period.from() + "-" + period.to() + ".csv\"")
                    .result(ReportCsv.write(report).getBytes(StandardCharsets.UTF_8));
        } else if (pdf) {
            ctx.contentType("application/pdf").header("Vary", "Accept-Language")
                    .header("Content-Disposition", "attachment; filename=\"report-" + slug + "-" + period.from() + "-" + period.to()
                            + "-" + language.code() + ".pdf\"")
                    .result(ReportPdf.render(report, language));
        } else {
            ctx.json(report);
        }
    }
}
