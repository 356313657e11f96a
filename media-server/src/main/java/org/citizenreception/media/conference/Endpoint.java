package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
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
import org.citizenreception.media.rtcp.Fir;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.Pli;
import org.citizenreception.media.rtcp.ReceiverReport;
import org.citizenreception.media.rtcp.Remb;
import org.citizenreception.media.rtcp.ReportBlock;
import org.citizenreception.media.rtcp.RtcpCompoundCursor;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtcp.TransportCcRecorder;
import org.citizenreception.media.rtp.HeaderExtensionValues;
import org.citizenreception.media.sdp.RtpExtensions;
import org.citizenreception.media.rtp.RetransmissionBudget;
import org.citizenreception.media.rtp.RtcpOrRtp;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtxPacketizer;
import org.citizenreception.media.sdp.Offer;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.EndpointStats;
import org.citizenreception.media.transport.DatagramReceiver;
import org.citizenreception.media.transport.PacketKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebRTC connection: its ICE session, DTLS association and SRTP contexts, and what it
 * publishes ({@link Source}s) or receives ({@link Subscription}s). Owned by its conference.
 *
 * <p>Ownership: {@link #receive} takes each datagram; DTLS records are copied to the handshake
 * queue and SRTP is copied once into a pooled heap buffer (jitsi-srtp works on arrays) which is
 * decrypted in place and handed on, so the incoming buffer is released right after the copy.
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
    private final int rtcpSsrc = ThreadLocalRandom.current().nextInt() | 1;
    /** Event-loop scratch: reused for every RTCP datagram and report, so RTCP allocates nothing. */
    private final RtcpCompoundCursor rtcpCursor = new RtcpCompoundCursor();
    private final int[] feedbackSsrcs = new int[4];
    /** libwebrtc expects transport-cc feedback every 50-100 ms. */
    private static final long TRANSPORT_CC_INTERVAL_MILLIS = 100;
    private final int transportCcExtensionId;
    /** Event loop; created with the first packet that carries a transport-wide sequence number. */
    private TransportCcRecorder transportCc;
    private final DatagramReceiver receiver = this::receive;
    private final ConsentFreshness consent;
    private final DtlsSession dtls;
    private final JoinTimeline joinTimeline;
    private final Set<InetSocketAddress> boundAddresses = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Source> sourcesBySsrc = new ConcurrentHashMap<>();
    private final Map<Integer, Source> sourcesByRtxSsrc = new ConcurrentHashMap<>();
    /** What this endpoint's subscriptions may resend on NACKs, all together (event loop). */
    private final RetransmissionBudget retransmissionBudget;
    /** Event-loop scratch for the NACKs sent to a publisher each 100 ms. */
    private final int[] lostScratch = new int[64];
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IceSession ice;
    private volatile InetSocketAddress remote;
    private volatile SrtpTransformer srtp;
    private volatile boolean connected;
    /** Single writer (event loop), racy readers (stats): volatile is enough. */
    private volatile long packetsReceived;
    private volatile long bytesReceived;
    private volatile long packetsSent;
    private volatile long bytesSent;
    private long lastStatsNanos;
    /** Event loop: when the last packet (not STUN: consent keeps that) was seen, and whether silence was reported. */
    private long lastPacketNanos;
    private long packetsAtLastTick;
    private boolean interrupted;
    private long lastStatsBytesReceived;
    private long lastStatsBytesSent;

    Endpoint(String id, Conference conference, BridgeContext context, Role role, Offer offer) {
        this.id = id;
        this.conference = conference;
        this.context = context;
        this.role = role;
        this.offer = offer;
        this.consent = new ConsentFreshness(context.nanoClock(), context.consentTimeoutNanos());
        this.joinTimeline = role == Role.VIEWER ? JoinTimeline.metered(context.metrics(), context.nanoClock())
                : JoinTimeline.unmetered(context.nanoClock());
        this.ice = new IceSession(IceCredentials.random(), offer.iceUfrag(), iceListener());
        this.dtls = new DtlsSession(id, context.certificate(), offer.fingerprint(), context.dtlsExecutor(),
                this::sendDtlsRecord, dtlsListener());
        this.lastStatsNanos = context.nanoClock().getAsLong();
        this.lastPacketNanos = lastStatsNanos;
        this.transportCcExtensionId = role == Role.PUBLISHER
                ? offer.media().stream().filter(m -> !m.rejected())
                        .mapToInt(m -> m.extensionId(RtpExtensions.TRANSPORT_WIDE_CC)).filter(extensionId -> extensionId > 0).findFirst().orElse(-1)
                : -1;
        this.retransmissionBudget = new RetransmissionBudget(context.retransmissionLimits().maxBitrateBps(),
                context.retransmissionLimits().burstBytes(), context.nanoClock());
        context.ice().register(ice);
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
        if (source.ssrc() != 0) {
            sourcesBySsrc.put(source.ssrc(), source);
        }
        if (source.rtxSsrc() != 0) {
            sourcesByRtxSsrc.put(source.rtxSsrc(), source);
        }
    }

    /** The byte-rate budget of this viewer's retransmissions (event loop). */
    RetransmissionBudget retransmissionBudget() {
        return retransmissionBudget;
    }

    void addSubscription(Subscription subscription) {
        subscriptions.add(subscription);
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
            if (boundAddresses.add(address)) {
                context.addresses().bind(address, receiver);
            }
            InetSocketAddress current = remote;
            if (current == null || (useCandidate && !current.equals(address))) {
                remote = address;
                if (current != null) {
                    log.info("{} remote address switched", id);
                }
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
            if (srtp == null) {
                context.metrics().dropped(DropReason.SRTP_NOT_READY);
                return;
            }
            plain = context.transport().alloc().heapBuffer(length);
            plain.writeBytes(datagram, datagram.readerIndex(), length);
            elsewhere = sender.equals(remote) ? null : sender;
        } finally {
            datagram.release();
        }
        handleSrtp(plain, elsewhere);
    }

    /**
     * Takes ownership of {@code packet}: a heap copy still encrypted.
     *
     * @param elsewhere the sender when it is not the selected remote address (a bound one: it passed an
     *                  ICE check), else null
     */
    private void handleSrtp(ByteBuf packet, InetSocketAddress elsewhere) {
        int length = packet.readableBytes();
        boolean rtcp = RtcpOrRtp.isRtcp(packet);
        SrtpTransformer transformer = srtp;
        boolean ok = rtcp ? transformer.unprotectRtcp(packet) : transformer.unprotectRtp(packet);
        if (!ok) {
            context.metrics().dropped(DropReason.SRTP_AUTH_FAILED);
            packet.release();
            return;
        }
        if (elsewhere != null) {
            followRemote(elsewhere);
        }
        packetsReceived++;
        bytesReceived += length;
        if (rtcp) {
            try {
                handleRtcp(packet);
            } finally {
                packet.release();
            }
        } else {
            handleRtp(packet);
        }
    }

    /** Takes ownership of a decrypted RTP packet. */
    private void handleRtp(ByteBuf packet) {
        if (role != Role.PUBLISHER) {
            context.metrics().dropped(DropReason.NOT_PUBLISHING);
            packet.release();
            return;
        }
        if (RtpHeader.headerLength(packet) < 0) {
            context.metrics().dropped(DropReason.RTP_MALFORMED);
            packet.release();
            return;
        }
        int ssrc = RtpHeader.ssrc(packet);
        recordTransportSequence(packet, ssrc);
        Source source = sourcesBySsrc.get(ssrc);
        if (source == null) {
            Source original = sourcesByRtxSsrc.get(ssrc);
            if (original != null) {
                // RFC 4588: answers to our NACKs; padding-only RTX (bandwidth probes) carries no packet
                if (RtxPacketizer.unwrap(packet, original.ssrc(), original.payloadType())) {
                    original.forward(packet);
                } else {
                    packet.release();
                }
                return;
            }
            source = learnSource(ssrc, RtpHeader.payloadType(packet));
        }
        if (source == null) {
            context.metrics().dropped(DropReason.UNKNOWN_SSRC);
            packet.release();
            return;
        }
        source.forward(packet);
    }

    /** Transport-wide sequence numbers of every packet (RTX included) feed the publisher's bandwidth estimate. */
    private void recordTransportSequence(ByteBuf packet, int ssrc) {
        if (transportCcExtensionId <= 0) {
            return;
        }
        int transportSequence = HeaderExtensionValues.transportSequenceNumber(packet, transportCcExtensionId);
        if (transportSequence < 0) {
            return;
        }
        if (transportCc == null) {
            transportCc = new TransportCcRecorder(rtcpSsrc, ssrc, TRANSPORT_CC_INTERVAL_MILLIS, context.nanoClock());
        }
        transportCc.onPacket(transportSequence);
    }

    /** Every 100 ms: NACKs to a publisher for the bridge's own losses. Event loop. */
    void sendNacks() {
        SrtpTransformer transformer = srtpIfConnected();
        if (transformer == null) {
            return;
        }
        for (Source source : sources) {
            int count = source.collectLosses(lostScratch);
            if (count == 0) {
                continue;
            }
            ByteBuf nack = context.transport().alloc().heapBuffer(12 + 4 * count + SRTCP_HEADROOM);
            GenericNack.write(nack, rtcpSsrc, source.ssrc(), lostScratch, 0, count);
            if (transformer.protectRtcp(nack)) {
                context.metrics().nackRequested();
                send(nack);
            } else {
                nack.release();
            }
        }
    }

    /** Every 100 ms: transport-cc feedback to a publisher when due. Event loop. */
    void sendTransportCcFeedback() {
        SrtpTransformer transformer = srtpIfConnected();
        if (transportCc == null || transformer == null || !transportCc.isFeedbackDue()) {
            return;
        }
        ByteBuf feedback = context.transport().alloc().heapBuffer(512);
        if (transportCc.writeFeedback(feedback) == 0 || !transformer.protectRtcp(feedback)) {
            feedback.release();
            return;
        }
        send(feedback);
    }

    private Source learnSource(int ssrc, int payloadType) {
        for (Source source : sources) {
            if (source.ssrc() == 0 && source.payloadType() == payloadType) {
                source.learnSsrc(ssrc);
                sourcesBySsrc.put(ssrc, source);
                return source;
            }
        }
        return null;
    }

    /** Reads a decrypted compound RTCP packet (borrowed): keyframe requests, NACKs, sender reports. */
    private void handleRtcp(ByteBuf packet) {
        RtcpCompoundCursor cursor = rtcpCursor.reset(packet);
        long now = context.nanoClock().getAsLong();
        while (cursor.next()) {
            int at = cursor.offset();
            int length = cursor.length();
            if (Pli.isPli(packet, at, length)) {
                keyframeRequestedFor(Pli.mediaSsrc(packet, at));
            } else if (Fir.isFir(packet, at, length)) {
                for (int i = 0; i < Fir.entryCount(length); i++) {
                    keyframeRequestedFor(Fir.targetSsrc(packet, at, i));
                }
            } else if (GenericNack.isNack(packet, at, length)) {
                Subscription subscription = subscriptionWithSsrc(GenericNack.mediaSsrc(packet, at));
                if (subscription != null) {
                    GenericNack.forEachLostSequenceNumber(packet, at, length, subscription::retransmit);
                }
            } else if (role == Role.VIEWER && ReceiverReport.isValid(packet, at, length)) {
                for (int i = 0; i < ReceiverReport.reportCount(packet, at); i++) {
                    int block = ReceiverReport.reportBlockOffset(at, i);
                    Subscription subscription = subscriptionWithSsrc(ReportBlock.sourceSsrc(packet, block));
                    if (subscription != null) {
                        subscription.lossReported(ReportBlock.cumulativeLost(packet, block));
                    }
                }
            } else if (role == Role.PUBLISHER && SenderReport.isValid(packet, at, length)) {
                Source source = sourcesBySsrc.get(SenderReport.senderSsrc(packet, at));
                if (source != null) {
                    source.senderReportReceived(SenderReport.ntpTimestamp(packet, at),
                            SenderReport.rtpTimestamp(packet, at), now);
                }
            }
        }
        if (cursor.isMalformed()) {
            context.metrics().dropped(DropReason.RTP_MALFORMED);
        }
    }

    private Subscription subscriptionWithSsrc(int ssrc) {
        for (Subscription subscription : subscriptions) {
            if (subscription.outgoingSsrcBits() == ssrc) {
                return subscription;
            }
        }
        return null;
    }

    private void keyframeRequestedFor(int mediaSsrc) {
        Subscription subscription = subscriptionWithSsrc(mediaSsrc);
        if (subscription != null) {
            subscription.keyframeRequestedByViewer(context.nanoClock().getAsLong());
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
        return true;
    }

    /**
     * Once a second on the event loop: consent, then feedback to a publisher (a receiver report
     * so its loss-based estimate may rise, a REMB with the configured bitrate), then stats.
     */
    void tick(long nowNanos, boolean statsDue) {
        if (closed.get()) {
            return;
        }
        if (consent.expired()) {
            log.info("{} consent expired after {} ms of silence", id, consent.silentNanos() / 1_000_000);
            close("consent expired");
            return;
        }
        reportInterruption(nowNanos);
        if (role == Role.VIEWER && srtpIfConnected() != null) {
            sendSenderReports(nowNanos);
        }
        if (role == Role.PUBLISHER && srtpIfConnected() != null) {
            sendReceiverFeedback(nowNanos);
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
        long silentNanos = Math.min(packetSilentNanos, consent.silentNanos());
        long checksOnlyNanos = context.interruptAfterNanos() * 5 / 2;
        boolean sendingOften = role == Role.PUBLISHER || receivesVideo();
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

    private boolean receivesVideo() {
        for (Subscription subscription : subscriptions) {
            if ("video".equals(subscription.slot().kind())) {
                return true;
            }
        }
        return false;
    }

    private void sendReceiverFeedback(long nowNanos) {
        int count = 0;
        for (Source source : sources) {
            if (source.ssrc() != 0 && source.packets() > 0 && count < feedbackSsrcs.length) {
                feedbackSsrcs[count++] = source.ssrc();
            }
        }
        if (count == 0) {
            return;
        }
        ByteBuf rtcp = context.transport().alloc().heapBuffer(
                ReceiverReport.HEADER_LENGTH + ReportBlock.LENGTH * count + 24 + 4 * count + SRTCP_HEADROOM);
        ReceiverReport.write(rtcp, rtcpSsrc, count);
        for (Source source : sources) {
            if (source.ssrc() != 0 && source.packets() > 0) {
                // loss is not measured yet: fraction and cumulative lost are reported as 0
                ReportBlock.write(rtcp, source.ssrc(), 0, 0, source.extendedHighestSequence(), 0,
                        source.lastSrCompactNtp(), source.delaySinceLastSr(nowNanos));
            }
        }
        Remb.write(rtcp, rtcpSsrc, context.publisherBitrateBps(), feedbackSsrcs, count);
        if (srtp.protectRtcp(rtcp)) {
            send(rtcp);
        } else {
            rtcp.release();
        }
    }

    /**
     * Once a second to a viewer: one SR per stream it receives, the publisher's own NTP/RTP pairing
     * carried through the viewer's timestamp mapping, so the browser can lip-sync audio and video
     * (same CNAME) and measure its RTT. Event loop.
     */
    private void sendSenderReports(long nowNanos) {
        ByteBuf rtcp = null;
        for (Subscription subscription : subscriptions) {
            if (rtcp == null) {
                rtcp = context.transport().alloc().heapBuffer(SenderReport.HEADER_AND_SENDER_INFO_LENGTH * 4 + SRTCP_HEADROOM);
            }
            subscription.writeSenderReport(rtcp, nowNanos);
        }
        if (rtcp == null) {
            return;
        }
        if (rtcp.readableBytes() > 0 && srtp.protectRtcp(rtcp)) {
            send(rtcp);
        } else {
            rtcp.release();
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
