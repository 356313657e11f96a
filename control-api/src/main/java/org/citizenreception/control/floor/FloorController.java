package org.citizenreception.control.floor;

import io.javalin.http.Context;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.identity.Principal;

/** Hands and floor endpoints. */
public final class FloorController {
    /** The body of POST /hands (room operators may omit it: their own room) and POST /floor. */
    public record RoomInput(String roomCode) {
    }

    private final FloorService floor;
    private final JoinTokens tokens;

    public FloorController(FloorService floor, JoinTokens tokens) {
        this.floor = floor;
        this.tokens = tokens;
    }

    public void get(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        ctx.json(floor.floor(id));
    }

    public void raise(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        String room = p.roomCode().orElse(null);
        if (ctx.bodyAsBytes().length > 0) {
            RoomInput in = JsonBody.read(ctx, RoomInput.class);
            room = in.roomCode() != null ? in.roomCode() : room;
        }
        if (room == null) {
            throw DomainErrors.invalid("roomCode", "is required");
        }
        ctx.status(201).json(floor.raise(p, ctx.ip(), id, room));
    }

    public void lower(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        ctx.json(floor.lower(p, ctx.ip(), id, ctx.pathParam("room")));
    }

    public void grant(Context ctx) {
        Principal p = Authentication.caller(ctx);
        RoomInput in = JsonBody.read(ctx, RoomInput.class);
        if (in.roomCode() == null) {
            throw DomainErrors.invalid("roomCode", "is required");
        }
        ctx.json(floor.grant(p, ctx.ip(), SessionController.id(ctx), in.roomCode()));
    }

    public void revoke(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(floor.revoke(p, ctx.ip(), SessionController.id(ctx)));
    }
}
