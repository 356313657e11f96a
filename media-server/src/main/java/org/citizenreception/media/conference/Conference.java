package org.citizenreception.media.conference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.citizenreception.media.rtcp.DominantSpeakerDetector;
import org.citizenreception.media.rtcp.KeyframeRequestLimiter;
import org.citizenreception.media.rtcp.LinkFloorApp;
import org.citizenreception.media.sdp.AnswerBuilder;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.sdp.NegotiatedMedia;
import org.citizenreception.media.sdp.Offer;
import org.citizenreception.media.sdp.RtpExtensions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live session's media: its endpoints and its {@link Stage}. Created and owned by the bridge.
 *
 * <p>A publisher ({@link #publish}) puts its first audio and first video m-line on a stage slot;
 * whoever was in the slot is taken off (the floor moved) without any viewer renegotiating. A
 * viewer ({@link #subscribe}) receives the program (the {@code main} slot) on its first audio and
 * video m-lines, the {@code guest} slot on a second pair and the {@code content} slot (a shared
 * screen) on a third if it offers them: sharing starts and stops with no viewer renegotiating.
 */
public final class Conference implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Conference.class);
    private static final String CNAME = "citizen-reception-bridge";
    /**
     * Where a room's sender taking the floor starts its estimate (kbit/s), unless the configured
     * publisher bitrate is lower: well above libwebrtc's 300 kbit/s default, from which a sender
     * crept up at 8 % a second, yet below the ceiling a commune's line may not carry.
     */
    static final int GUEST_START_KBPS = 1_500;

    private final String id;
    private final BridgeContext context;
    private final Runnable onClose;
    private final Stage stage = new Stage();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The recorder's subscriptions, one per slot at most (a restarted muxer replaces its slot's). */
    private final Map<SlotName, SlotRecording> recordings = new ConcurrentHashMap<>();
    /** Shared by every source of the conference; synchronized inside, rarely called. */
    private final KeyframeRequestLimiter keyframes;
    /** Hysteresis: a challenger must be 6 dB louder for 1.5 s, so a cough does not take the picture. */
    private final DominantSpeakerDetector speakers;
    private volatile String dominantSpeaker;
    /** The slot program-only viewers receive: MAIN, or the dominant speaker's slot when configured. */
    private volatile SlotName programSlot = SlotName.MAIN;
    /** The cascade link this conference is fed from, or null at the root (or with no cascade). */
    private volatile CascadeLink upstreamLink;

    Conference(String id, BridgeContext context, Runnable onClose) {
        this.id = id;
        this.context = context;
        this.onClose = onClose;
        this.keyframes = new KeyframeRequestLimiter(
                Math.max(1, context.keyframeRequestIntervalNanos() / 1_000_000), context.nanoClock());
        this.speakers = new DominantSpeakerDetector(1500, 6.0, context.nanoClock());
    }

    /** Creates a conference; for the bridge. */
    public static Conference create(String id, BridgeContext context, Runnable onClose) {
        return new Conference(id, context, onClose);
    }

    public String id() {
        return id;
    }

    public Stage stage() {
        return stage;
    }

    public Optional<Endpoint> endpoint(String endpointId) {
        return Optional.ofNullable(endpoints.get(endpointId));
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    /**
     * A WHIP publisher: answers {@code sdpOffer} and puts its audio and video in {@code slot}.
     *
     * @throws org.citizenreception.media.sdp.UnsupportedOfferException when the offer cannot be served
     * @throws IllegalArgumentException when {@code endpointId} is already in the conference
     */
    public SdpAnswerResult publish(String endpointId, String sdpOffer, SlotName slot) {
        return publish(endpointId, sdpOffer, slot, null);
    }

    /** As {@link #publish(String, String, SlotName)}; a null {@code slot} places the sources nowhere yet. */
    private SdpAnswerResult publish(String endpointId, String sdpOffer, SlotName slot, String linkId) {
        ensureOpen();
        Offer offer = Offer.parse(sdpOffer);
        Endpoint endpoint = register(endpointId, Endpoint.Role.PUBLISHER, offer, linkId);
        for (MediaKind kind : MediaKind.values()) {
            offer.served(kind).stream().filter(NegotiatedMedia::offererSends).findFirst().ifPresent(m -> {
                if (kind == MediaKind.VIDEO && m.sendRids().size() > 1) {
                    stage.slot(slot, kind).place(publishLayers(endpoint, m));
                    return;
                }
                int ssrc = m.ssrcs().isEmpty() ? 0 : m.ssrcs().get(0).intValue();
                Long rtx = m.ssrcs().isEmpty() ? null : m.rtxSsrcs().get(m.ssrcs().get(0));
                Source source = new Source(endpoint, kind, ssrc, rtx == null ? 0 : rtx.intValue(), m.payloadType(), m.codecName(),
                        m.extensionId(RtpExtensions.AUDIO_LEVEL), keyframes);
                endpoint.addSource(source);
                if (slot != null) {
                    stage.slot(slot, kind).place(source);
                }
            });
        }
        if (slot == SlotName.CONTENT) {
            // A share replaces the previous one whole: a window shared without sound must not carry on
            // the sound of the tab shared before it.
            for (MediaKind kind : MediaKind.values()) {
                if (offer.served(kind).stream().noneMatch(NegotiatedMedia::offererSends)) {
                    stage.slot(slot, kind).place(null);
                }
            }
        }
        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(endpoint.localIce(),
                context.certificate().fingerprint(), context.candidates(), true,
                java.util.Set.of(RtpExtensions.AUDIO_LEVEL, RtpExtensions.ABS_SEND_TIME, RtpExtensions.MID,
                        RtpExtensions.TRANSPORT_WIDE_CC, RtpExtensions.RTP_STREAM_ID, RtpExtensions.REPAIRED_RTP_STREAM_ID),
                java.util.Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"), Map.of(), CNAME, true,
                publisherSenderBitrates(slot == null ? SlotName.GUEST : slot), context.tcpCandidates()));
        log.info("{} {} publishes into {}", id, endpointId, slot == null ? "no slot yet" : slot.streamId());
        return new SdpAnswerResult(endpointId, answer);
    }

    /**
     * A simulcast video m-line (RFC 8853, rids lowest layer first): a {@link Source} per layer, each
     * with its own SSRC learnt from the rid extension of its first packet; returns the top layer,
     * which stands for the group in the slot.
     */
    private Source publishLayers(Endpoint endpoint, NegotiatedMedia m) {
        List<Source> layers = new ArrayList<>();
        for (String rid : m.sendRids()) {
            Source layer = new Source(endpoint, MediaKind.VIDEO, 0, 0, m.payloadType(), m.codecName(), -1, keyframes, rid);
            layers.add(layer);
        }
        SimulcastLayers group = new SimulcastLayers(layers);
        endpoint.learnLayersFrom(m.extensionId(RtpExtensions.RTP_STREAM_ID), m.extensionId(RtpExtensions.REPAIRED_RTP_STREAM_ID));
        for (Source layer : layers) {
            layer.joinLayers(group);
            endpoint.addSource(layer);
        }
        log.info("{} {} publishes {} simulcast layers {}", id, endpoint.id(), layers.size(), m.sendRids());
        return group.top();
    }

    /**
     * The host's sender (the main slot) starts its estimate at the configured publisher bitrate, its
     * ceiling too. libwebrtc picks the encoder's first resolution from the start bitrate and drops the
     * first frames to a smaller one when the start is low; from there it climbs one step at a time,
     * each after seconds of low quantisers. Measured with Chromium 156 (HostFastStartIT, 1280x720
     * camera, VP8, no degradation preference): started at 1,500-2,200 kbit/s it sent 640x360 from its
     * first frame and 1280x720 only after 8-15 s, even where its estimate passed 2 Mbit/s within half
     * a second; started at 2,500 it sent 1280x720 from its first frame in most runs. The host is at
     * the provincial office on a line that carries this; a room that takes the floor (the guest slot)
     * is on a commune's line, where a start above what the line carries would cost the first seconds
     * in loss and delay, so it keeps the more modest start; so does a shared screen (the content slot),
     * which the room on the floor may be the one sending.
     */
    private AnswerBuilder.SenderBitrates publisherSenderBitrates(SlotName slot) {
        int maxKbps = (int) Math.max(1, context.publisherBitrateBps() / 1000);
        int startKbps = slot == SlotName.MAIN ? maxKbps : Math.min(GUEST_START_KBPS, maxKbps);
        return new AnswerBuilder.SenderBitrates(startKbps, maxKbps);
    }

    /**
     * A WHEP viewer: answers {@code sdpOffer} with fixed SSRCs for the program (main slot), plus
     * the guest slot on a second audio/video pair and the content slot on a third when offered.
     */
    public SdpAnswerResult subscribe(String endpointId, String sdpOffer) {
        long offerReceivedNanos = context.nanoClock().getAsLong();
        SdpAnswerResult answer = subscribe(endpointId, sdpOffer, offerReceivedNanos);
        endpoint(endpointId).ifPresent(e -> e.joinTimeline().reach(JoinTimeline.Milestone.ANSWER_SENT));
        return answer;
    }

    /**
     * As {@link #subscribe(String, String)}, for an embedding application that measures the join
     * from its own request: {@code offerReceivedNanos} (the bridge's clock) starts the viewer's
     * {@link JoinTimeline}, and the application reaches {@link JoinTimeline.Milestone#ANSWER_SENT}
     * itself once its response is ready.
     */
    public SdpAnswerResult subscribe(String endpointId, String sdpOffer, long offerReceivedNanos) {
        return subscribe(endpointId, sdpOffer, offerReceivedNanos, null);
    }

    private SdpAnswerResult subscribe(String endpointId, String sdpOffer, long offerReceivedNanos, String linkId) {
        ensureOpen();
        Offer offer = Offer.parse(sdpOffer);
        Endpoint endpoint = register(endpointId, Endpoint.Role.VIEWER, offer, linkId);
        endpoint.joinTimeline().reach(JoinTimeline.Milestone.OFFER_RECEIVED, offerReceivedNanos);
        Map<String, AnswerBuilder.LocalStream> streams = new java.util.HashMap<>();
        for (MediaKind kind : MediaKind.values()) {
            List<NegotiatedMedia> lines = new ArrayList<>(offer.served(kind).stream()
                    .filter(NegotiatedMedia::offererReceives).toList());
            boolean programOnly = lines.size() == 1;
            for (int i = 0; i < lines.size() && i < SlotName.values().length; i++) {
                NegotiatedMedia m = lines.get(i);
                SlotName slotName = programOnly ? programSlot : SlotName.values()[i];
                Subscription subscription = new Subscription(endpoint, stage.slot(slotName, kind), m.payloadType(),
                        m.rtxPayloadType(), m.clockRate(), programOnly, m.extensionId(RtpExtensions.ABS_SEND_TIME),
                        m.extensionId(RtpExtensions.TRANSPORT_WIDE_CC));
                endpoint.addSubscription(subscription);
                streams.put(m.mid(), new AnswerBuilder.LocalStream(subscription.outgoingSsrc(), subscription.outgoingRtxSsrc(),
                        slotName.streamId(), slotName.streamId() + "-" + kind.sdpName()));
            }
        }
        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(endpoint.localIce(),
                context.certificate().fingerprint(), context.candidates(), false,
                java.util.Set.of(RtpExtensions.ABS_SEND_TIME, RtpExtensions.TRANSPORT_WIDE_CC),
                java.util.Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"), streams, CNAME, true, null, context.tcpCandidates()));
        log.info("{} {} subscribes to {} streams", id, endpointId, streams.size());
        return new SdpAnswerResult(endpointId, answer);
    }

    /**
     * Gives the floor: puts the publishing endpoint's audio and video into the {@code guest} slot
     * (null empties it). Viewers keep their SSRCs; video switches at the new source's next
     * keyframe, which is requested now. No SDP is renegotiated.
     *
     * @throws IllegalArgumentException when no publishing endpoint has that id
     */
    public void setGuest(String endpointIdOrNull) {
        ensureOpen();
        CascadeLink link = upstreamLink;
        if (endpointIdOrNull == null) {
            if (link != null) {
                // a bridge below another has no floor of its own to empty: its guest slot shows the root's
                followUpstreamGuestNow();
                return;
            }
            stage.slot(SlotName.GUEST, MediaKind.AUDIO).place(null);
            stage.slot(SlotName.GUEST, MediaKind.VIDEO).place(null);
            log.info("{} guest slot emptied", id);
            context.transport().eventLoop().execute(() -> moveProgram(SlotName.MAIN));
            announceFloor();
            return;
        }
        Endpoint endpoint = endpoints.get(endpointIdOrNull);
        if (endpoint == null || !endpoint.isPublisher() || endpoint.isLinkClient()) {
            throw new IllegalArgumentException("endpointIdOrNull names no publishing endpoint of conference " + id
                    + ": " + endpointIdOrNull);
        }
        for (Source source : endpoint.sources()) {
            if (source.layers() != null && source.layers().top() != source) {
                continue; // the top layer stands for its group
            }
            stage.slot(SlotName.GUEST, source.kind()).place(source);
        }
        log.info("{} floor given to {}", id, endpointIdOrNull);
        announceFloor();
        if (link != null) {
            link.requestFloor();
        }
    }

    /**
     * Cascades this conference from an upstream bridge's: opens link {@code linkId} (see
     * {@link CascadeLink}), whose streams then fill this conference's main and guest slots. One
     * upstream link per conference; any number of links may cascade from this one in turn.
     *
     * @throws IllegalStateException when this conference already has an upstream link
     */
    public CascadeLink linkUpstream(String linkId, CascadeUpstream upstream, LinkSockets sockets) {
        ensureOpen();
        if (linkId == null || linkId.isBlank() || linkId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("linkId must be non-blank and without ':': " + linkId);
        }
        synchronized (this) {
            if (upstreamLink != null) {
                throw new IllegalStateException("conference " + id + " already has an upstream link: " + upstreamLink.id());
            }
            CascadeLink link = CascadeLink.open(linkId, this, context, upstream, sockets);
            upstreamLink = link;
            link.followUpstreamGuest();
            return link;
        }
    }

    /** The link this conference is cascaded from, if any. */
    public Optional<CascadeLink> upstreamLink() {
        return Optional.ofNullable(upstreamLink);
    }

    /**
     * The upstream end of a cascade link from another bridge: {@code downOffer} is served as a
     * viewer of every slot, {@code upOffer} as a publisher in no slot until the floor is given to
     * it (by {@link #setGuest} with its id, or by the downstream bridge's request over the link).
     */
    public CascadeUpstream.Answers acceptLink(String linkId, String downOffer, String upOffer) {
        if (linkId == null || linkId.isBlank() || linkId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("linkId must be non-blank and without ':': " + linkId);
        }
        SdpAnswerResult down = subscribe(CascadeLink.endpointId(linkId, "down"), downOffer,
                context.nanoClock().getAsLong(), linkId);
        SdpAnswerResult up;
        try {
            up = publish(CascadeLink.endpointId(linkId, "up"), upOffer, null, linkId);
        } catch (RuntimeException e) {
            endpoint(down.endpointId()).ifPresent(Endpoint::close);
            throw e;
        }
        log.info("{} accepted cascade link {}", id, linkId);
        return new CascadeUpstream.Answers(down.sdpAnswer(), up.sdpAnswer());
    }

    /** Closes the upstream end of link {@code linkId}; idempotent. */
    public void closeLink(String linkId) {
        endpoint(CascadeLink.endpointId(linkId, "down")).ifPresent(Endpoint::close);
        endpoint(CascadeLink.endpointId(linkId, "up")).ifPresent(Endpoint::close);
    }

    void linkClosed(CascadeLink link) {
        synchronized (this) {
            if (upstreamLink == link) {
                upstreamLink = null;
            }
        }
    }

    /** A downstream bridge asks for the floor over its link (event loop): granted, the newest request wins. */
    void linkFloorRequested(Endpoint linkUp) {
        if (closed.get() || linkUp.isClosed()) {
            return;
        }
        log.info("{} cascade link {} asks for the floor", id, linkUp.linkId());
        setGuest(linkUp.id());
    }

    /** The upstream bridge says whether its guest slot carries what this bridge sent up (event loop). */
    void upstreamFloorState(boolean yours) {
        CascadeLink link = upstreamLink;
        if (link != null) {
            link.floorState(yours);
        }
    }

    /** The guest slot shows what comes down the upstream link again; links below are told. */
    void followUpstreamGuestNow() {
        CascadeLink link = upstreamLink;
        if (link == null) {
            return;
        }
        link.followUpstreamGuest();
        log.info("{} guest slot follows upstream link {}", id, link.id());
        announceFloor();
    }

    /**
     * Tells every link below this bridge whether the guest slot now carries what it sent up, on the
     * event loop (SRTCP contexts live there). Also each second from {@link #tick}, so a lost packet
     * costs a second.
     */
    private void announceFloor() {
        context.transport().eventLoop().execute(this::announceFloorNow);
    }

    private void announceFloorNow() {
        Source guest = stage.slot(SlotName.GUEST, MediaKind.VIDEO).source();
        if (guest == null) {
            guest = stage.slot(SlotName.GUEST, MediaKind.AUDIO).source();
        }
        String guestLink = guest == null ? null : guest.owner().linkId();
        for (Endpoint endpoint : endpoints.values()) {
            if (endpoint.linkId() != null && !endpoint.isLinkClient() && !endpoint.isPublisher()) {
                endpoint.sendLinkFloor(LinkFloorApp.STATE, endpoint.linkId().equals(guestLink));
            }
        }
    }

    Source newSource(Endpoint owner, MediaKind kind, int ssrc, int rtxSsrc, int payloadType, String codecName,
                     int audioLevelExtensionId) {
        return new Source(owner, kind, ssrc, rtxSsrc, payloadType, codecName, audioLevelExtensionId, keyframes);
    }

    long nanoClock() {
        return context.nanoClock().getAsLong();
    }

    /**
     * The recorder subscribes to {@code slot}: its audio and video, rewritten like a viewer's and
     * unencrypted, go as RTP to {@code audioRtp} and {@code videoRtp} (loopback, a muxer's ports),
     * sender reports to each port + 1. A recording of the same slot already running is closed first.
     * The slot's source is asked for a keyframe so video starts at once.
     */
    public SlotRecording record(SlotName slot, java.net.InetSocketAddress audioRtp, java.net.InetSocketAddress videoRtp) {
        ensureOpen();
        SlotRecording recording = new SlotRecording(slot, stage, context, audioRtp, videoRtp);
        SlotRecording replaced = recordings.put(slot, recording);
        if (replaced != null && replaced != recording) {
            replaced.close();
        }
        log.info("{} recording the {} slot to {} and {}", id, slot.streamId(), audioRtp, videoRtp);
        return recording;
    }

    /** The publishing endpoint heard loudest (audio level), or null. */
    public String dominantSpeaker() {
        return dominantSpeaker;
    }

    void audioLevel(Source source, int rawLevel) {
        speakers.onAudioLevel(source.ssrc(), rawLevel);
    }

    void sourceClosed(Source source) {
        speakers.remove(source.ssrc());
        if (stage.slot(SlotName.GUEST, MediaKind.AUDIO).source() == source) {
            context.transport().eventLoop().execute(() -> moveProgram(SlotName.MAIN));
        }
    }

    private void updateDominantSpeaker() {
        if (!speakers.update() || !speakers.hasDominantSpeaker()) {
            return;
        }
        int ssrc = speakers.dominantSpeakerSsrc();
        for (Endpoint endpoint : endpoints.values()) {
            for (Source source : endpoint.sources()) {
                if (source.ssrc() == ssrc && !source.isVideo()) {
                    dominantSpeaker = endpoint.id();
                    log.info("{} dominant speaker is now {}", id, endpoint.id());
                    context.listener().dominantSpeakerChanged(id, endpoint.id());
                    if (context.programFollowsDominantSpeaker()) {
                        SlotName slot = stage.slot(SlotName.GUEST, MediaKind.AUDIO).source() == source ? SlotName.GUEST : SlotName.MAIN;
                        moveProgram(slot);
                    }
                    return;
                }
            }
        }
    }

    /** Points every program-only viewer at {@code slot}. Event loop. */
    private void moveProgram(SlotName slot) {
        if (programSlot == slot) {
            return;
        }
        programSlot = slot;
        log.info("{} program now shows the {} slot", id, slot.streamId());
        for (Endpoint endpoint : endpoints.values()) {
            for (Subscription subscription : endpoint.subscriptions()) {
                if (subscription.isProgram()) {
                    subscription.moveTo(stage.slot(slot, subscription.slot().kind()));
                }
            }
        }
    }

    private Endpoint register(String endpointId, Endpoint.Role role, Offer offer, String linkId) {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("endpointId must be non-blank");
        }
        return addLinkEndpoint(new Endpoint(endpointId, this, context, role, offer,
                org.citizenreception.media.ice.IceCredentials.random(), linkId, false));
    }

    /** Adds an endpoint built elsewhere (a cascade link's own end); for {@link #register} too. */
    Endpoint addLinkEndpoint(Endpoint endpoint) {
        String endpointId = endpoint.id();
        if (endpoints.putIfAbsent(endpointId, endpoint) != null) {
            endpoint.close("duplicate id");
            throw new IllegalArgumentException("endpointId already in conference " + id + ": " + endpointId);
        }
        if (closed.get()) {
            endpoint.close("conference closed");
            throw new ConferenceClosedException("conference " + id + " is closed");
        }
        return endpoint;
    }

    void endpointClosed(Endpoint endpoint) {
        endpoints.remove(endpoint.id(), endpoint);
    }

    /** Once a second from the bridge, on the event loop. */
    public void tick(long nowNanos, boolean statsDue) {
        for (Endpoint endpoint : endpoints.values()) {
            endpoint.tick(nowNanos, statsDue);
        }
        for (SlotRecording recording : recordings.values()) {
            recording.sendSenderReports();
        }
        announceFloorNow();
    }

    /** Every 100 ms from the bridge, on the event loop: owed keyframe requests, dominant speaker. */
    public void fastTick() {
        CascadeLink link = upstreamLink;
        if (link != null) {
            link.fastTick(context.nanoClock().getAsLong());
        }
        long now = context.nanoClock().getAsLong();
        for (Endpoint endpoint : endpoints.values()) {
            if (endpoint.isPublisher()) {
                endpoint.fastTick();
            } else {
                endpoint.viewerFastTick(now);
            }
        }
        updateDominantSpeaker();
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new ConferenceClosedException("conference " + id + " is closed");
        }
    }

    /** Closes every endpoint, then itself. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CascadeLink link = upstreamLink;
        if (link != null) {
            link.close();
        }
        for (Endpoint endpoint : endpoints.values()) {
            endpoint.close("conference closed");
        }
        recordings.values().forEach(SlotRecording::close);
        onClose.run();
        log.info("{} closed", id);
    }
}
