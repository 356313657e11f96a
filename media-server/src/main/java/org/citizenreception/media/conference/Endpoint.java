package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.citizenreception.media.dtls.DtlsListener;
import org.citizenreception.media.dtls.DtlsSession;
import org.citizenreception.media.ice.ConsentFreshness;
import org.citizenreception.media.ice.IceCredentials;
import org.citizenreception.media.ice.IceListener;
import org.citizenreception.media.ice.IceSession;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.LinkFloorApp;
import org.citizenreception.media.rtcp.Pli;
import org.citizenreception.media.rtcp.ReceiverReport;
import org.citizenreception.media.rtcp.ReportBlock;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.sdp.RtpExtensions;
import org.citizenreception.media.rtp.RetransmissionBudget;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.sdp.Offer;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.EndpointStats;
import org.citizenreception.media.stats.StageMeter.Direction;
import org.citizenreception.media.transport.DatagramReceiver;
import org.citizenreception.media.transport.PacketKind;
import org.citizenreception.media.transport.TcpConnectionAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebRTC connection: its ICE session, DTLS association and SRTP contexts, and what it
 * publishes ({@link Source}s) or receives ({@link Subscription}s). Owned by its conference.
 *
 * <p>The connection's part of the packet path is the entry: {@link #receive} tells DTLS from SRTP
 * and hands SRTP/SRTCP to its {@link ReceivePipeline} (decrypt, split, route, record, fan out, as
 * declared stages); what the endpoint sends leaves through {@link #send}.
 *
 * <p>Ownership: {@link #receive} takes each datagram; DTLS records are copied to the handshake
 * queue and SRTP is copied once into a pooled heap buffer (jitsi-srtp works on arrays) which the
 * receive pipeline takes, so the incoming buffer is released right after the copy.
 */
public final class Endpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    /** Room for the SRTCP index and tag. */
    private static final int SRTCP_HEADROOM = 4 + 16;

    enum Role { PUBLISHER, VIEWER }

    private final String id;
    private final Conference conference;
    private final BridgeContext context;
    private final Role role;
    private final Offer offer;
    /** The cascade link this endpoint carries (either side of it), or null for a browser's or a tool's. */
    private final String linkId;
    /**
     * This bridge's own end of a cascade link: ICE controlling (it sends the checks, toward the other
     * bridge's ICE-lite agent) and DTLS client. {@code offer} is then the other bridge's answer.
     */
    private final boolean linkClient;
    private final IceListener iceListener;
    private final int rtcpSsrc = ThreadLocalRandom.current().nextInt() | 1;
    /** The receive path's stages whose state the connection's timers and RTCP also read. */
    private final SsrcRouting routing;
    private final TransportCcRecording transportCcRecording;
    private final ReceivePipeline receivePipeline;
    private final DatagramReceiver receiver = this::receive;
    private final ConsentFreshness consent;
    private final DtlsSession dtls;
    private final JoinTimeline joinTimeline;
    private final Set<InetSocketAddress> boundAddresses = ConcurrentHashMap.newKeySet();
    /** What this endpoint's subscriptions may resend on NACKs, all together (event loop). */
    private final RetransmissionBudget retransmissionBudget;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final PeriodicRtcp periodicRtcp;
    /** A viewer's bandwidth from its REMB and loss (chooses its simulcast layers); null for a publisher. */
    private final ViewerBandwidth bandwidth;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IceSession ice;
    private volatile InetSocketAddress remote;
    private volatile SrtpTransformer srtp;
    private volatile boolean connected;
    /** Whether a subscription is to a video slot: set once it is, read by every tick (subscriptions are never removed). */
    private volatile boolean receivesVideo;
    /** Single writer (event loop), racy readers (stats): volatile is enough. */
    private volatile long packetsReceived;
    private volatile long bytesReceived;
    private volatile long packetsSent;
    private volatile long bytesSent;
    /** Keyframe requests sent (single writer, the event loop). */
    private volatile long plisSent;
    private long lastStatsNanos;
    /** Event loop: when the last packet (not STUN: consent keeps that) was seen, and whether silence was reported. */
    private long lastPacketNanos;
    private long packetsAtLastTick;
    private boolean interrupted;
    private long lastStatsBytesReceived;
    private long lastStatsBytesSent;

    Endpoint(String id, Conference conference, BridgeContext context, Role role, Offer offer) {
        this(id, conference, context, role, offer, IceCredentials.random(), null, false);
    }

    /**
     * An endpoint of a cascade link. The accepting side ({@code client} false) is an ordinary
     * endpoint tagged with the link; this bridge's own end ({@code client} true) answers no binding
     * requests (its checks report through {@link #checksListener()}), and runs DTLS as the client once
     * a check succeeded.
     *
     * @param remoteDescription the other bridge's offer, or its answer to ours when {@code client}
     */
    Endpoint(String id, Conference conference, BridgeContext context, Role role, Offer remoteDescription,
             IceCredentials localIce, String linkId, boolean client) {
        this.id = id;
        this.linkId = linkId;
        this.linkClient = client;
        this.conference = conference;
        this.context = context;
        this.role = role;
        this.offer = remoteDescription;
        Offer offer = remoteDescription;
        this.consent = new ConsentFreshness(context.nanoClock(), context.consentTimeoutNanos());
        this.joinTimeline = role == Role.VIEWER && linkId == null ? JoinTimeline.metered(context.metrics(), context.nanoClock())
                : JoinTimeline.unmetered(context.nanoClock());
        this.iceListener = iceListener();
        this.ice = new IceSession(localIce, offer.iceUfrag(), iceListener);
        this.dtls = client
                ? DtlsSession.client(id, context.certificate(), offer.fingerprint(), context.dtlsExecutor(),
                        this::sendDtlsRecord, dtlsListener())
                : new DtlsSession(id, context.certificate(), offer.fingerprint(), context.dtlsExecutor(),
                        this::sendDtlsRecord, dtlsListener());
        this.lastStatsNanos = context.nanoClock().getAsLong();
        this.lastPacketNanos = lastStatsNanos;
        int transportCcExtensionId = role == Role.PUBLISHER
                ? offer.media().stream().filter(m -> !m.rejected())
                        .mapToInt(m -> m.extensionId(RtpExtensions.TRANSPORT_WIDE_CC)).filter(extensionId -> extensionId > 0).findFirst().orElse(-1)
                : -1;
        this.routing = new SsrcRouting(context.metrics().stage(Direction.RECEIVE, ReceivePipeline.SSRC_ROUTING),
                role == Role.PUBLISHER);
        this.transportCcRecording = new TransportCcRecording(context.metrics().stage(Direction.RECEIVE, ReceivePipeline.TRANSPORT_CC),
                transportCcExtensionId, rtcpSsrc, context.nanoClock());
        this.bandwidth = role == Role.VIEWER ? new ViewerBandwidth() : null;
        IncomingRtcp rtcp = new IncomingRtcp(role == Role.PUBLISHER, subscriptions, routing, context.metrics(), context.nanoClock(),
                bandwidth, this::linkFloorSignal);
        this.receivePipeline = new ReceivePipeline(this, rtcp, routing, transportCcRecording);
        this.retransmissionBudget = new RetransmissionBudget(context.retransmissionLimits().maxBitrateBps(),
                context.retransmissionLimits().burstBytes(), context.nanoClock());
        this.periodicRtcp = new PeriodicRtcp(this, context, rtcpSsrc, role == Role.PUBLISHER, sources, subscriptions, transportCcRecording);
        if (!client) {
            context.ice().register(ice);
        }
        context.metrics().endpointOpened();
    }

    public String id() {
        return id;
    }

    public Conference conference() {
        return conference;
    }

    public boolean isPublisher() {
        return role == Role.PUBLISHER;
    }

    /** The cascade link this endpoint carries, or null. */
    public String linkId() {
        return linkId;
    }

    /** True for this bridge's own end of a cascade link (it connected to the other bridge). */
    boolean isLinkClient() {
        return linkClient;
    }

    /** For this bridge's own end of a link: where its ICE checks report a working pair. */
    IceListener checksListener() {
        return iceListener;
    }

    /** Keyframe requests this endpoint sent (to its publisher, or up a link). */
    long plisSent() {
        return plisSent;
    }

    long packetsReceived() {
        return packetsReceived;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    long packetsSent() {
        return packetsSent;
    }

    long bytesSent() {
        return bytesSent;
    }

    public boolean isConnected() {
        return connected && !closed.get();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** The address ICE selected, or null before the first authenticated binding request. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    public List<Source> sources() {
        return List.copyOf(sources);
    }

    /** When this endpoint's join reached each step; the embedding application adds the HTTP ones. */
    public JoinTimeline joinTimeline() {
        return joinTimeline;
    }

    IceCredentials localIce() {
        return ice.local();
    }

    Offer offer() {
        return offer;
    }

    BridgeContext context() {
        return context;
    }

    void addSource(Source source) {
        sources.add(source);
        routing.add(source);
    }

    /** A simulcast publisher: the extension ids that name its layers. Control thread, before the first packet. */
    void learnLayersFrom(int ridExtensionId, int repairedRidExtensionId) {
        routing.learnLayersFrom(ridExtensionId, repairedRidExtensionId);
    }

    /** The byte-rate budget of this viewer's retransmissions (event loop). */
    RetransmissionBudget retransmissionBudget() {
        return retransmissionBudget;
    }

    void addSubscription(Subscription subscription) {
        subscriptions.add(subscription);
        if (subscription.slot().kind() == MediaKind.VIDEO) {
            receivesVideo = true;
        }
        subscription.slot().add(subscription);
        subscription.followSlot();
    }

    /**
     * ICE restart (WHIP/WHEP PATCH): the offerer's new ufrag/pwd replace the old, the bridge gets
     * new credentials, and the next nominated address becomes the remote. DTLS and SRTP continue.
     *
     * @param newOfferFragment SDP lines with at least {@code a=ice-ufrag} and {@code a=ice-pwd}
     * @return the answer fragment: the bridge's new {@code a=ice-ufrag} and {@code a=ice-pwd} lines
     */
    public String restartIce(String newOfferFragment) {
        ensureOpen();
        String ufrag = null;
        for (String line : newOfferFragment.split("\r?\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length()).trim();
            }
        }
        if (ufrag == null || ufrag.isEmpty()) {
            throw new IllegalArgumentException("newOfferFragment has no a=ice-ufrag line");
        }
        IceSession next = new IceSession(IceCredentials.random(), ufrag, iceListener());
        context.ice().register(next);
        IceSession previous = ice;
        ice = next;
        context.ice().unregister(previous);
        log.info("{} ice restarted", id);
        return "a=ice-ufrag:" + next.local().ufrag() + "\r\na=ice-pwd:" + next.local().password() + "\r\n";
    }

    private IceListener iceListener() {
        return (address, useCandidate) -> {
            if (closed.get()) {
                return;
            }
            consent.refresh();
            joinTimeline.reach(JoinTimeline.Milestone.ICE_CONNECTED);
            if (address instanceof TcpConnectionAddress) {
                // A new ICE-TCP connection may equal (host and port) an earlier, closed one of this
                // endpoint: keep the newer instance, whose connection is the one to bind and to close.
                boundAddresses.remove(address);
                boundAddresses.add(address);
                context.addresses().bind(address, receiver);
            } else if (boundAddresses.add(address)) {
                context.addresses().bind(address, receiver);
            }
            InetSocketAddress current = remote;
            if (current == null || (useCandidate && !current.equals(address))) {
                remote = address;
                if (current != null) {
                    log.info("{} remote address switched", id);
                }
            }
            if (linkClient) {
                dtls.startClient();
            }
        };
    }

    /**
     * A NAT rebinding: the peer's media now comes from another address it has proven with an ICE
     * consent check, and it authenticates with this endpoint's SRTP keys. A peer sends media only on
     * the pair it selected, so that is where it now listens: send there. Without this the bridge would
     * follow only a check carrying USE-CANDIDATE, which RFC 7675 consent checks need not carry
     * (libwebrtc's do; this project's media-client's do not), and the room would go dark on the same
     * endpoint until its consent expired.
     */
    private void followRemote(InetSocketAddress address) {
        remote = address;
        log.info("{} remote address switched: authenticated media from a new address", id);
    }

    private DtlsListener dtlsListener() {
        return new DtlsListener() {
            @Override
            public void handshakeStarted() {
                joinTimeline.reach(JoinTimeline.Milestone.DTLS_STARTED);
            }

            @Override
            public void handshakeCompleted(SrtpKeys keys) {
                if (closed.get()) {
                    return;
                }
                joinTimeline.reach(JoinTimeline.Milestone.DTLS_DONE);
                srtp = new SrtpTransformer(keys);
                connected = true;
                log.info("{} connected, srtp {}", id, keys.profile());
                context.listener().endpointConnected(conference.id(), id, remote);
                for (Subscription subscription : subscriptions) {
                    subscription.viewerConnected();
                }
            }

            @Override
            public void dtlsFailed(String reason) {
                close(reason);
            }
        };
    }

    private void sendDtlsRecord(byte[] record) {
        InetSocketAddress to = remote;
        if (to != null && !closed.get()) {
            context.transport().send(Unpooled.wrappedBuffer(record), to);
        }
    }

    /** Takes ownership of {@code datagram} (DTLS, SRTP or SRTCP from a bound address). Event loop. */
    private void receive(ByteBuf datagram, InetSocketAddress sender) {
        ByteBuf plain;
        InetSocketAddress elsewhere;
        SrtpTransformer transformer;
        try {
            if (closed.get()) {
                return;
            }
            int length = datagram.readableBytes();
            if (PacketKind.classify(datagram.getByte(datagram.readerIndex())) == PacketKind.DTLS) {
                byte[] record = new byte[length];
                datagram.getBytes(datagram.readerIndex(), record);
                if (!dtls.receive(record)) {
                    context.metrics().dropped(DropReason.DTLS_REJECTED);
                }
                return;
            }
            transformer = srtp;
            if (transformer == null) {
                context.metrics().dropped(DropReason.SRTP_NOT_READY);
                return;
            }
            plain = context.transport().alloc().heapBuffer(length);
            plain.writeBytes(datagram, datagram.readerIndex(), length);
            elsewhere = sender.equals(remote) ? null : sender;
        } finally {
            datagram.release();
        }
        receivePipeline.receive(plain, transformer, elsewhere);
    }

    /** The receive path's decrypt stage authenticated a packet of {@code encryptedLength} bytes. Event loop. */
    void authenticated(int encryptedLength, InetSocketAddress elsewhere) {
        if (elsewhere != null) {
            followRemote(elsewhere);
        }
        packetsReceived++;
        bytesReceived += encryptedLength;
    }

    /**
     * Every 100 ms, on the event loop: a publisher's transport-cc feedback and NACKs, then the
     * keyframe requests its sources owe (walked by index: no copy of the list per tick).
     */
    void fastTick() {
        periodicRtcp.fastTick();
        long now = context.nanoClock().getAsLong();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            source.sendOwedKeyframeRequest();
            SimulcastLayers layers = source.layers();
            if (layers != null && layers.top() == source) {
                layers.measure(now);
            }
        }
    }

    /** Every 100 ms on the event loop, for a viewer: each video subscription's simulcast layer and probing. */
    void viewerFastTick(long nowNanos) {
        if (closed.get() || !connected) {
            return;
        }
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            if (subscription.slot().kind() == MediaKind.VIDEO) {
                subscription.layerTick(bandwidth, nowNanos);
            }
        }
    }

    /**
     * The simulcast layer this viewer's (first) video is sent: 0 the lowest, -1 audio only; empty when
     * the slot's source sends no layers, or for a publisher.
     */
    public java.util.OptionalInt simulcastLayer() {
        for (Subscription subscription : subscriptions) {
            if (subscription.slot().kind() == MediaKind.VIDEO && subscription.receivesLayers()) {
                return java.util.OptionalInt.of(subscription.forwardedLayer());
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** The viewer's bandwidth estimate in bit/s, or -1 before its first REMB (and for a publisher). */
    public long estimatedBandwidthBps() {
        return bandwidth == null ? -1 : bandwidth.estimateBps();
    }

    /**
     * Pins this viewer's video to simulcast layer {@code layer} (0 the lowest; beyond the top means
     * the top), or lets its bandwidth choose again with -1. Audio only below the threshold still
     * applies. Takes effect within 100 ms, at the layer's next keyframe.
     */
    public void pinLayer(int layer) {
        for (Subscription subscription : subscriptions) {
            if (subscription.slot().kind() == MediaKind.VIDEO) {
                subscription.pinLayer(layer);
            }
        }
    }

    /** The SRTP contexts once DTLS completed and while open; null otherwise. */
    SrtpTransformer srtpIfConnected() {
        return closed.get() ? null : srtp;
    }

    /** Takes ownership of an SRTP/SRTCP packet and sends it to the selected address. Event loop. */
    void send(ByteBuf packet) {
        InetSocketAddress to = remote;
        if (to == null || closed.get()) {
            packet.release();
            return;
        }
        packetsSent++;
        bytesSent += packet.readableBytes();
        context.transport().send(packet, to);
    }

    void runOnEventLoop(Runnable task) {
        if (context.transport().eventLoop().inEventLoop()) {
            task.run();
        } else {
            context.transport().eventLoop().execute(task);
        }
    }

    /** Sends a PLI for {@code mediaSsrc}; false when not connected. Event loop (SRTCP contexts are). */
    boolean sendPli(int mediaSsrc) {
        SrtpTransformer transformer = srtpIfConnected();
        if (transformer == null) {
            return false;
        }
        ByteBuf pli = context.transport().alloc().heapBuffer(12 + SRTCP_HEADROOM);
        Pli.write(pli, rtcpSsrc, mediaSsrc);
        if (!transformer.protectRtcp(pli)) {
            pli.release();
            return false;
        }
        send(pli);
        context.metrics().pliSent();
        plisSent++;
        return true;
    }

    /** Sends one {@link LinkFloorApp} on a cascade link; false when not connected. Event loop. */
    boolean sendLinkFloor(int subtype, boolean yours) {
        SrtpTransformer transformer = srtpIfConnected();
        if (transformer == null || linkId == null) {
            return false;
        }
        ByteBuf app = context.transport().alloc().heapBuffer(LinkFloorApp.LENGTH + SRTCP_HEADROOM);
        LinkFloorApp.write(app, rtcpSsrc, subtype, yours);
        if (!transformer.protectRtcp(app)) {
            app.release();
            return false;
        }
        send(app);
        return true;
    }

    /** From the receive path: a {@link LinkFloorApp} arrived; only a link's endpoints act on one. Event loop. */
    private void linkFloorSignal(int subtype, boolean yours) {
        if (linkId == null || role != Role.PUBLISHER) {
            return;
        }
        if (subtype == LinkFloorApp.REQUEST && !linkClient) {
            conference.linkFloorRequested(this);
        } else if (subtype == LinkFloorApp.STATE && linkClient) {
            conference.upstreamFloorState(yours);
        }
    }

    /**
     * Once a second on the event loop: consent, then the periodic RTCP (reports, REMB), then stats.
     */
    void tick(long nowNanos, boolean statsDue) {
        if (closed.get()) {
            return;
        }
        if (consent.expired(nowNanos)) {
            log.info("{} consent expired after {} ms of silence", id, consent.silentNanos(nowNanos) / 1_000_000);
            close("consent expired");
            return;
        }
        reportInterruption(nowNanos);
        periodicRtcp.tick(nowNanos);
        if (role == Role.PUBLISHER && srtpIfConnected() != null) {
            for (Source source : sources) {
                source.evictExpired();
            }
        }
        if (statsDue && connected) {
            context.listener().endpointStats(conference.id(), id, stats(nowNanos));
        }
    }

    /**
     * A dropped line is reported after a few seconds of silence rather than at consent expiry (30 s):
     * attendance then shows when a room left and came back. The endpoint stays open so an ICE
     * restart can resume it.
     *
     * <p>An endpoint that has been sending media or RTCP often (a publisher; a viewer receiving video
     * reports every second) is interrupted after the configured silence. One heard only through
     * consent checks (a viewer waiting for the host to go live) or audio reports (a sound-only viewer:
     * every 5 s ± 50 %) is heard every few seconds (RFC 7675 §5.1), so it gets two and a half times as
     * long: one late or lost check must not count as a gap.
     */
    private void reportInterruption(long nowNanos) {
        if (packetsReceived != packetsAtLastTick) {
            packetsAtLastTick = packetsReceived;
            lastPacketNanos = nowNanos;
        }
        if (!connected) {
            return;
        }
        long packetSilentNanos = nowNanos - lastPacketNanos;
        long silentNanos = Math.min(packetSilentNanos, consent.silentNanos(nowNanos));
        long checksOnlyNanos = context.interruptAfterNanos() * 5 / 2;
        boolean sendingOften = role == Role.PUBLISHER || receivesVideo;
        boolean sendingMedia = sendingOften && packetsReceived > 0 && packetSilentNanos <= checksOnlyNanos;
        long limitNanos = sendingMedia ? context.interruptAfterNanos() : checksOnlyNanos;
        if (!interrupted && silentNanos > limitNanos) {
            interrupted = true;
            log.info("{} interrupted: nothing received for {} ms", id, silentNanos / 1_000_000);
            context.listener().endpointInterrupted(conference.id(), id, silentNanos / 1_000_000);
        } else if (interrupted && silentNanos <= context.interruptAfterNanos()) {
            // Only something actually heard resumes it, not the limit growing as the silence lasts.
            interrupted = false;
            log.info("{} resumed", id);
            context.listener().endpointResumed(conference.id(), id, remote);
        }
    }

    public EndpointStats stats() {
        return stats(context.nanoClock().getAsLong());
    }

    private EndpointStats stats(long nowNanos) {
        long elapsed = Math.max(1, nowNanos - lastStatsNanos);
        long receivedBps = (bytesReceived - lastStatsBytesReceived) * 8 * 1_000_000_000L / elapsed;
        long sentBps = (bytesSent - lastStatsBytesSent) * 8 * 1_000_000_000L / elapsed;
        lastStatsNanos = nowNanos;
        lastStatsBytesReceived = bytesReceived;
        lastStatsBytesSent = bytesSent;
        long lost = 0;
        for (Subscription subscription : subscriptions) {
            lost += subscription.reportedLost();
        }
        return new EndpointStats(packetsReceived, bytesReceived, packetsSent, bytesSent, lost, -1, receivedBps, sentBps);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new ConferenceClosedException("endpoint " + id + " is closed");
        }
    }

    /** Closes the connection and everything it owns; reports the endpoint disconnected once. Idempotent. */
    @Override
    public void close() {
        close("closed by the application");
    }

    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("{} closing: {}", id, reason);
        for (Subscription subscription : subscriptions) {
            subscription.close();
        }
        for (Source source : sources) {
            source.close();
        }
        context.ice().unregister(ice);
        for (InetSocketAddress address : boundAddresses) {
            context.addresses().unbind(address, receiver);
        }
        dtls.close();
        SrtpTransformer transformer = srtp;
        if (transformer != null) {
            // the event loop may be mid-packet with these contexts: close them there, after it
            runOnEventLoop(transformer::close);
        }
        context.metrics().endpointClosed();
        conference.endpointClosed(this);
        context.listener().endpointDisconnected(conference.id(), id, reason);
    }
}
