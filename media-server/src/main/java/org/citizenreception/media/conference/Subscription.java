package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtp.HeaderExtensionValues;
import org.citizenreception.media.rtp.RtpHeaderExtensions;
import org.citizenreception.media.rtp.ResendInterval;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtxPacketizer;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A viewing endpoint's receipt of one {@link MediaSlot}: a fixed outgoing SSRC announced in the
 * viewer's SDP answer (with an RTX SSRC in an FID group when the viewer offered rtx), the viewer's
 * payload type, and the {@link SlotRewriter} that keeps the stream continuous whoever fills the
 * slot. Owned by the viewing endpoint; event-loop state.
 *
 * <p>Ownership: every packet sent is a pooled copy this class allocates and hands to its
 * {@link SendPipeline} (live packets and retransmissions) or, for a fast start's replay, to
 * {@link Endpoint#send}; packets borrowed from the source (live, or retained duplicates out of its
 * retransmission buffer) are released here, never passed on.
 */
public final class Subscription {
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    /** Room for the SRTP tag (16 for GCM, 10 for HMAC-SHA1-80) after the packet. */
    private static final int TAG_HEADROOM = 16;
    /**
     * The simulcast layer a viewer starts with, before its first estimate: the lowest. A commune's
     * line is unknown at join, and the middle layer already overloads a 300 kbit/s line for as long
     * as its estimator takes to say so: 2.5 s in a run on 4 Dec 2026 (the viewer froze 1.5 s). A
     * good line climbs instead, as a sender's libwebrtc starts low and probes up: the start-up
     * padding ({@link LayerControl}) brings its first estimate, and the probe steps take it further.
     */
    static final int START_LAYER = 0;
    /** Pinned for a cascade link: the selection clamps it to the top layer the source sends. */
    private static final int TOP_LAYER = Integer.MAX_VALUE;
    /** The one extension the bridge writes toward viewers: a one-byte-form block of 4 + one element of 1 + 3 bytes. */
    private static final int ABS_SEND_TIME_EXTENSION_LENGTH = 8;
    /** RFC 3550 5.1: the last padding byte counts the padding, so 255 is the most one packet carries. */
    private static final int PADDING_PACKET_BYTES = 255;
    /** A replay longer than this (a few seconds of 640x360) costs more burst than a fresh keyframe. */
    private static final int MAX_FAST_START_PACKETS = 1000;
    /**
     * A fast start from an older keyframe also asks for a fresh one (through the limiter): the
     * next joiners then get a short replay, and its packets stay in the 3 s retransmission history
     * long enough for their NACKs to be answered.
     */
    private static final long FRESH_KEYFRAME_NANOS = 1_000_000_000L;
    /**
     * No fast start from a keyframe older than this: its packets leave the 3 s retransmission
     * history soon after, so a viewer that lost one could not have it repaired; it waits for the
     * fresh keyframe instead.
     */
    private static final long MAX_FAST_START_KEYFRAME_AGE_NANOS = 2_000_000_000L;
    /**
     * A viewer with nothing to replay waits this long for the publisher's own next keyframe rather
     * than ask for one: in a join storm the publisher's encoder would otherwise be asked again each
     * limiter interval, while the keyframe that serves everyone is a frame or a few away.
     */
    private static final long OWN_KEYFRAME_WAIT_NANOS = 250_000_000L;
    /** The held keyframe is resent to one viewer at most this often, however often it asks. */
    private static final long KEYFRAME_RESEND_INTERVAL_NANOS = 200_000_000L;
    /** Bounds the resend walk: a 720p VP8 keyframe is well under 200 packets. */
    private static final int MAX_KEYFRAME_PACKETS = 200;

    private final String id;
    private final Endpoint viewer;
    /** Changes only for a program subscription following the dominant speaker (event loop). */
    private volatile MediaSlot slot;
    private final boolean program;
    private final int clockRateHz;
    /** Event loop: outgoing minus incoming RTP timestamp of the last packet sent, and its source. */
    private int timestampDelta;
    private int deltaSourceSsrc;
    private boolean hasDelta;
    private long packetsSent;
    private long octetsSent;
    /** Two seconds of layer ticks: what the viewer was sent of late, for {@link LayerControl}'s audio-only floor. */
    private static final int SENT_WINDOW_TICKS = 20;
    private final long[] sentOctetsPerTick = new long[SENT_WINDOW_TICKS];
    private long octetsAtLastTick;
    private int sentTick;
    /** {@link #packetsSent} when this stream's last SR was written (event loop). */
    private long packetsSentAtLastReport;
    /** {@link #retransmit} made once: a viewer's NACK is read without binding a new method reference. */
    final IntConsumer retransmitter = this::retransmit;
    private final int payloadType;
    private final int outgoingSsrc;
    /** RFC 4588 when the viewer negotiated it: retransmissions go out on their own SSRC and sequence. -1/0 without. */
    private final int rtxPayloadType;
    private final int rtxSsrc;
    private final SlotRewriter rewriter;
    /** The viewer's id for abs-send-time, stamped on every packet so its estimator can judge the line; -1 without. */
    private final int absSendTimeExtensionId;
    /** Which simulcast layer this viewer gets (video; unused while the slot's source has no layers). */
    private final LayerControl layers;
    /** The viewer's id for transport-wide-cc, stamped on probe padding only (see {@link ProbeArrivals}); -1 without. */
    private final int transportCcExtensionId;
    /** Padding bytes sent to probe the viewer's line; written on the event loop, read by stats. */
    private volatile long paddingSent;
    /** The layer state last logged at DEBUG, so a line is written per decision, not per tick. */
    private String loggedLayerState = "";
    /** Whether the viewers-per-layer gauge counts this subscription (event loop). */
    private boolean layerCounted;
    /** Rewrite, RTX, SRTP, send: the per-packet way out of live packets and retransmissions. */
    private final SendPipeline sendPipeline;
    /** Event loop: when each recent outgoing packet was last resent, so repeated NACKs cannot amplify. */
    private final ResendInterval resends;
    private final long subscribedNanos;
    private boolean firstKeyframeSent;
    /** Event loop: when the held keyframe was last resent on this viewer's request, and whether there was one. */
    private long keyframeResentNanos;
    private boolean heldKeyframeServed;
    /** Event loop: set once the viewer is connected and fast start had its turn; live packets wait for it. */
    private boolean armed;
    private volatile boolean closed;
    /** From the viewer's receiver reports; written on the event loop, read by stats. */
    private volatile long reportedLost;

    /** @param rtxPayloadType the viewer's RTX payload type for {@code payloadType} (video), or -1 for plain retransmissions */
    Subscription(Endpoint viewer, MediaSlot slot, int payloadType, int rtxPayloadType, int clockRateHz, boolean program) {
        this(viewer, slot, payloadType, rtxPayloadType, clockRateHz, program, -1, -1);
    }

    /**
     * @param absSendTimeExtensionId the viewer's abs-send-time id (its bandwidth estimate needs it), or -1
     * @param transportCcExtensionId the viewer's transport-wide-cc id (its probe padding is judged by it), or -1
     */
    Subscription(Endpoint viewer, MediaSlot slot, int payloadType, int rtxPayloadType, int clockRateHz, boolean program,
                 int absSendTimeExtensionId, int transportCcExtensionId) {
        this(viewer, slot, payloadType, rtxPayloadType, clockRateHz, program,
                ThreadLocalRandom.current().nextInt() | 1, ThreadLocalRandom.current().nextInt() | 1, absSendTimeExtensionId,
                transportCcExtensionId);
    }

    /**
     * With the outgoing SSRCs chosen beforehand: a cascade link's upward stream announces them in
     * the offer it makes, before the endpoint (built from the answer) exists.
     */
    Subscription(Endpoint viewer, MediaSlot slot, int payloadType, int rtxPayloadType, int clockRateHz, boolean program,
                 int outgoingSsrc, int outgoingRtxSsrc, int absSendTimeExtensionId, int transportCcExtensionId) {
        this.absSendTimeExtensionId = absSendTimeExtensionId > 0 && absSendTimeExtensionId < 15 ? absSendTimeExtensionId : -1;
        this.transportCcExtensionId = transportCcExtensionId > 0 && transportCcExtensionId < 15 ? transportCcExtensionId : -1;
        this.layers = new LayerControl(START_LAYER, this.transportCcExtensionId > 0);
        if (viewer.linkId() != null) {
            // A cascade link sends no estimate and carries the stream on for every viewer of the other
            // bridge, the best lines among them too: it gets the top layer.
            layers.pin(TOP_LAYER);
        }
        this.viewer = viewer;
        this.slot = slot;
        this.program = program;
        this.clockRateHz = clockRateHz;
        this.id = viewer.id() + "-" + slot;
        this.payloadType = payloadType;
        this.outgoingSsrc = outgoingSsrc;
        this.rtxPayloadType = slot.kind() == MediaKind.VIDEO ? rtxPayloadType : -1;
        this.rtxSsrc = this.rtxPayloadType >= 0 ? outgoingRtxSsrc : 0;
        this.rewriter = slot.kind() == MediaKind.VIDEO
                ? SlotRewriter.forVideo(outgoingSsrc, clockRateHz, viewer.context().nanoClock())
                : SlotRewriter.forAudio(outgoingSsrc, clockRateHz, viewer.context().nanoClock());
        this.sendPipeline = new SendPipeline(viewer, rewriter, rtxSsrc, this.rtxPayloadType);
        this.resends = new ResendInterval(viewer.context().retransmissionLimits().resendInterval().toNanos());
        this.subscribedNanos = viewer.context().nanoClock().getAsLong();
    }

    public String id() {
        return id;
    }

    public MediaSlot slot() {
        return slot;
    }

    /** True for a viewer's only audio/video pair, which may follow the dominant speaker. */
    public boolean isProgram() {
        return program;
    }

    /**
     * Program only: receive {@code target} from now on (same outgoing SSRC, no renegotiation);
     * video resumes at the new source's next keyframe, which is requested. Event loop.
     */
    void moveTo(MediaSlot target) {
        MediaSlot current = slot;
        if (current == target || closed) {
            return;
        }
        current.remove(this);
        slot = target;
        target.add(this);
        followSlot();
        keyframeRequested();
    }

    /** The SSRC the viewer sees for this slot, whoever fills it. */
    public long outgoingSsrc() {
        return Integer.toUnsignedLong(outgoingSsrc);
    }

    /** The SSRC of the source this viewer is being sent now (0 when none); diagnostics, read racily. */
    public long forwardedSourceSsrc() {
        return rewriter.hasSource() ? Integer.toUnsignedLong(rewriter.currentSourceSsrc()) : 0;
    }

    /** The SSRC of this viewer's RTX stream (announced with ssrc-group FID), or -1 without RTX. */
    public long outgoingRtxSsrc() {
        return rtxPayloadType >= 0 ? Integer.toUnsignedLong(rtxSsrc) : -1;
    }

    int outgoingSsrcBits() {
        return outgoingSsrc;
    }

    /**
     * Points the rewriter at whoever fills the slot when this runs (on the event loop). Any thread.
     * A source that came over the viewer's own cascade link is never sent back over it: the other
     * bridge has that stream already, and echoing it would loop it between them.
     */
    void followSlot() {
        viewer.runOnEventLoop(() -> {
            Source source = forwardedSource();
            if (source == null || cameOverOwnLink(source)) {
                rewriter.clear();
            } else if (source.ssrc() != 0) {
                rewriter.switchTo(source.ssrc(), source.codec());
            }
        });
    }

    private boolean cameOverOwnLink(Source source) {
        String link = viewer.linkId();
        return link != null && link.equals(source.owner().linkId());
    }

    /**
     * What this viewer is sent of the slot: its source, or for a simulcast source the layer this
     * viewer's {@link LayerControl} chose (null in audio-only).
     */
    private Source forwardedSource() {
        Source source = slot.source();
        SimulcastLayers group = source == null ? null : source.layers();
        if (group == null) {
            return source;
        }
        int layer = layers.forwardedLayer();
        return layer == LayerSelection.AUDIO_ONLY ? null : group.layer(Math.min(layer, group.count() - 1));
    }

    /**
     * Every 100 ms on the event loop, for a video slot filled by a simulcast source: chooses the
     * layer (a change switches at the new layer's keyframe, which is asked for) and pads towards
     * the next layer when probing. Nothing for a slot without layers.
     */
    void layerTick(ViewerBandwidth bandwidth, long nowNanos) {
        Source source = slot.source();
        SimulcastLayers group = source == null ? null : source.layers();
        if (group == null || closed || !armed) {
            return;
        }
        long[] bitrates = group.bitratesBps();
        int before = layers.forwardedLayer();
        int after = layers.decide(bandwidth, bitrates, sentMediaBps(), nowNanos);
        if (after != before) {
            viewer.context().metrics().layerSwitched(before, after);
            layerCounted = true;
            Source target = forwardedSource();
            if (target == null) {
                rewriter.clear();
            } else if (target.ssrc() != 0) {
                rewriter.switchTo(target.ssrc(), target.codec());
                if (rewriter.isSwitchPending()) {
                    target.requestKeyframe();
                }
            }
        }
        if (rtxPayloadType < 0) {
            return;
        }
        if (rewriter.packetsForwarded() > LayerControl.INITIAL_BURST_PACKETS && layers.takeInitialBurst()) {
            resendRecent(LayerControl.INITIAL_BURST_PACKETS);
        }
        int padding = layers.paddingBytes(bandwidth, bitrates, nowNanos);
        if (padding > 0) {
            sendPadding(padding, bandwidth.probeArrivals());
        }
        if (log.isDebugEnabled()) {
            logLayerDecision(bandwidth, bitrates, padding);
        }
    }

    /** The media payload this subscription sent over the last {@link #SENT_WINDOW_TICKS} layer ticks, in bit/s. */
    private long sentMediaBps() {
        long octets = octetsSent;
        sentOctetsPerTick[sentTick % SENT_WINDOW_TICKS] = octets - octetsAtLastTick;
        octetsAtLastTick = octets;
        sentTick = sentTick + 1 < 2 * SENT_WINDOW_TICKS ? sentTick + 1 : SENT_WINDOW_TICKS; // stays a full window once full
        int ticks = Math.min(sentTick, SENT_WINDOW_TICKS);
        long sum = 0;
        for (int i = 0; i < ticks; i++) {
            sum += sentOctetsPerTick[i];
        }
        return sum * 8 * 10 / ticks; // ten layer ticks a second
    }

    /** One DEBUG line when the layer, the estimate or the probing changed (not per tick). */
    private void logLayerDecision(ViewerBandwidth bandwidth, long[] bitrates, int padding) {
        String state = "layer " + layers.forwardedLayer() + " remb " + bandwidth.rembBps() / 1000 + " estimate "
                + bandwidth.estimateBps() / 1000 + " proven " + layers.provenBps() / 1000
                + (layers.isProbing() ? " probing to " + layers.probeTargetBps() / 1000 : " not probing")
                + (layers.lastRefusal().isEmpty() ? "" : " (last refused: " + layers.lastRefusal() + ")")
                + (padding > 0 ? " padding" : "");
        if (!state.equals(loggedLayerState)) {
            loggedLayerState = state;
            StringBuilder kbps = new StringBuilder();
            for (long bps : bitrates) {
                kbps.append(kbps.isEmpty() ? "" : "/").append(bps / 1000);
            }
            log.debug("{} {} (kbit/s; layers {}, padding sent {} kB)", id, state, kbps, paddingSent / 1000);
        }
    }

    /**
     * Resends the viewer's last {@code count} packets back to back as RTX (a probe burst: see
     * {@link LayerControl}). Outside the NACK budget and resend interval: twice per viewer at most.
     */
    private void resendRecent(int count) {
        int last = rewriter.lastOutgoingSequence();
        for (int k = count - 1; k >= 0; k--) {
            int outgoing = (last - k) & 0xFFFF;
            int incoming = rewriter.incomingSequenceNumberOf(outgoing);
            Source source = incoming < 0 ? null : slot.sourceWithSsrc(rewriter.sourceSsrcOf(outgoing));
            ByteBuf original = source == null ? null : source.retransmission(incoming);
            if (original != null) {
                int size = original.readableBytes();
                if (resend(original)) {
                    paddingSent += size;
                }
            }
        }
    }

    /** Pins this viewer to a simulcast layer (-1 unpins). Any thread. */
    void pinLayer(int layer) {
        layers.pin(layer);
    }

    /** The simulcast layer this viewer gets (0 the lowest), {@link LayerSelection#AUDIO_ONLY}, or the top before any choice. */
    public int forwardedLayer() {
        return layers.forwardedLayer();
    }

    /** Whether the slot's source sends simulcast layers, so {@link #forwardedLayer()} means something. */
    public boolean receivesLayers() {
        Source source = slot.source();
        return source != null && source.layers() != null;
    }

    /** Padding bytes sent so far to probe the viewer's line. */
    public long paddingBytesSent() {
        return paddingSent;
    }

    /** The pinned layer, or -1. */
    public int pinnedLayer() {
        return layers.pinnedLayer();
    }

    /** Padding-only RTX packets of up to {@link #PADDING_PACKET_BYTES} worth {@code bytes} in all. Event loop. */
    private void sendPadding(int bytes, ProbeArrivals arrivals) {
        SrtpTransformer srtp = viewer.srtpIfConnected();
        if (srtp == null) {
            return;
        }
        int timestamp = rewriter.rtpTimestampNow();
        // a probe step's padding carries a transport-wide sequence number instead of abs-send-time:
        // the viewer reports its arrivals, and keeps it out of its REMB (ProbeArrivals says why)
        boolean stamped = transportCcExtensionId > 0 && layers.stampsPadding();
        long nowNanos = viewer.context().nanoClock().getAsLong();
        for (int left = bytes; left > 0; left -= PADDING_PACKET_BYTES) {
            ByteBuf packet = viewer.context().transport().alloc().heapBuffer(RtpHeader.FIXED_HEADER_LENGTH
                    + ABS_SEND_TIME_EXTENSION_LENGTH + PADDING_PACKET_BYTES + TAG_HEADROOM);
            RtpHeader.write(packet, false, rtxPayloadType, 0, timestamp, rtxSsrc);
            if (stamped) {
                writeTransportSequence(packet, arrivals.stamp(nowNanos));
            } else if (absSendTimeExtensionId > 0) {
                writeAbsSendTime(packet);
            }
            packet.setByte(0, packet.getByte(0) | 0x20);
            packet.writeZero(PADDING_PACKET_BYTES - 1);
            packet.writeByte(PADDING_PACKET_BYTES);
            if (sendPipeline.sendPadding(packet, srtp)) {
                paddingSent += PADDING_PACKET_BYTES;
            }
        }
    }

    /** Appends a one-byte-form extension block holding a transport-wide sequence number (RFC 8285 4.2) and sets the X bit. */
    private void writeTransportSequence(ByteBuf packet, int sequence) {
        packet.setByte(packet.readerIndex(), packet.getByte(packet.readerIndex()) | 0x10);
        packet.writeShort(RtpHeaderExtensions.ONE_BYTE_PROFILE);
        packet.writeShort(1);
        packet.writeByte(transportCcExtensionId << 4 | 1);
        packet.writeShort(sequence);
        packet.writeByte(0);
    }

    /** Appends a one-byte-form extension block holding abs-send-time (RFC 8285 4.2) and sets the X bit. */
    private void writeAbsSendTime(ByteBuf packet) {
        packet.setByte(packet.readerIndex(), packet.getByte(packet.readerIndex()) | 0x10);
        packet.writeShort(RtpHeaderExtensions.ONE_BYTE_PROFILE);
        packet.writeShort(1);
        packet.writeByte(absSendTimeExtensionId << 4 | 2);
        packet.writeMedium(HeaderExtensionValues.absSendTimeOfNanos(viewer.context().nanoClock().getAsLong()));
    }

    /**
     * Sends the viewer its own copy of {@code plain} (borrowed, not released here): copy without
     * header extensions (the viewer negotiated none), set its payload type, rewrite, encrypt, write.
     */
    void forward(Source source, ByteBuf plain, boolean keyframe, long nowNanos) {
        if (closed || !armed || !rewriter.accepts(RtpHeader.ssrc(plain))) {
            return;
        }
        SrtpTransformer srtp = viewer.srtpIfConnected();
        if (srtp == null) {
            return;
        }
        ByteBuf copy = viewerCopy(plain, 0);
        if (copy == null) {
            return;
        }
        OutgoingPacket outcome = sendPipeline.send(copy, srtp, false);
        if (outcome.refusedByRewriter) {
            if (rewriter.isSwitchPending() && !source.ownKeyframeDueWithin(nowNanos, OWN_KEYFRAME_WAIT_NANOS)) {
                source.requestKeyframe();
            }
            return;
        }
        noteSent(plain, outcome); // the rewrite stage, the first, let it through
        if (outcome.sent && keyframe && !firstKeyframeSent) {
            firstKeyframeSent = true;
            viewer.context().metrics().firstKeyframe(Duration.ofNanos(nowNanos - subscribedNanos));
            viewer.joinTimeline().reach(JoinTimeline.Milestone.FIRST_KEYFRAME_SENT);
        }
    }

    /**
     * Answers the viewer's NACK for its {@code outgoingSequence} from the source's retransmission
     * buffer: the same bytes it would have got, as an RTX packet when it negotiated RTX (its SRTP
     * replay window then never sees an old sequence number, and its stats count the repair).
     * Within the viewer's limits only: a packet is resent once per resend interval, and while the
     * viewer's byte-rate budget lasts; the rest is dropped and counted.
     */
    void retransmit(int outgoingSequence) {
        int incoming = rewriter.incomingSequenceNumberOf(outgoingSequence);
        if (incoming < 0 || closed) {
            return;
        }
        long now = viewer.context().nanoClock().getAsLong();
        if (!resends.mayResend(outgoingSequence, now)) {
            viewer.context().metrics().retransmissionRefusedAsRepeat();
            return;
        }
        Source source = slot.sourceWithSsrc(rewriter.sourceSsrcOf(outgoingSequence));
        if (source == null) {
            return;
        }
        ByteBuf original = source.retransmission(incoming);
        if (original == null) {
            return;
        }
        if (!viewer.retransmissionBudget().trySpend(original.readableBytes())) {
            original.release();
            viewer.context().metrics().retransmissionRefusedOverRate();
            return;
        }
        if (resend(original)) {
            resends.resent(outgoingSequence, now);
            viewer.context().metrics().nackServed();
        }
    }

    /**
     * Sends {@code original} (a retained duplicate from a retransmission buffer, released here)
     * again under the outgoing sequence number it had or would have had: RTX when negotiated.
     * False when nothing was sent.
     */
    private boolean resend(ByteBuf original) {
        SrtpTransformer srtp = viewer.srtpIfConnected();
        if (srtp == null) {
            original.release();
            return false;
        }
        boolean rtx = rtxPayloadType >= 0;
        ByteBuf copy;
        try {
            copy = viewerCopy(original, rtx ? RtxPacketizer.OSN_LENGTH : 0);
        } finally {
            original.release();
        }
        if (copy == null) {
            return false;
        }
        return sendPipeline.send(copy, srtp, true).sent;
    }

    /** Remembers the timestamp mapping of what was just rewritten, for sender reports. */
    private void noteSent(ByteBuf plain, OutgoingPacket rewritten) {
        timestampDelta = rewritten.rewrittenTimestamp - RtpHeader.timestamp(plain);
        deltaSourceSsrc = RtpHeader.ssrc(plain);
        hasDelta = true;
        packetsSent++;
        octetsSent += rewritten.payloadOctets;
    }

    /**
     * Whether this stream has an SR to send: its source has sent one, and this stream carried
     * packets since its own last SR (RFC 3550 §6.4: a participant that sent nothing reports as a
     * receiver). A slot without a source (no guest on stage) then costs its viewers nothing a second.
     * Event loop.
     */
    boolean isSenderReportDue() {
        if (!hasDelta || closed || packetsSent == packetsSentAtLastReport) {
            return false;
        }
        Source source = slot.sourceWithSsrc(deltaSourceSsrc);
        return source != null && source.hasSenderReport();
    }

    /** Appends this stream's SR when {@link #isSenderReportDue()} (nothing otherwise). Event loop. */
    void writeSenderReport(ByteBuf out, long nowNanos) {
        if (!isSenderReportDue()) {
            return;
        }
        Source source = slot.sourceWithSsrc(deltaSourceSsrc);
        packetsSentAtLastReport = packetsSent;
        SenderReport.write(out, outgoingSsrc, source.ntpNow(nowNanos),
                source.rtpNow(nowNanos, clockRateHz) + timestampDelta, packetsSent, octetsSent, 0);
    }

    /**
     * A pooled copy with the viewer's payload type, without the publisher's header extensions but
     * with abs-send-time when the viewer negotiated it, with room for the SRTP tag and
     * {@code extraRoom} more bytes (an RTX OSN); null if malformed. The caller owns it.
     */
    private ByteBuf viewerCopy(ByteBuf plain, int extraRoom) {
        int header = RtpHeader.headerLength(plain);
        if (header < 0) {
            return null;
        }
        int fixed = RtpHeader.FIXED_HEADER_LENGTH + 4 * RtpHeader.csrcCount(plain);
        int payload = plain.readableBytes() - header;
        int extension = absSendTimeExtensionId > 0 ? ABS_SEND_TIME_EXTENSION_LENGTH : 0;
        ByteBuf copy = viewer.context().transport().alloc().heapBuffer(fixed + extension + payload + extraRoom + TAG_HEADROOM);
        if (plain.hasArray()) {
            // array to array: Netty's buffer-to-buffer copy into a pooled buffer goes through an NIO
            // view of the source, an object per copy, which is per packet per viewer
            byte[] bytes = plain.array();
            int start = plain.arrayOffset() + plain.readerIndex();
            copy.writeBytes(bytes, start, fixed);
            copy.setByte(0, copy.getByte(0) & ~0x10);
            if (extension > 0) {
                writeAbsSendTime(copy);
            }
            copy.writeBytes(bytes, start + header, payload);
        } else {
            copy.writeBytes(plain, plain.readerIndex(), fixed);
            copy.setByte(0, copy.getByte(0) & ~0x10);
            if (extension > 0) {
                writeAbsSendTime(copy);
            }
            copy.writeBytes(plain, plain.readerIndex() + header, payload);
        }
        RtpHeader.setPayloadType(copy, payloadType);
        return copy;
    }

    /** Takes ownership of {@code copy}. */
    private boolean protectAndSend(SrtpTransformer srtp, ByteBuf copy) {
        if (!srtp.protectRtp(copy)) {
            copy.release();
            return false;
        }
        viewer.send(copy);
        return true;
    }

    /** The viewer's receiver report: cumulative packets lost on this stream (RFC 3550 6.4.1). */
    void lossReported(int cumulativeLost) {
        reportedLost = Math.max(0, cumulativeLost);
    }

    long reportedLost() {
        return reportedLost;
    }

    /**
     * A PLI or FIR from the viewer: it lost its keyframe. It gets the one the bridge holds again at
     * once (as retransmissions); a fresh one is asked for through the limiter (which may hold the
     * request for a few hundred ms in a join storm) only as {@link #upstreamKeyframeWanted} says:
     * in a join storm every viewer's PLI used to become a request to the publisher. Event loop.
     */
    void keyframeRequestedByViewer(long nowNanos) {
        if (keyframeResentNanos == 0 || nowNanos - keyframeResentNanos > KEYFRAME_RESEND_INTERVAL_NANOS) {
            keyframeResentNanos = nowNanos;
            heldKeyframeServed = resendHeldKeyframe();
        }
        if (upstreamKeyframeWanted(forwardedSource(), heldKeyframeServed, nowNanos)) {
            keyframeRequested();
        }
    }

    /**
     * Whether the publisher should be asked for a keyframe for this viewer. Served from a held one:
     * only when that one is older than {@link #FRESH_KEYFRAME_NANOS} and the publisher's own is not
     * due within as long. Nothing to serve from: unless the publisher's own keyframe is due within
     * {@link #OWN_KEYFRAME_WAIT_NANOS}.
     */
    private static boolean upstreamKeyframeWanted(Source source, boolean served, long nowNanos) {
        if (source == null) {
            return false;
        }
        return served
                ? source.keyframeAgeNanos(nowNanos) > FRESH_KEYFRAME_NANOS && !source.ownKeyframeDueWithin(nowNanos, FRESH_KEYFRAME_NANOS)
                : !source.ownKeyframeDueWithin(nowNanos, OWN_KEYFRAME_WAIT_NANOS);
    }

    /**
     * The packets of the source's last keyframe, from its first to its marker, out of the
     * retransmission buffer; false when it holds none to resend.
     */
    private boolean resendHeldKeyframe() {
        Source source = forwardedSource();
        if (source == null || !source.isVideo() || closed || !rewriter.hasSource()
                || source.ssrc() != rewriter.currentSourceSsrc() || source.lastKeyframeSequence() < 0) {
            return false;
        }
        int first = source.lastKeyframeSequence();
        long keyframeTimestamp = -1;
        for (int i = 0; i < MAX_KEYFRAME_PACKETS; i++) {
            ByteBuf original = source.retransmission((first + i) & 0xFFFF);
            if (original == null) {
                if (i == 0) {
                    return false; // aged out: only the fresh keyframe will do
                }
                continue;
            }
            long timestamp = Integer.toUnsignedLong(RtpHeader.timestamp(original));
            boolean last = RtpHeader.marker(original);
            if (keyframeTimestamp >= 0 && timestamp != keyframeTimestamp) {
                original.release();
                return true;
            }
            keyframeTimestamp = timestamp;
            resend(original);
            if (last) {
                return true;
            }
        }
        return true;
    }

    /** Ask whoever fills the slot for a keyframe (limited per conference). */
    void keyframeRequested() {
        Source source = forwardedSource();
        if (source != null) {
            source.requestKeyframe();
        }
    }

    /**
     * Called when the viewer is connected: a decodable picture is wanted at once. Video is served
     * from the last keyframe the bridge holds when it can (fast start); otherwise a keyframe is
     * requested, merged with everyone else's by the limiter, unless the publisher's own next one is
     * due within {@link #OWN_KEYFRAME_WAIT_NANOS}. A fast start from an old keyframe asks for a
     * fresh one unless the publisher's own is due within {@link #FRESH_KEYFRAME_NANOS} anyway.
     */
    void viewerConnected() {
        viewer.runOnEventLoop(() -> {
            boolean started = fastStart();
            armed = true;
            if (upstreamKeyframeWanted(forwardedSource(), started, viewer.context().nanoClock().getAsLong())) {
                keyframeRequested();
            }
        });
    }

    /**
     * Replays, to a viewer that has received nothing yet, the slot's source from its last keyframe
     * up to its newest packet, out of the retransmission buffer; later packets then follow live.
     * False when there is nothing to replay (no keyframe held, or it has aged out). Event loop.
     */
    private boolean fastStart() {
        Source source = forwardedSource();
        SrtpTransformer srtp = viewer.srtpIfConnected();
        if (source == null || srtp == null || !source.isVideo() || rewriter.hasSource() || closed) {
            return false;
        }
        int first = source.lastKeyframeSequence();
        int last = source.highestSequence();
        int count = ((last - first) & 0xFFFF) + 1;
        long now = viewer.context().nanoClock().getAsLong();
        if (first < 0 || last < 0 || count > MAX_FAST_START_PACKETS
                || source.keyframeAgeNanos(now) > MAX_FAST_START_KEYFRAME_AGE_NANOS) {
            return false;
        }
        ByteBuf keyframeStart = source.retransmission(first);
        if (keyframeStart == null) {
            return false;
        }
        keyframeStart.release();
        for (int i = 0; i < count; i++) {
            ByteBuf original = source.retransmission((first + i) & 0xFFFF);
            if (original == null) {
                continue; // lost on the way in: the viewer's NACK, or its PLI, recovers it
            }
            ByteBuf copy;
            try {
                copy = viewerCopy(original, 0);
            } finally {
                original.release();
            }
            if (copy == null) {
                continue;
            }
            if (!rewriter.rewrite(copy)) {
                copy.release();
                continue;
            }
            if (protectAndSend(srtp, copy) && i == 0 && !firstKeyframeSent) {
                firstKeyframeSent = true;
                viewer.context().metrics().firstKeyframe(Duration.ofNanos(now - subscribedNanos));
                viewer.joinTimeline().reach(JoinTimeline.Milestone.FIRST_KEYFRAME_SENT);
            }
        }
        return rewriter.hasSource();
    }

    void close() {
        if (!closed) {
            closed = true;
            if (layerCounted) {
                viewer.runOnEventLoop(() -> viewer.context().metrics().layerSwitched(layers.forwardedLayer(), Integer.MIN_VALUE));
            }
            slot.remove(this);
        }
    }
}
