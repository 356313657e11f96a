package org.citizenreception.control.petition;

import org.citizenreception.control.error.DomainErrors;
import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;

/** The case routes: a petition's steps after acceptance, links between cases, the case-history search. Rooms never. */
public final class CaseController {
    private final CaseService cases;

    public CaseController(CaseService cases) {
        this.cases = cases;
    }

    public void caseFile(Context ctx) {
        Principal p = staff(ctx, Role.SECRETARY, Role.HOST, Role.ADMIN);
        ctx.json(cases.caseFile(p, id(ctx)));
    }

    public void recordStep(Context ctx) {
        Principal p = staff(ctx, Role.SECRETARY, Role.HOST);
        CaseCommands.StepInput in = JsonBody.read(ctx, CaseCommands.StepInput.class);
        Map<String, Object> out = cases.recordStep(p, ctx.ip(), id(ctx), in);
        ctx.status(201).header("ETag", "\"" + out.get("version") + "\"").json(out);
    }

    public void link(Context ctx) {
        Principal p = staff(ctx, Role.SECRETARY, Role.HOST);
        Map<String, Object> out = cases.link(p, ctx.ip(), id(ctx), JsonBody.read(ctx, CaseCommands.LinkInput.class));
        ctx.status(201).header("ETag", "\"" + out.get("version") + "\"").json(out);
    }

    public void earlierPetitions(Context ctx) {
        Principal p = staff(ctx, Role.SECRETARY, Role.HOST);
        ctx.json(Map.of("petitions", cases.earlierPetitions(p, ctx.ip(), JsonBody.read(ctx, CaseCommands.HistoryQuery.class))));
    }

    private static Principal staff(Context ctx, Role... roles) {
        Principal p = Authentication.require(ctx, roles);
        if (JoinTokens.isJoinToken(p)) {
            throw DomainErrors.forbidden("a room join token never reaches a petition's handling");
        }
        return p;
    }

    private static long id(Context ctx) {
        return Fields.id("petition", ctx.pathParam("id"));
    }
}
