package org.citizenreception.control.media;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Map;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.session.SessionState;

/**
 * The stage as room screens lay it out: everyone of the session reads it; its presiding host alone
 * chooses the layout and stops a share (any share, the host's own or a room's). Sharing itself is a
 * WHIP publish into the content slot ({@link WhipWhepController}).
 */
public final class StageController implements RouteModule {
    /** The body of PUT /stage/layout. */
    public record LayoutInput(String layout) {
    }

    private static final String API = "/api/v1";

    private final SessionMedia media;
    private final SessionService sessions;
    private final JoinTokens joinTokens;
    private final AuditLog audit;

    public StageController(SessionMedia media, SessionService sessions, JoinTokens joinTokens, AuditLog audit) {
        this.media = media;
        this.sessions = sessions;
        this.joinTokens = joinTokens;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(API + "/sessions/{id}/stage", this::get);
        routes.put(API + "/sessions/{id}/stage/layout", this::setLayout);
        routes.delete(API + "/sessions/{id}/stage/content", this::stopSharing);
    }

    void get(Context ctx) {
        ctx.json(media.stage().view(session(ctx, Authentication.caller(ctx)).id()));
    }

    void setLayout(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ReceptionSession session = hostOfRunningSession(ctx, p, "stage.layout");
        LayoutInput input = JsonBody.read(ctx, LayoutInput.class);
        StageLayout layout = parse(input.layout());
        media.stage().layout(session.id(), layout);
        audit.record(p, ctx.ip(), "stage.layout", "session", String.valueOf(session.id()), Map.of("layout", layout.name()));
        ctx.json(media.stage().view(session.id()));
    }

    void stopSharing(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ReceptionSession session = hostOfRunningSession(ctx, p, "stage.content.stop");
        boolean stopped = media.stopSharing(session.id());
        audit.record(p, ctx.ip(), "stage.content.stop", "session", String.valueOf(session.id()), Map.of("stopped", stopped));
        ctx.json(media.stage().view(session.id()));
    }

    private ReceptionSession session(Context ctx, Principal p) {
        long id = SessionController.id(ctx);
        joinTokens.requireSession(ctx, p, id);
        return sessions.getFor(p, id);
    }

    /** The presiding host (refusals audited), of a session whose stage still exists. */
    private ReceptionSession hostOfRunningSession(Context ctx, Principal p, String action) {
        ReceptionSession session = session(ctx, p);
        sessions.access().requireHost(p, session, ctx.ip(), action);
        if (session.state() != SessionState.SCHEDULED && session.state() != SessionState.LIVE
                && session.state() != SessionState.INTERRUPTED) {
            throw DomainErrors.conflict("Session " + session.id() + " is " + session.state() + "; its stage has closed");
        }
        return session;
    }

    private static StageLayout parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw DomainErrors.invalid("layout", "is required: one of " + Arrays.toString(StageLayout.values()));
        }
        try {
            return StageLayout.valueOf(raw.trim());
        } catch (IllegalArgumentException e) {
            throw DomainErrors.invalid("layout", "must be one of " + Arrays.toString(StageLayout.values()));
        }
    }
}
