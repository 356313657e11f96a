package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.citizenreception.media.ice.IceControllingChecks;
import org.citizenreception.media.ice.IceCredentials;
import org.citizenreception.media.rtcp.LinkFloorApp;
import org.citizenreception.media.sdp.LinkOffer;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.sdp.NegotiatedMedia;
import org.citizenreception.media.sdp.Offer;
import org.citizenreception.media.sdp.SessionDescription;
import org.citizenreception.media.sdp.UnsupportedOfferException;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.DatagramReceiver;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.UdpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This bridge's end of a cascade link to an upstream bridge's conference, owned by the local
 * conference it feeds. Two WebRTC transports (ICE, DTLS-SRTP, BUNDLE, rtcp-mux), each on its own
 * socket beside the bridge's port and on the bridge's event loop:
 * <ul>
 *   <li><b>down</b>: one subscription to every upstream stage slot, served upstream like any
 *   viewer's. Here it is a publishing {@link Endpoint} whose four {@link Source}s fill the local
 *   main and guest slots, so local viewers get what they get from a local publisher (fixed SSRCs,
 *   rewrite, RTX, fast start), NACKs are answered from this bridge's own history, only this
 *   bridge's losses on the link are NACKed upstream, and its viewers' keyframe requests are merged
 *   by the conference's limiter into one PLI up the link.</li>
 *   <li><b>up</b>: a viewer {@link Endpoint} of the local guest slot, published upstream into no slot
 *   until the upstream conference gives it the floor. It never carries the guest stream that came
 *   down this same link (see {@link Subscription#followSlot}).</li>
 * </ul>
 *
 * <p>Why sockets of its own rather than the bridge's port: the upstream bridge routes by the
 * sender's address, and a link has two transports (a viewer's and a publisher's, as any WHEP and
 * WHIP client would have); on one socket the second would take over the first's address. Being on
 * the bridge's event loop, the link's packets fan out to local viewers on the thread that owns them.
 *
 * <p>The floor: {@link Conference#setGuest} on this bridge asks up the link ({@link LinkFloorApp}
 * REQUEST, repeated until answered); the root decides, and each bridge tells its links below whether
 * the guest stream is theirs (STATE, each second). Told "not yours", this bridge's guest slot goes
 * back to what comes down the link.
 */
public final class CascadeLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CascadeLink.class);
    /** A floor request is sent again this often while unanswered, at most {@value #FLOOR_REQUEST_ATTEMPTS} times. */
    private static final long FLOOR_REQUEST_RETRY_NANOS = 300_000_000L;
    private static final int FLOOR_REQUEST_ATTEMPTS = 10;

    private final String id;
    private final Conference conference;
    private final CascadeUpstream upstream;
    private final UdpTransport downSocket;
    private final UdpTransport upSocket;
    private final IceControllingChecks downChecks;
    private final IceControllingChecks upChecks;
    private final Endpoint down;
    private final Endpoint up;
    private final Source guestAudio;
    private final Source guestVideo;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Removes the link's meters from /metrics. */
    private volatile AutoCloseable meters = () -> { };
    /** Event loop: an unanswered floor request, when it was last sent, and how many times. */
    private boolean floorRequested;
    private long floorRequestSentNanos;
    private int floorRequestsSent;

    private CascadeLink(String id, Conference conference, CascadeUpstream upstream, UdpTransport downSocket,
                        UdpTransport upSocket, IceControllingChecks downChecks, IceControllingChecks upChecks,
                        Endpoint down, Endpoint up, Source guestAudio, Source guestVideo) {
        this.id = id;
        this.conference = conference;
        this.upstream = upstream;
        this.downSocket = downSocket;
        this.upSocket = upSocket;
        this.downChecks = downChecks;
        this.upChecks = upChecks;
        this.down = down;
        this.up = up;
        this.guestAudio = guestAudio;
        this.guestVideo = guestVideo;
    }

    /**
     * Binds the two sockets, offers both transports upstream and builds them from the answers.
     * Connecting (ICE checks, then DTLS) goes on in the background; media flows once it has.
     */
    static CascadeLink open(String id, Conference conference, BridgeContext context, CascadeUpstream upstream,
                            LinkSockets sockets) {
        StunRelay downStun = new StunRelay();
        StunRelay upStun = new StunRelay();
        EndpointAddressTable downAddresses = new EndpointAddressTable();
        EndpointAddressTable upAddresses = new EndpointAddressTable();
        UdpTransport downSocket = sockets.bind(downStun, downAddresses);
        UdpTransport upSocket;
        try {
            upSocket = sockets.bind(upStun, upAddresses);
        } catch (RuntimeException e) {
            downSocket.close();
            throw e;
        }
        try {
            BridgeContext downContext = context.forLinkSocket(downSocket, downAddresses, downSocket.localAddress().getPort());
            BridgeContext upContext = context.forLinkSocket(upSocket, upAddresses, upSocket.localAddress().getPort());
            IceCredentials downIce = IceCredentials.random();
            IceCredentials upIce = IceCredentials.random();
            int upAudioSsrc = ThreadLocalRandom.current().nextInt() | 1;
            int upVideoSsrc = ThreadLocalRandom.current().nextInt() | 1;
            int upRtxSsrc = ThreadLocalRandom.current().nextInt() | 1;
            String downOffer = LinkOffer.subscribe(downIce, context.certificate().fingerprint(),
                    downContext.candidates().get(0), SlotName.values().length);
            String upOffer = LinkOffer.publish(upIce, context.certificate().fingerprint(), upContext.candidates().get(0),
                    Integer.toUnsignedLong(upAudioSsrc), Integer.toUnsignedLong(upVideoSsrc), Integer.toUnsignedLong(upRtxSsrc),
                    "link-" + id);
            CascadeUpstream.Answers answers = upstream.open(id, downOffer, upOffer);
            try {
                return build(id, conference, context, upstream, answers, downSocket, upSocket, downStun, upStun,
                        downContext, upContext, downIce, upIce, upAudioSsrc, upVideoSsrc, upRtxSsrc);
            } catch (RuntimeException e) {
                upstream.close(id); // its endpoints would wait 30 s for consent that never comes
                throw e;
            }
        } catch (RuntimeException e) {
            downSocket.close();
            upSocket.close();
            conference.endpoint(endpointId(id, "down")).ifPresent(Endpoint::close);
            conference.endpoint(endpointId(id, "up")).ifPresent(Endpoint::close);
            throw e;
        }
    }

    /** Builds both transports from the upstream bridge's answers. */
    private static CascadeLink build(String id, Conference conference, BridgeContext context, CascadeUpstream upstream,
                                     CascadeUpstream.Answers answers, UdpTransport downSocket, UdpTransport upSocket,
                                     StunRelay downStun, StunRelay upStun, BridgeContext downContext,
                                     BridgeContext upContext, IceCredentials downIce, IceCredentials upIce,
                                     int upAudioSsrc, int upVideoSsrc, int upRtxSsrc) {
        Offer downAnswer = Offer.parseAnswer(answers.down());
        Offer upAnswer = Offer.parseAnswer(answers.up());

        Endpoint down = conference.addLinkEndpoint(new Endpoint(endpointId(id, "down"), conference, downContext,
                Endpoint.Role.PUBLISHER, downAnswer, downIce, id, true));
        Source[] guest = new Source[2];
        List<NegotiatedMedia> lines = downAnswer.media();
        for (int i = 0; i < lines.size() && i < SlotName.values().length * 2; i++) {
            NegotiatedMedia m = lines.get(i);
            if (m.rejected() || m.ssrcs().isEmpty()) {
                throw new UnsupportedOfferException("upstream answered no stream on m-line " + i);
            }
            MediaKind kind = m.isAudio() ? MediaKind.AUDIO : MediaKind.VIDEO;
            SlotName slot = SlotName.values()[i / 2];
            Long rtx = m.rtxSsrcs().get(m.ssrcs().get(0));
            Source source = conference.newSource(down, kind, m.ssrcs().get(0).intValue(), rtx == null ? 0 : rtx.intValue(),
                    m.payloadType(), m.codecName(), -1);
            down.addSource(source);
            switch (slot) {
                // the guest slot follows the root's floor (see followUpstreamGuest); the host's stream and a
                // shared screen come down the tree as they are
                case GUEST -> guest[kind == MediaKind.AUDIO ? 0 : 1] = source;
                case MAIN, CONTENT -> conference.stage().slot(slot, kind).place(source);
            }
        }

        Endpoint up = conference.addLinkEndpoint(new Endpoint(endpointId(id, "up"), conference, upContext,
                Endpoint.Role.VIEWER, upAnswer, upIce, id, true));
        for (NegotiatedMedia m : upAnswer.media()) {
            if (m.rejected()) {
                continue;
            }
            MediaKind kind = m.isAudio() ? MediaKind.AUDIO : MediaKind.VIDEO;
            up.addSubscription(new Subscription(up, conference.stage().slot(SlotName.GUEST, kind), m.payloadType(),
                    m.rtxPayloadType(), m.clockRate(), false, kind == MediaKind.AUDIO ? upAudioSsrc : upVideoSsrc, upRtxSsrc, -1, -1));
        }

        IceControllingChecks downChecks = new IceControllingChecks(downIce,
                new IceCredentials(downAnswer.iceUfrag(), downAnswer.icePassword()), candidate(downAnswer),
                down.checksListener(), context.metrics());
        IceControllingChecks upChecks = new IceControllingChecks(upIce,
                new IceCredentials(upAnswer.iceUfrag(), upAnswer.icePassword()), candidate(upAnswer),
                up.checksListener(), context.metrics());
        downChecks.attach(downSocket);
        upChecks.attach(upSocket);
        CascadeLink link = new CascadeLink(id, conference, upstream, downSocket, upSocket, downChecks, upChecks,
                down, up, guest[0], guest[1]);
        link.meters = context.metrics().cascadeLink(id, link.readings());
        downStun.target = downChecks;
        upStun.target = upChecks;
        context.transport().eventLoop().execute(() -> {
            long now = context.nanoClock().getAsLong();
            downChecks.tick(now);
            upChecks.tick(now);
        });
        log.info("{} cascade link {} opened toward {} (down from {}, up from {})", conference.id(), id,
                downChecks.remoteCandidate(), downSocket.localAddress(), upSocket.localAddress());
        return link;
    }

    /** The id of a link's endpoint on either bridge: {@code link:<id>:down} or {@code link:<id>:up}. */
    static String endpointId(String linkId, String direction) {
        return "link:" + linkId + ":" + direction;
    }

    /** The first host candidate of the answer's first m-line. */
    private static InetSocketAddress candidate(Offer answer) {
        SessionDescription session = answer.session();
        for (String value : session.media().get(0).attributes("candidate")) {
            String[] parts = value.trim().split("\\s+");
            if (parts.length >= 8 && parts[2].equalsIgnoreCase("udp") && parts[7].equals("host")) {
                try {
                    return new InetSocketAddress(InetAddress.getByName(parts[4]), Integer.parseInt(parts[5]));
                } catch (UnknownHostException | NumberFormatException e) {
                    throw new UnsupportedOfferException("upstream answered an unusable candidate: " + value);
                }
            }
        }
        throw new UnsupportedOfferException("upstream answered no udp host candidate");
    }

    public String id() {
        return id;
    }

    /** True once both transports are connected (DTLS done). */
    public boolean isConnected() {
        return down.isConnected() && up.isConnected();
    }

    /** The numbers a link is watched by (also on /metrics, tagged {@code link}). */
    public LinkStats stats() {
        long lost = 0;
        for (Source source : down.sources()) {
            lost += source.lossesDetected();
        }
        return new LinkStats(down.packetsReceived(), down.bytesReceived(), up.packetsSent(), up.bytesSent(), lost,
                down.plisSent(), downChecks.rttNanos());
    }

    /**
     * @param packetsDown   SRTP/SRTCP packets received from upstream
     * @param lossesDown    media packets found missing on the link (gaps, before any repair)
     * @param keyframeRequestsUp PLIs this bridge sent upstream for all its viewers together
     * @param rttNanos      the last ICE check's round trip, -1 before the first
     */
    public record LinkStats(long packetsDown, long bytesDown, long packetsUp, long bytesUp, long lossesDown,
                            long keyframeRequestsUp, long rttNanos) {
    }

    private MediaMetrics.LinkReadings readings() {
        return new MediaMetrics.LinkReadings() {
            @Override
            public long packetsDown() {
                return down.packetsReceived();
            }

            @Override
            public long bytesDown() {
                return down.bytesReceived();
            }

            @Override
            public long packetsUp() {
                return up.packetsSent();
            }

            @Override
            public long bytesUp() {
                return up.bytesSent();
            }

            @Override
            public long lossesDown() {
                return stats().lossesDown();
            }

            @Override
            public long keyframeRequestsUp() {
                return down.plisSent();
            }

            @Override
            public long rttNanos() {
                return downChecks.rttNanos();
            }
        };
    }

    /** Whether the local guest slot carries what comes down this link (the floor is not here). */
    boolean guestFollowsUpstream() {
        return conference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source() == guestVideo;
    }

    /** Puts what comes down the link into the local guest slot. */
    void followUpstreamGuest() {
        conference.stage().slot(SlotName.GUEST, MediaKind.AUDIO).place(guestAudio);
        conference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).place(guestVideo);
    }

    Endpoint downEndpoint() {
        return down;
    }

    /** A local room was given the floor: ask upstream to carry our guest slot. Any thread. */
    void requestFloor() {
        down.runOnEventLoop(() -> {
            floorRequested = true;
            floorRequestsSent = 0;
            sendFloorRequest(conference.nanoClock());
        });
    }

    private void sendFloorRequest(long nowNanos) {
        if (up.sendLinkFloor(LinkFloorApp.REQUEST, false)) {
            floorRequestsSent++;
            floorRequestSentNanos = nowNanos;
        }
    }

    /**
     * The upstream bridge's floor state arrived. Event loop. "Yours" answers our request; "not
     * yours" sends the guest slot back to what comes down, unless our request is still on its way.
     */
    void floorState(boolean yours) {
        if (yours) {
            floorRequested = false;
            return;
        }
        if (floorRequested) {
            return;
        }
        if (!guestFollowsUpstream()) {
            log.info("{} floor went elsewhere upstream of link {}: the guest slot follows upstream again", conference.id(), id);
            conference.followUpstreamGuestNow();
        }
    }

    /** Every 100 ms on the event loop: ICE checks and consent, and an unanswered floor request again. */
    void fastTick(long nowNanos) {
        downChecks.tick(nowNanos);
        upChecks.tick(nowNanos);
        if (floorRequested && nowNanos - floorRequestSentNanos >= FLOOR_REQUEST_RETRY_NANOS) {
            if (floorRequestsSent >= FLOOR_REQUEST_ATTEMPTS) {
                floorRequested = false;
                log.info("{} floor request up link {} unanswered after {} attempts", conference.id(), id, floorRequestsSent);
            } else {
                sendFloorRequest(nowNanos);
            }
        }
    }

    /** Closes both transports here and the link's endpoints upstream. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        down.close("cascade link closed");
        up.close("cascade link closed");
        downSocket.close();
        upSocket.close();
        try {
            meters.close();
        } catch (Exception e) {
            throw new IllegalStateException("removing link " + id + "'s meters failed", e);
        }
        try {
            upstream.close(id);
        } catch (RuntimeException e) {
            log.info("{} cascade link {}: upstream did not confirm the close: {}", conference.id(), id, e.toString());
        }
        conference.linkClosed(this);
        log.info("{} cascade link {} closed", conference.id(), id);
    }

    /** Hands a link socket's STUN to its checks once they exist; before, there is nobody to answer. */
    private static final class StunRelay implements DatagramReceiver {
        private volatile DatagramReceiver target;

        @Override
        public void receive(ByteBuf datagram, InetSocketAddress sender) {
            DatagramReceiver to = target;
            if (to == null) {
                datagram.release();
            } else {
                to.receive(datagram, sender);
            }
        }
    }
}
