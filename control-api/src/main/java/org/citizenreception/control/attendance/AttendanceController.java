package org.citizenreception.control.attendance;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/** Attendance report and the room operators' entries. */
public final class AttendanceController {
    public record OfficialInput(String name, String title) {
    }

    public record CitizensInput(Integer citizens) {
    }

    private final AttendanceService attendance;
    private final JoinTokens tokens;

    public AttendanceController(AttendanceService attendance, JoinTokens tokens) {
        this.attendance = attendance;
        this.tokens = tokens;
    }

    public void report(Context ctx) {
        ctx.json(attendance.report(SessionController.id(ctx)));
    }

    public void csv(Context ctx) {
        long id = SessionController.id(ctx);
        String csv = AttendanceService.csv(attendance.report(id), org.citizenreception.control.session.SessionService.ZONE);
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"attendance-session-" + id + ".csv\"")
                .result(csv.getBytes(StandardCharsets.UTF_8));
    }

    public void addOfficial(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        OfficialInput in = JsonBody.read(ctx, OfficialInput.class);
        ctx.status(201).json(attendance.addOfficial(p, ctx.ip(), id, ctx.pathParam("room"), in.name(), in.title()));
    }

    public void removeOfficial(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        attendance.removeOfficial(p, ctx.ip(), id, ctx.pathParam("room"), Fields.id("official", ctx.pathParam("official")));
        ctx.status(204);
    }

    public void setCitizens(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        CitizensInput in = JsonBody.read(ctx, CitizensInput.class);
        attendance.setCitizens(p, ctx.ip(), id, ctx.pathParam("room"), in.citizens());
        ctx.json(Map.of("room", ctx.pathParam("room"), "citizens", in.citizens()));
    }
}
