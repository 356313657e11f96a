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
 * {@code GET /api/v1/reports/{kind}} (JSON) and {@code GET /api/v1/reports/{kind}.csv}, one route
 * whose last segment carries the format; documented in openapi/paths-reports.json.
 */
public final class ReportController implements RouteModule {
    private static final String CSV_SUFFIX = ".csv";

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
        String slug = csv ? raw.substring(0, raw.length() - CSV_SUFFIX.length()) : raw;
        ReportKind kind = ReportKind.ofSlug(slug).orElseThrow(() -> ApiException.badRequest(
                "kind: one of period, review-fortnight, six-months (add .csv for CSV)", new Problem.FieldError("kind", "unknown report")));
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
        } else {
            ctx.json(report);
        }
    }
}
