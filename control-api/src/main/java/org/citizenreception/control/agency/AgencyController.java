package org.citizenreception.control.agency;

import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.user.Principal;
import org.citizenreception.control.user.Role;
import org.citizenreception.control.validation.Fields;

/** The agency list: staff read it (to pick a handling agency), the administrator keeps it. */
public final class AgencyController {
    private final AgencyService agencies;

    public AgencyController(AgencyService agencies) {
        this.agencies = agencies;
    }

    public void list(Context ctx) {
        Authentication.require(ctx, Role.ADMIN, Role.HOST, Role.SECRETARY);
        ctx.json(Map.of("agencies", agencies.list("true".equals(ctx.queryParam("active")))));
    }

    public void create(Context ctx) {
        Principal p = Authentication.require(ctx, Role.ADMIN);
        Agency a = agencies.create(p, ctx.ip(), JsonBody.read(ctx, AgencyService.AgencyInput.class));
        ctx.status(201).header("Location", "/api/v1/agencies/" + a.id()).json(a);
    }

    public void update(Context ctx) {
        Principal p = Authentication.require(ctx, Role.ADMIN);
        long id = Fields.id("agency", ctx.pathParam("id"));
        ctx.json(agencies.update(p, ctx.ip(), id, JsonBody.read(ctx, AgencyService.AgencyInput.class)));
    }
}
