package org.citizenreception.control.media;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.session.SessionService;

/**
 * A room's simulcast layer pin (issue 17): a room on a line it knows is thin (or a TV that only
 * needs the light picture) asks for the low layer, or the host does for it; {@code auto} hands the
 * choice back to the room's bandwidth. Live state only: it holds for the rest of the session, also
 * across the room's reconnects, and is not stored.
 */
public final class LayerPinController implements RouteModule {
    /** @param layer {@code low}, {@code middle}, {@code top} or {@code auto} */
    public record LayerInput(String layer) {
    }

    private final SessionMedia media;
    private final SessionService sessions;
    private final JoinTokens joinTokens;
    private final AuditLog audit;

    public LayerPinController(SessionMedia media, SessionService sessions, JoinTokens joinTokens, AuditLog audit) {
        this.media = media;
        this.sessions = sessions;
        this.joinTokens = joinTokens;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.put("/api/v1/sessions/{id}/rooms/{room}/layer", this::pin);
    }

    void pin(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        joinTokens.requireSession(ctx, p, id);
        String room = ctx.pathParam("room");
        LayerInput in = JsonBody.read(ctx, LayerInput.class);
        LayerPin pin = LayerPin.parse(in.layer());
        if (!sessions.isInvited(id, room)) {
            throw DomainErrors.notFound("room " + room + " in session " + id);
        }
        media.pinLayer(id, room, pin);
        audit.record(p, ctx.ip(), "media.layer_pin", "session", String.valueOf(id), Map.of("room", room, "layer", pin.wireName()));
        ctx.json(Map.of("room", room, "layer", pin.wireName()));
    }
}
