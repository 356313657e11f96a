package org.citizenreception.control.media;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.audit.BatchedAuditRecorder;
import org.citizenreception.control.config.IceServer;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.media.conference.ConferenceClosedException;
import org.citizenreception.media.conference.SdpAnswerResult;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.sdp.UnsupportedOfferException;

/**
 * WHIP (RFC 9725) and WHEP: {@code POST} an SDP offer, get 201 with the answer and a
 * {@code Location} to {@code DELETE} (leave) or {@code PATCH} (ICE restart).
 *
 * <p>Who may publish where: the session's own host (its presiding HOST account, or the hosting
 * room's token for an encoder such as OBS) into the main slot, never an administrator nor another
 * host (refusals audited); a room into the guest slot only while it holds the floor. A shared screen
 * goes into the content slot by its own WHIP resource, {@code /whip/{session}/content}: the host's, or
 * the room's holding the floor now (the share ends with the floor). Who may watch:
 * staff of the session (assigned or of its unit's area) and every invited room, each only for its
 * own session and room. An endpoint is ended or restarted by whoever opened it, or the session's host.
 */
public final class WhipWhepController implements RouteModule {
    static final String SDP = "application/sdp";
    static final String SDP_FRAGMENT = "application/trickle-ice-sdpfrag";

    private final SessionMedia media;
    private final SessionService sessions;
    private final JoinTokens joinTokens;
    private final List<IceServer> iceServers;
    private final java.util.Optional<org.citizenreception.control.config.TurnRestSecret> turnSecret;
    private final java.time.Clock clock;
    /** Shared transactions for the entries of concurrent joins: a join storm must not queue 200 writer turns. */
    private final BatchedAuditRecorder audit;
    private final MediaPostLimits postLimits;

    public WhipWhepController(SessionMedia media, SessionService sessions, JoinTokens joinTokens, List<IceServer> iceServers,
                              AuditLog audit) {
        this(media, sessions, joinTokens, iceServers, java.util.Optional.empty(), java.time.Clock.systemUTC(), audit,
                MediaPostLimits.unlimited(java.time.Clock.systemUTC()));
    }

    /**
     * @param turnSecret mints each client's own short-lived credential for TURN servers marked
     *                   {@link IceServer#minted()}
     * @param audit      records who opened, restarted and ended which media endpoint
     */
    public WhipWhepController(SessionMedia media, SessionService sessions, JoinTokens joinTokens, List<IceServer> iceServers,
                              java.util.Optional<org.citizenreception.control.config.TurnRestSecret> turnSecret, java.time.Clock clock,
                              AuditLog audit, MediaPostLimits postLimits) {
        this.postLimits = postLimits;
        this.media = media;
        this.sessions = sessions;
        this.joinTokens = joinTokens;
        this.iceServers = List.copyOf(iceServers);
        this.turnSecret = turnSecret;
        this.clock = clock;
        this.audit = new BatchedAuditRecorder(audit);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/whip/{session}", this::publish);
        routes.post("/whip/{session}/content", this::share);
        routes.delete("/whip/{session}/{endpoint}", this::leave);
        routes.patch("/whip/{session}/{endpoint}", this::restartIce);
        routes.post("/whep/{session}", this::play);
        routes.delete("/whep/{session}/{endpoint}", this::leave);
        routes.patch("/whep/{session}/{endpoint}", this::restartIce);
    }

    void publish(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ReceptionSession session = session(ctx, p);
        postLimits.admit(ctx.ip(), session.id());
        String offer = offer(ctx);
        SlotName slot;
        if (p.roomCode().isEmpty()) {
            sessions.access().requireHost(p, session, ctx.ip(), "whip.main");
            requireState(session, SessionState.SCHEDULED, SessionState.LIVE);
            slot = SlotName.MAIN;
        } else if (p.roomCode().get().equals(session.hostRoomCode())) {
            requireState(session, SessionState.SCHEDULED, SessionState.LIVE);
            slot = SlotName.MAIN;
        } else if (joinTokens.mayPublish(String.valueOf(session.id()), p.roomCode().get())) {
            slot = SlotName.GUEST;
        } else {
            throw DomainErrors.forbidden("Room " + p.roomCode().get() + " does not have the floor; raise a hand and wait for the host");
        }
        answer(ctx, p, "/whip/", session.id(), () -> media.publish(p, session.id(), p.roomCode(), slot, offer), "media.publish");
    }

    /** WHIP into the content slot: the session's host, or the room holding the floor now. */
    void share(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ReceptionSession session = session(ctx, p);
        postLimits.admit(ctx.ip(), session.id());
        String offer = offer(ctx);
        java.util.Optional<String> sharingRoom;
        if (p.roomCode().isEmpty()) {
            sessions.access().requireHost(p, session, ctx.ip(), "whip.content");
            requireState(session, SessionState.SCHEDULED, SessionState.LIVE);
            sharingRoom = java.util.Optional.empty();
        } else if (p.roomCode().get().equals(session.hostRoomCode())) {
            requireState(session, SessionState.SCHEDULED, SessionState.LIVE);
            sharingRoom = java.util.Optional.empty();
        } else if (p.roomCode().get().equals(session.floorRoomCode())) {
            requireState(session, SessionState.LIVE);
            sharingRoom = p.roomCode();
        } else {
            throw DomainErrors.forbidden("Room " + p.roomCode().get() + " does not hold the floor; only the host or the room"
                    + " holding the floor shares content");
        }
        answer(ctx, p, "/whip/", session.id(), () -> media.share(p, session.id(), p.roomCode(), sharingRoom, offer), "media.share");
    }

    void play(Context ctx) {
        long offerReceivedNanos = System.nanoTime(); // the join's server-side timing starts here (JoinTimeline)
        Principal p = Authentication.caller(ctx);
        ReceptionSession session = session(ctx, p);
        postLimits.admit(ctx.ip(), session.id());
        String offer = offer(ctx);
        requireState(session, SessionState.SCHEDULED, SessionState.LIVE);
        answer(ctx, p, "/whep/", session.id(), () -> media.subscribe(p, session.id(), p.roomCode(), offer, offerReceivedNanos),
                "media.watch");
    }

    /**
     * DELETE is idempotent for the endpoint's owner: one that already ended (the browser closed
     * DTLS first, consent expired, a newer page replaced it) answers 204, as the state the client
     * asks for holds; someone else's, or one never opened, stays 403 / 404.
     */
    void leave(Context ctx) {
        Principal p = Authentication.caller(ctx);
        if (endedOwnEndpoint(ctx, p).isPresent()) {
            ctx.status(204);
            return;
        }
        MediaParticipant participant = ownParticipant(ctx, p);
        media.leave(participant);
        audited(ctx, p, "media.leave", participant.endpointId());
        ctx.status(200);
    }

    /** The caller's own endpoint (or, for the host, any of the session) that has recently ended. */
    private java.util.Optional<SessionMedia.EndedEndpoint> endedOwnEndpoint(Context ctx, Principal p) {
        long sessionId = sessionId(ctx);
        joinTokens.requireSession(ctx, p, sessionId);
        String endpointId = ctx.pathParam("endpoint");
        if (media.participant(sessionId, endpointId).isPresent()) {
            return java.util.Optional.empty();
        }
        return media.ended(sessionId, endpointId).filter(e -> e.username().equals(p.username())
                || sessions.access().isHost(p, sessions.get(sessionId)));
    }

    /**
     * PATCH per RFC 9725 §4.3. A fragment whose {@code a=ice-ufrag} differs from the client's current
     * one is an ICE restart: 200 with the bridge's new credentials and a new ETag. Otherwise it is
     * trickle (which repeats the current ufrag): 204, the candidates unused, because the ICE-lite
     * bridge learns addresses from the client's checks. Both must be conditional (§4.3.1):
     * {@code If-Match} with the current ETag, or {@code *} (what a client restarting ICE sends);
     * none is 428, another ICE session's tag 412.
     */
    void restartIce(Context ctx) {
        Principal p = Authentication.caller(ctx);
        endedOwnEndpoint(ctx, p).filter(e -> e.reason() == SessionMedia.EndedEndpoint.Reason.REPLACED).ifPresent(e -> {
            // the page that lost its endpoint to a newer one must stop, not post again and take it back
            throw ApiException.gone("This endpoint was replaced: the same room or account opened the session elsewhere");
        });
        MediaParticipant participant = ownParticipant(ctx, p);
        JsonBody.requireContentType(ctx, SDP_FRAGMENT);
        String fragment = ctx.body();
        // One PATCH at a time per endpoint, so the ICE session checked is the one a restart replaces;
        // the participant is the one instance the media side keeps for this endpoint.
        synchronized (participant) {
            SessionMedia.IceSessionState current = media.iceSession(participant.endpointId())
                    .orElseThrow(() -> DomainErrors.notFound("Endpoint " + participant.endpointId()));
            requireIceSession(ctx.header("If-Match"), current.tag());
            boolean restart = SessionMedia.iceUfrag(fragment).filter(ufrag -> !ufrag.equals(current.clientUfrag())).isPresent();
            if (!restart) {
                ctx.status(204).header("ETag", current.tag()).header("Access-Control-Expose-Headers", "ETag");
                return;
            }
            if (!fragment.contains("a=ice-pwd:")) {
                throw DomainErrors.badRequest("An ICE restart fragment needs a=ice-pwd with its new a=ice-ufrag",
                        new FieldError("body", "expected an a=ice-pwd line with the new a=ice-ufrag"));
            }
            try {
                SessionMedia.IceRestart restarted = media.restartIce(participant, fragment)
                        .orElseThrow(() -> DomainErrors.notFound("Endpoint " + participant.endpointId()));
                audited(ctx, p, "media.ice_restart", participant.endpointId());
                ctx.status(200).header("ETag", restarted.iceSessionTag()).header("Access-Control-Expose-Headers", "ETag")
                        .contentType(SDP_FRAGMENT).result(restarted.answerFragment());
            } catch (IllegalArgumentException e) {
                throw DomainErrors.badRequest("The ICE restart fragment is not usable: " + e.getMessage(),
                        new FieldError("body", e.getMessage()));
            } catch (ConferenceClosedException e) {
                throw DomainErrors.conflict("The endpoint has closed; start a new session with POST");
            }
        }
    }

    /** The room a join token or an operator acts for goes in the entry too: the session record names who shared. */
    private void audited(Context ctx, Principal p, String action, String endpointId) {
        java.util.Map<String, String> detail = p.roomCode().map(room -> java.util.Map.of("endpoint", endpointId, "room", room))
                .orElse(java.util.Map.of("endpoint", endpointId));
        audit.record(p, ctx.ip(), action, "session", ctx.pathParam("session"), detail);
    }

    /** RFC 9110 §13.1.1 with a strong comparison: {@code *}, or a list naming the current tag. */
    private static void requireIceSession(String ifMatch, String currentTag) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw DomainErrors.preconditionRequired("PATCH needs If-Match: the ETag of the ICE session (from the 201 or the last"
                    + " restart), or * for an ICE restart");
        }
        if (ifMatch.trim().equals("*")) {
            return;
        }
        for (String tag : ifMatch.split(",")) {
            if (tag.trim().equals(currentTag)) {
                return;
            }
        }
        throw DomainErrors.preconditionFailed("If-Match names an ICE session that is no longer current; the current one is "
                + currentTag);
    }

    private MediaParticipant ownParticipant(Context ctx, Principal p) {
        long sessionId = sessionId(ctx);
        joinTokens.requireSession(ctx, p, sessionId);
        MediaParticipant participant = media.participant(sessionId, ctx.pathParam("endpoint"))
                .orElseThrow(() -> DomainErrors.notFound("Endpoint " + ctx.pathParam("endpoint")));
        boolean host = sessions.access().isHost(p, sessions.get(sessionId));
        if (!host && !participant.username().equals(p.username())) {
            throw DomainErrors.forbidden("This endpoint belongs to someone else");
        }
        return participant;
    }

    /** The session, which a room may use only when invited (the hosting room always is). */
    private ReceptionSession session(Context ctx, Principal p) {
        long id = sessionId(ctx);
        joinTokens.requireSession(ctx, p, id);
        ReceptionSession session = sessions.getFor(p, id);
        p.roomCode().ifPresent(room -> {
            if (!room.equals(session.hostRoomCode()) && !sessions.isInvited(id, room)) {
                throw DomainErrors.forbidden("Room " + room + " is not invited to session " + id);
            }
        });
        return session;
    }

    private static long sessionId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("session"));
        } catch (NumberFormatException e) {
            throw DomainErrors.notFound("Session " + ctx.pathParam("session"));
        }
    }

    private static void requireState(ReceptionSession session, SessionState... allowed) {
        for (SessionState s : allowed) {
            if (session.state() == s) {
                return;
            }
        }
        throw DomainErrors.conflict("Session " + session.id() + " is " + session.state() + "; media needs it "
                + java.util.Arrays.toString(allowed));
    }

    private static String offer(Context ctx) {
        JsonBody.requireContentType(ctx, SDP);
        String body = ctx.body();
        if (body.isBlank() || !body.startsWith("v=0")) {
            throw DomainErrors.badRequest("The body is not an SDP offer", new FieldError("body", "expected an SDP offer starting with v=0"));
        }
        return body;
    }

    /**
     * 201 with the answer, the resource, the ICE session's ETag and one {@code Link} per configured
     * ICE server. An offer the bridge cannot serve (no common codec, no BUNDLE, no DTLS fingerprint,
     * ...) is 422 naming the reason under the field {@code body}; an unparsable one is 400. Either
     * way no endpoint is left behind: the bridge validates the offer before it creates one.
     */
    private void answer(Context ctx, Principal p, String prefix, long sessionId, java.util.function.Supplier<SdpAnswerResult> join,
                        String auditAction) {
        SdpAnswerResult result;
        try {
            result = join.get();
        } catch (UnsupportedOfferException e) {
            if (UnsupportedOfferException.MALFORMED.equals(e.getMessage())) {
                throw DomainErrors.badRequest("The body is not an SDP offer: " + e.getMessage(),
                        new FieldError("body", e.getMessage()));
            }
            throw DomainErrors.invalid("body", e.getMessage());
        } catch (ConferenceClosedException e) {
            throw DomainErrors.conflict("The session's media has closed");} catch (BridgeUnavailableException e) {
            // a bridge died or none can take the endpoint now: the client's retry lands on a live one
            throw ApiException.unavailable("No media bridge can take the stream now; try again", 1);
        }
        audited(ctx, p, auditAction, result.endpointId());
        ctx.status(201)
                .header("Location", prefix + sessionId + "/" + result.endpointId())
                .header("Access-Control-Expose-Headers", "Location, ETag, Link");
        media.iceSession(result.endpointId()).ifPresent(ice -> ctx.header("ETag", ice.tag()));
        for (IceServer server : iceServers) {
            ctx.res().addHeader("Link", server.minted() && turnSecret.isPresent()
                    ? mintedLink(server, TurnCredentials.mint(turnSecret.get(), p.username(), clock.instant()))
                    : iceServerLink(server));
        }
        ctx.contentType(SDP).result(result.sdpAnswer());
        media.answerSent(result.endpointId());
    }

    /** RFC 9725 §4.6: {@code <uri>; rel="ice-server"}, with the TURN credential as quoted parameters. */
    static String iceServerLink(IceServer server) {
        StringBuilder link = new StringBuilder("<").append(server.url()).append(">; rel=\"ice-server\"");
        server.username().ifPresent(u -> link.append("; username=").append(quoted(u)));
        server.credential().ifPresent(c -> link.append("; credential=").append(quoted(c)).append("; credential-type=\"password\""));
        return link.toString();
    }

    /** A TURN server's link with this client's own short-lived credential. */
    static String mintedLink(IceServer server, TurnCredentials.Credential credential) {
        return iceServerLink(new IceServer(server.url(), java.util.Optional.of(credential.username()),
                java.util.Optional.of(credential.credential())));
    }

    /** An RFC 9110 quoted-string: backslash before {@code "} and {@code \}. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
