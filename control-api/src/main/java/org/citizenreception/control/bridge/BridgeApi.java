package org.citizenreception.control.bridge;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.Problem;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.media.ConferenceBridge;
import org.citizenreception.control.media.EmbeddedConferenceBridge;
import org.citizenreception.control.media.EndpointPlacement;
import org.citizenreception.control.media.SlotFeed;
import org.citizenreception.media.conference.CascadeUpstream;
import org.citizenreception.media.conference.ConferenceClosedException;
import org.citizenreception.media.conference.SdpAnswerResult;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.sdp.UnsupportedOfferException;

/**
 * The standalone bridge's HTTP API: what control-api does in-process with the embedded bridge, as
 * routes. Every request carries a {@link BridgeToken} for this bridge (401 problem+json otherwise,
 * before anything is read); bad input is 400 naming the field; an offer the bridge cannot serve is
 * 422 under {@code offer}. Nothing here knows sessions or rooms: conferences and endpoints are named
 * by control-api.
 */
public final class BridgeApi implements RouteModule {
    public static final String PREFIX = "/bridge/v1";

    private final String bridgeId;
    private final BridgeToken tokens;
    private final EmbeddedConferenceBridge bridge;
    private final Clock clock;
    private final Map<String, SlotFeed> recordings = new ConcurrentHashMap<>();

    public BridgeApi(String bridgeId, BridgeToken tokens, EmbeddedConferenceBridge bridge, Clock clock) {
        this.bridgeId = bridgeId;
        this.tokens = tokens;
        this.bridge = bridge;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before(PREFIX + "/*", this::authenticate);
        String conference = PREFIX + "/conferences/{conference}";
        routes.get(conference, this::conferenceStatus);
        routes.put(conference, ctx -> ctx.status(bridge.openConference(ctx.pathParam("conference")) ? 201 : 204));
        routes.delete(conference, ctx -> {
            bridge.closeConference(ctx.pathParam("conference"));
            ctx.status(204);
        });
        routes.post(conference + "/endpoints", this::createEndpoint);
        routes.patch(conference + "/endpoints/{endpoint}", this::restartIce);
        routes.post(conference + "/endpoints/{endpoint}/answer-sent", ctx -> {
            bridge.answerSent(ctx.pathParam("conference"), ctx.pathParam("endpoint"));
            ctx.status(204);
        });
        routes.delete(conference + "/endpoints/{endpoint}", ctx ->
                ctx.status(bridge.closeEndpoint(ctx.pathParam("conference"), ctx.pathParam("endpoint")) ? 204 : 404));
        routes.put(conference + "/endpoints/{endpoint}/layer", this::pinLayer);
        routes.get(conference + "/endpoints/{endpoint}/layer", this::layer);
        routes.put(conference + "/guest", this::setGuest);
        routes.post(conference + "/links/{link}", this::acceptLink);
        routes.delete(conference + "/links/{link}", ctx -> {
            if (!bridge.closeLink(ctx.pathParam("conference"), ctx.pathParam("link"))) {
                throw ApiException.notFound("Conference " + ctx.pathParam("conference"));
            }
            ctx.status(204);
        });
        routes.put(conference + "/upstream", this::linkUpstream);
        routes.delete(conference + "/upstream", ctx -> {
            if (!bridge.isOpen(ctx.pathParam("conference"))) {
                throw ApiException.notFound("Conference " + ctx.pathParam("conference"));
            }
            bridge.closeUpstream(ctx.pathParam("conference"));
            ctx.status(204);
        });
        routes.post(conference + "/recordings", this::record);
        routes.get(conference + "/recordings/{recording}", ctx -> ctx.json(status(ctx.pathParam("recording"), recording(ctx))));
        routes.post(conference + "/recordings/{recording}/keyframe", ctx -> {
            recording(ctx).requestKeyframe();
            ctx.status(204);
        });
        routes.delete(conference + "/recordings/{recording}", ctx -> {
            SlotFeed feed = recordings.remove(ctx.pathParam("recording"));
            if (feed != null) {
                feed.close();
            }
            ctx.status(204);
        });
    }

    private void authenticate(Context ctx) {
        Optional<String> caller = tokens.verify(BridgeToken.bearer(ctx.header("Authorization")), BridgeToken.TO_BRIDGE,
                clock.instant());
        if (caller.filter(bridgeId::equals).isEmpty()) {
            throw ApiException.unauthorized("A valid bridge token for " + bridgeId + " is required");
        }
    }

    private void conferenceStatus(Context ctx) {
        String id = ctx.pathParam("conference");
        if (!bridge.isOpen(id)) {
            throw ApiException.notFound("Conference " + id);
        }
        ctx.json(new BridgeWire.ConferenceStatus(id, true, bridge.mediaBridge().conference(id)
                .map(c -> c.endpoints().stream().map(e -> e.id()).toList()).orElse(java.util.List.of())));
    }

    private void createEndpoint(Context ctx) {
        long receivedNanos = System.nanoTime();
        BridgeWire.EndpointRequest request = JsonBody.read(ctx, BridgeWire.EndpointRequest.class);
        String endpointId = required("endpointId", request.endpointId());
        String offer = required("offer", request.offer());
        Optional<SlotName> slot = request.slot() == null ? Optional.empty() : Optional.of(slot("slot", request.slot()));
        String conference = ctx.pathParam("conference");
        SdpAnswerResult result;
        try {
            result = slot.isPresent()
                    ? bridge.publish(conference, endpointId, EndpointPlacement.anywhere(), offer, slot.get())
                    : bridge.subscribe(conference, endpointId, EndpointPlacement.anywhere(), offer, receivedNanos);
        } catch (UnsupportedOfferException e) {
            if (UnsupportedOfferException.MALFORMED.equals(e.getMessage())) {
                throw ApiException.badRequest("offer is not an SDP offer: " + e.getMessage(),
                        new Problem.FieldError("offer", e.getMessage()));
            }
            throw ApiException.invalid("offer cannot be served: " + e.getMessage(),
                    java.util.List.of(new Problem.FieldError("offer", e.getMessage())));
        } catch (ConferenceClosedException e) {
            throw ApiException.conflict("Conference " + conference + " has closed");
        } catch (IllegalArgumentException e) {
            throw badField("endpointId", e.getMessage());
        }
        ctx.status(201).json(new BridgeWire.EndpointAnswer(result.endpointId(), result.sdpAnswer()));
    }

    private void restartIce(Context ctx) {
        BridgeWire.IceRestartRequest request = JsonBody.read(ctx, BridgeWire.IceRestartRequest.class);
        String fragment = required("fragment", request.fragment());
        Optional<String> answer;
        try {
            answer = bridge.restartIce(ctx.pathParam("conference"), ctx.pathParam("endpoint"), fragment);
        } catch (IllegalArgumentException e) {
            throw badField("fragment", e.getMessage());
        } catch (ConferenceClosedException e) {
            answer = Optional.empty();
        }
        ctx.json(new BridgeWire.IceRestartAnswer(answer.orElseThrow(() -> ApiException.notFound("Endpoint " + ctx.pathParam("endpoint")))));
    }

    private void pinLayer(Context ctx) {
        BridgeWire.LayerRequest request = JsonBody.read(ctx, BridgeWire.LayerRequest.class);
        if (request.layer() == null || request.layer() < -1) {
            throw badField("layer", "must be a layer index (0 the lowest) or -1 for none");
        }
        if (!bridge.hasEndpoint(ctx.pathParam("conference"), ctx.pathParam("endpoint"))) {
            throw ApiException.notFound("Endpoint " + ctx.pathParam("endpoint"));
        }
        bridge.pinLayer(ctx.pathParam("conference"), ctx.pathParam("endpoint"), request.layer());
        ctx.status(204);
    }

    private void layer(Context ctx) {
        ConferenceBridge.LayerReading reading = bridge.layerOf(ctx.pathParam("conference"), ctx.pathParam("endpoint"))
                .orElseThrow(() -> ApiException.notFound("Endpoint " + ctx.pathParam("endpoint")));
        ctx.json(new BridgeWire.LayerReading(reading.layer().isPresent() ? reading.layer().getAsInt() : null,
                reading.estimateBps()));
    }

    /** The upstream end of a cascade link a downstream bridge opens (see {@link HttpCascadeUpstream}). */
    private void acceptLink(Context ctx) {
        String conference = ctx.pathParam("conference");
        String linkId = linkId("link", ctx.pathParam("link"));
        BridgeWire.LinkRequest request = JsonBody.read(ctx, BridgeWire.LinkRequest.class);
        required("downOffer", request.downOffer());
        required("upOffer", request.upOffer());
        String downOffer = offer("downOffer", request.downOffer());
        String upOffer = offer("upOffer", request.upOffer());
        if (!bridge.isOpen(conference)) {
            throw ApiException.notFound("Conference " + conference);
        }
        CascadeUpstream.Answers answers;
        try {
            answers = bridge.acceptLink(conference, linkId, downOffer, upOffer)
                    .orElseThrow(() -> ApiException.notFound("Conference " + conference));
        } catch (UnsupportedOfferException e) {
            throw ApiException.invalid("a link offer cannot be served: " + e.getMessage(),
                    java.util.List.of(new Problem.FieldError("downOffer", e.getMessage())));
        } catch (ConferenceClosedException e) {
            throw ApiException.conflict("Conference " + conference + " has closed");
        } catch (IllegalArgumentException e) {
            throw badField("link", e.getMessage());
        }
        ctx.status(201).json(new BridgeWire.LinkAnswers(answers.down(), answers.up()));
    }

    /**
     * Control-api makes this bridge's conference (created if new) cascade from another bridge's: this
     * bridge opens the link itself, signing with the secret all bridges share. 204 once the link's
     * signalling is done (its ICE and DTLS go on in the background); 502 when the upstream bridge refused.
     */
    private void linkUpstream(Context ctx) {
        BridgeWire.UpstreamRequest request = JsonBody.read(ctx, BridgeWire.UpstreamRequest.class);
        String linkId = linkId("linkId", request.linkId());
        String upstreamId = required("upstreamBridgeId", request.upstreamBridgeId());
        if (!BridgeToken.BRIDGE_ID.matcher(upstreamId).matches() || upstreamId.equals(bridgeId)) {
            throw badField("upstreamBridgeId", "must be another bridge's id");
        }
        java.net.URI apiUrl = httpUrl("upstreamApiUrl", request.upstreamApiUrl());
        String conference = ctx.pathParam("conference");
        try {
            bridge.linkUpstream(conference, linkId, new HttpCascadeUpstream(conference, upstreamId, apiUrl, tokens, clock));
        } catch (ConferenceClosedException e) {
            throw ApiException.conflict("Conference " + conference + " has closed");
        } catch (RuntimeException e) {
            throw ApiException.badGateway("cascade link " + linkId + " to bridge " + upstreamId + " failed: " + e.getMessage());
        }
        ctx.status(204);
    }

    private static String offer(String field, String value) {
        required(field, value);
        try {
            org.citizenreception.media.sdp.Offer.parse(value);
        } catch (UnsupportedOfferException e) {
            throw badField(field, e.getMessage());
        }
        return value;
    }

    /** A link id names both of its endpoints ({@code link:<id>:down}): no ':' and nothing a path would mangle. */
    private static String linkId(String field, String value) {
        required(field, value);
        if (!BridgeToken.BRIDGE_ID.matcher(value).matches()) {
            throw badField(field, "letters, digits, '-' and '_' (at most 63)");
        }
        return value;
    }

    private static java.net.URI httpUrl(String field, String value) {
        required(field, value);
        try {
            java.net.URI uri = java.net.URI.create(value.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw badField(field, "must be an http:// or https:// URL");
        }
    }

    private void setGuest(Context ctx) {
        BridgeWire.GuestRequest request = JsonBody.read(ctx, BridgeWire.GuestRequest.class);
        try {
            bridge.setGuest(ctx.pathParam("conference"), request.endpointId());
        } catch (IllegalArgumentException e) {
            throw badField("endpointId", e.getMessage());
        }
        ctx.status(204);
    }

    private void record(Context ctx) {
        BridgeWire.RecordingRequest request = JsonBody.read(ctx, BridgeWire.RecordingRequest.class);
        SlotName slot = slot("slot", required("slot", request.slot()));
        InetSocketAddress audio = address("audioRtp", request.audioRtp());
        InetSocketAddress video = address("videoRtp", request.videoRtp());
        SlotFeed feed = bridge.record(ctx.pathParam("conference"), slot, audio, video)
                .orElseThrow(() -> ApiException.notFound("Conference " + ctx.pathParam("conference")));
        String id = UUID.randomUUID().toString();
        recordings.put(id, feed);
        ctx.status(201).json(status(id, feed));
    }

    private SlotFeed recording(Context ctx) {
        SlotFeed feed = recordings.get(ctx.pathParam("recording"));
        if (feed == null) {
            throw ApiException.notFound("Recording " + ctx.pathParam("recording"));
        }
        return feed;
    }

    private static BridgeWire.RecordingStatus status(String id, SlotFeed feed) {
        long last = feed.lastPacketNanos();
        long agoMillis = last == 0 ? -1 : Math.max(0, (System.nanoTime() - last) / 1_000_000);
        return new BridgeWire.RecordingStatus(id, feed.packetsSent(), feed.firstPacketUnixMillis(), feed.hasVideo(), agoMillis);
    }

    /** 400 problem+json naming the field. */
    private static ApiException badField(String field, String message) {
        return ApiException.badRequest(field + ": " + message, new Problem.FieldError(field, message));
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw badField(field, "is required");
        }
        return value;
    }

    private static SlotName slot(String field, String value) {
        try {
            return SlotName.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badField(field, "must be main, guest or content");
        }
    }

    /** {@code host:port} or {@code [v6]:port}. */
    static InetSocketAddress address(String field, String value) {
        if (value == null) {
            throw badField(field, "is required (host:port)");
        }
        int colon = value.lastIndexOf(':');
        try {
            String host = value.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(value.substring(colon + 1));
            if (host.isBlank() || port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
            return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (RuntimeException | java.net.UnknownHostException e) {
            throw badField(field, "must be host:port");
        }
    }
}
