package org.citizenreception.control.agency;

import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;

/** The agency list: staff read it (to pick a handling agency), the administrator keeps it. */
public final class AgencyController {
    private final AgencyService agencies;

    public AgencyController(AgencyService agencies) {
        this.agencies = agencies;
    }

    public void list(Context ctx) {
        Authentication.caller(ctx);
        ctx.json(Map.of("agencies", agencies.list("true".equals(ctx.queryParam("active")))));
    }

    public void create(Context ctx) {
        Principal p = Authentication.caller(ctx);
        Agency a = agencies.create(p, ctx.ip(), JsonBody.read(ctx, AgencyService.AgencyInput.class));
        ctx.status(201).header("Location", "/api/v1/agencies/" + a.id()).json(a);
    }

    public void update(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = Fields.id("agency", ctx.pathParam("id"));
        ctx.json(agencies.update(p, ctx.ip(), id, JsonBody.read(ctx, AgencyService.AgencyInput.class)));
    }
}
