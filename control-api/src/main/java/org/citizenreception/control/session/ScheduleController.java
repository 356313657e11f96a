package org.citizenreception.control.session;

import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/** Recurring schedule endpoints. */
public final class ScheduleController {
    private final ScheduleService schedules;

    public ScheduleController(ScheduleService schedules) {
        this.schedules = schedules;
    }

    public void create(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.status(201).json(schedules.create(p, ctx.ip(), JsonBody.read(ctx, ScheduleInput.class)));
    }

    /** POST /session-schedules/preview: the same body as create; nothing is stored. */
    public void preview(Context ctx) {
        Authentication.caller(ctx);
        ctx.json(schedules.preview(JsonBody.read(ctx, ScheduleInput.class)));
    }

    public void list(Context ctx) {
        ctx.json(Map.of("schedules", schedules.list()));
    }

    public void generate(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(Map.of("generated", schedules.generate(p, ctx.ip(), Fields.id("schedule", ctx.pathParam("id")))));
    }
}
