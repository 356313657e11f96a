package org.citizenreception.control.session;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;

/** The leaders list endpoints (documented in openapi/paths-schedules.json): staff read it, administrators keep it. */
public final class LeaderController implements RouteModule {
    private final LeaderService leaders;

    public LeaderController(LeaderService leaders) {
        this.leaders = leaders;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/leaders", this::list);
        routes.post("/api/v1/leaders", this::create);
        routes.patch("/api/v1/leaders/{id}", this::update);
    }

    void list(Context ctx) {
        Authentication.caller(ctx);
        ctx.json(Map.of("leaders", leaders.list()));
    }

    void create(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.status(201).json(leaders.create(p, ctx.ip(), JsonBody.read(ctx, LeaderService.LeaderInput.class)));
    }

    void update(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(leaders.update(p, ctx.ip(), Fields.id("leader", ctx.pathParam("id")), JsonBody.read(ctx, LeaderService.LeaderInput.class)));
    }
}
