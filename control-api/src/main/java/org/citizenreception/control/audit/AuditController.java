package org.citizenreception.control.audit;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.http.Authentication;

/**
 * {@code GET /api/v1/audit} (paged, newest first; narrowed by entity, actor, action and time) and
 * {@code GET /api/v1/audit/verify}, {@code GET /api/v1/audit/export} and
 * {@code GET /api/v1/audit/checkpoints} (what an auditor verifies offline); admins only.
 */
public final class AuditController {
    static final int MAX_LIMIT = 500;
    private final AuditLog log;

    public AuditController(AuditLog log) {
        this.log = log;
    }

    public void list(Context ctx) {
        int limit = intParam(ctx, "limit", 100);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainErrors.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Optional<Long> before = Optional.ofNullable(ctx.queryParam("before")).map(v -> longValue("before", v));
        AuditLog.Filter filter = new AuditLog.Filter(text(ctx, "entityType"), text(ctx, "entityId"), text(ctx, "actor"),
                text(ctx, "action"), instant(ctx, "from"), instant(ctx, "to"));
        List<AuditEntry> entries = log.list(filter, before, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("nextBefore", entries.size() == limit ? entries.get(entries.size() - 1).seq() : null);
        ctx.json(body);
    }

    public void verify(Context ctx) {
        AuditChain.Verification v = log.verify();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", v.valid());
        body.put("entries", v.entries());
        body.put("checkpointedHeadSeq", v.checkpointedHeadSeq());
        if (!v.valid()) {
            body.put("firstBrokenSeq", v.firstBrokenSeq());
            body.put("problem", v.problem());
        }
        ctx.json(body);
    }

    /**
     * The whole log as JSON Lines (see {@link AuditExport}), for an auditor to verify offline with
     * {@link AuditVerify}. Streamed from one read snapshot; the export itself is audited first, so
     * the file shows who took it.
     */
    public void export(Context ctx) throws java.io.IOException {
        var p = Authentication.caller(ctx);
        log.record(p, ctx.ip(), "audit.export", "audit", null, Map.of());
        ctx.contentType(AuditExport.MEDIA_TYPE);
        ctx.header("Content-Disposition", "attachment; filename=\"audit-export.jsonl\"");
        java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(ctx.outputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        log.export(row -> {
            try {
                out.write(AuditExport.line(row));
                out.write('\n');
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        out.flush();
    }

    /** The checkpoint file's lines, as written: the other half of what {@link AuditVerify} needs. */
    public void checkpoints(Context ctx) {
        StringBuilder body = new StringBuilder();
        for (AuditCheckpoint cp : log.checkpoints()) {
            body.append(cp.toJsonLine()).append('\n');
        }
        ctx.contentType(AuditExport.MEDIA_TYPE);
        ctx.header("Content-Disposition", "attachment; filename=\"audit-checkpoints.jsonl\"");
        ctx.result(body.toString());
    }

    /** A blank parameter is absent: an empty filter box in a form narrows nothing. */
    private static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<Instant> instant(Context ctx, String name) {
        return text(ctx, name).map(v -> {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw DomainErrors.badRequest(name + ": expected an ISO-8601 instant like 2026-11-27T00:00:00Z",
                        new FieldError(name, "expected an ISO-8601 instant like 2026-11-27T00:00:00Z"));
            }
        });
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String v = ctx.queryParam(name);
        return v == null ? fallback : (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, longValue(name, v)));
    }

    private static long longValue(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw DomainErrors.badRequest(name + ": expected a whole number",
                    new FieldError(name, "expected a whole number"));
        }
    }
}
