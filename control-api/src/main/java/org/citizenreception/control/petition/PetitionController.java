package org.citizenreception.control.petition;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/** The register endpoints: parse, authorise, serialize. */
public final class PetitionController {

    private final PetitionService petitions;
    private final CaseService cases;
    private final JoinTokens tokens;

    public PetitionController(PetitionService petitions, CaseService cases, JoinTokens tokens) {
        this.petitions = petitions;
        this.cases = cases;
        this.tokens = tokens;
    }

    public void register(Context ctx) {
        Principal p = Authentication.caller(ctx);
        PetitionView v = petitions.register(p, ctx.ip(), SessionController.id(ctx), JsonBody.read(ctx, PetitionInput.class));
        ctx.status(201).header("Location", "/api/v1/petitions/" + v.id()).header("ETag", etag(v.version())).json(v);
    }

    public void listOfSession(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long session = SessionController.id(ctx);
        tokens.requireSession(ctx, p, session);
        ctx.json(Map.of("petitions", petitions.search(p, filter(ctx, session))));
    }

    public void search(Context ctx) {
        Principal p = requireAccount(ctx);
        ctx.json(Map.of("petitions", petitions.search(p, filter(ctx, sessionParam(ctx)))));
    }

    public void exportCsv(Context ctx) {
        Principal p = requireAccount(ctx);
        boolean unmasked = flag(ctx, "unmasked");
        PetitionFilter f = filter(ctx, sessionParam(ctx));
        // An export is the whole register (or the filtered part), not a page of it.
        f = new PetitionFilter(f.sessionId(), f.kind(), f.status(), f.year(), f.text(), f.overdue(), f.originRoomCode(),
                ctx.queryParam("limit") == null ? Integer.MAX_VALUE : f.limit(), f.offset(), f.scopeRooms(), f.scopeUserId());
        String csv = petitions.exportCsv(p, ctx.ip(), f, unmasked);
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"register" + (unmasked ? "-unmasked" : "") + ".csv\"")
                .result(csv.getBytes(StandardCharsets.UTF_8));
    }

    public void get(Context ctx) {
        Principal p = requireAccount(ctx);
        PetitionDetail d = petitions.detail(p, ctx.ip(), id(ctx), flag(ctx, "reveal"));
        ctx.header("ETag", etag(d.petition().version())).json(d);
    }

    public void versions(Context ctx) {
        Principal p = requireAccount(ctx);
        ctx.json(Map.of("versions", petitions.versions(p, ctx.ip(), id(ctx), flag(ctx, "reveal"))));
    }

    public void update(Context ctx) {
        Principal p = requireAccount(ctx);
        PetitionInput in = JsonBody.read(ctx, PetitionInput.class);
        PetitionView v = petitions.update(p, ctx.ip(), id(ctx), withIfMatch(ctx, in));
        ctx.header("ETag", etag(v.version())).json(v);
    }

    public void changeStatus(Context ctx) {
        Principal p = requireAccount(ctx);
        PetitionCommands.StatusInput in = JsonBody.read(ctx, PetitionCommands.StatusInput.class);
        in = new PetitionCommands.StatusInput(in.status(), in.reason(), in.effectiveOn(), versionOr(ctx, in.version()));
        // Through the case service: withdrawing an accepted petition is a case step.
        PetitionView v = cases.changeStatus(p, ctx.ip(), id(ctx), in);
        ctx.header("ETag", etag(v.version())).json(v);
    }

    public void annotate(Context ctx) {
        Principal p = requireAccount(ctx);
        PetitionCommands.AnnotationInput in = JsonBody.read(ctx, PetitionCommands.AnnotationInput.class);
        in = new PetitionCommands.AnnotationInput(in.text(), versionOr(ctx, in.version()));
        Map<String, Object> out = petitions.annotate(p, ctx.ip(), id(ctx), in);
        ctx.status(201).header("ETag", etag((Long) out.get("version"))).json(out);
    }

    public void annotations(Context ctx) {
        Principal p = requireAccount(ctx);
        ctx.json(Map.of("annotations", petitions.detail(p, ctx.ip(), id(ctx), false).annotations()));
    }

    public void extend(Context ctx) {
        Principal p = requireAccount(ctx);
        PetitionCommands.ExtensionInput in = JsonBody.read(ctx, PetitionCommands.ExtensionInput.class);
        in = new PetitionCommands.ExtensionInput(in.deadlineKind(), in.days(), in.decisionReference(), in.decidedOn(),
                versionOr(ctx, in.version()));
        PetitionView v = petitions.extend(p, ctx.ip(), id(ctx), in);
        ctx.status(201).header("ETag", etag(v.version())).json(v);
    }

    public void split(Context ctx) {
        Principal p = requireAccount(ctx);
        PetitionCommands.SplitInput in = JsonBody.read(ctx, PetitionCommands.SplitInput.class);
        in = new PetitionCommands.SplitInput(versionOr(ctx, in.version()), in.parts());
        List<PetitionView> parts = petitions.split(p, ctx.ip(), id(ctx), in);
        ctx.status(201).json(Map.of("parts", parts));
    }

    /** Join tokens belong to one session's room console; the register outside it needs a signed-in account. */
    private static Principal requireAccount(Context ctx) {
        Principal p = Authentication.caller(ctx);
        if (JoinTokens.isJoinToken(p)) {
            throw DomainErrors.forbidden("a room join token reaches only its session's petitions (GET /api/v1/sessions/{id}/petitions)");
        }
        return p;
    }

    private static long id(Context ctx) {
        return Fields.id("petition", ctx.pathParam("id"));
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The version from an If-Match header ("3" or W/"3") when the body has none. */
    private static Long versionOr(Context ctx, Long bodyVersion) {
        if (bodyVersion != null) {
            return bodyVersion;
        }
        String ifMatch = ctx.header("If-Match");
        if (ifMatch == null) {
            return null;
        }
        String v = ifMatch.trim().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw DomainErrors.badRequest("If-Match: expected the petition version as an ETag, like \"3\"");
        }
    }

    private static PetitionInput withIfMatch(Context ctx, PetitionInput in) {
        Long v = versionOr(ctx, in.version());
        return v == in.version() ? in : new PetitionInput(in.kind(), in.complaintRound(), in.originRoomCode(), in.headCount(),
                in.petitioners(), in.summary(), in.requests(), in.priorHandling(), in.handlerAgency(), in.complex(),
                in.especiallyComplex(), in.remoteArea(), in.receivedOn(), v);
    }

    private static boolean flag(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw DomainErrors.badRequest(name + ": expected true or false");
    }

    private static Long sessionParam(Context ctx) {
        String raw = ctx.queryParam("sessionId");
        if (raw == null) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw DomainErrors.badRequest("sessionId: expected a whole number");
        }
    }

    private static PetitionFilter filter(Context ctx, Long sessionId) {
        PetitionKind kind = ctx.queryParam("kind") == null ? null : SessionController.parse(PetitionKind.class, "kind", ctx.queryParam("kind"));
        PetitionStatus status = ctx.queryParam("status") == null ? null
                : SessionController.parse(PetitionStatus.class, "status", ctx.queryParam("status"));
        Integer year = null;
        if (ctx.queryParam("year") != null) {
            try {
                year = Integer.parseInt(ctx.queryParam("year"));
            } catch (NumberFormatException e) {
                throw DomainErrors.badRequest("year: expected a year like 2026");
            }
        }
        String text = ctx.queryParam("q");
        if (text != null && text.length() > 200) {
            throw DomainErrors.badRequest("q: at most 200 characters");
        }
        int limit = intParam(ctx, "limit", 100, 1, PetitionService.MAX_PAGE);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Boolean overdue = ctx.queryParam("overdue") == null ? null : flag(ctx, "overdue");
        return new PetitionFilter(sessionId, kind, status, year, text, overdue, null, limit, offset);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw DomainErrors.badRequest(name + ": expected a whole number " + min + ".." + max);
    }
}
