package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.rtcp.KeyframeRequestLimiter;
import org.citizenreception.media.rtcp.NackGenerator;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtp.KeyframeCadence;
import org.citizenreception.media.rtp.RetransmissionBuffer;
import org.citizenreception.media.rtp.SequenceNumbers;
import org.citizenreception.media.rtp.VideoCodec;
import org.citizenreception.media.sdp.MediaKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream a publishing endpoint sends (one SSRC, audio or video), owned by that endpoint. While
 * a {@link MediaSlot} carries it, every packet goes to the slot's subscribers.
 *
 * <p>Video packets are kept in a {@link RetransmissionBuffer} so viewers' NACKs are answered by
 * the bridge. Keyframe requests from any number of viewers go through the conference's
 * {@link KeyframeRequestLimiter}, so a join storm costs the publisher one keyframe.
 */
public final class Source {
    private static final Logger log = LoggerFactory.getLogger(Source.class);

    /**
     * Three seconds of video (2,048 packets, ~2.5 MB at 640x360): besides NACKs, this history lets
     * a late joiner start at the last keyframe (fast start) when it is up to 3 s old.
     */
    private static final int RETRANSMISSION_PACKETS = 2048;
    private static final long RETRANSMISSION_MAX_AGE_MILLIS = 3000;
    /** A packet is NACKed 20 ms after its gap (reordering settles), then every 100 ms, 5 times at most. */
    private static final int NACK_RETRIES = 5;
    private static final long NACK_REORDER_TOLERANCE_MILLIS = 20;
    private static final long NACK_RETRY_INTERVAL_MILLIS = 100;

    private final String id;
    private final Endpoint owner;
    private final MediaKind kind;
    private final VideoCodec codec;
    private final int payloadType;
    private final int audioLevelExtensionId;
    private final KeyframeRequestLimiter keyframes;
    private final RetransmissionBuffer retransmissions;
    /** The bridge's own losses from the publisher (video), NACKed upstream; event loop. */
    private final NackGenerator losses;
    private volatile int rtxSsrc;
    /** The simulcast rid this stream carries (RFC 8851), or null for a stream without layers. */
    private final String rid;
    /** The layers this one belongs to, or null; set once before the first packet. */
    private volatile SimulcastLayers layers;
    private volatile int ssrc;
    private volatile MediaSlot slot;
    private volatile boolean closed;
    /** Event-loop state. */
    private int highestSequence = -1;
    private int sequenceCycles;
    private long packets;
    /** Bytes of packets received (RTP headers included): the layer's measured bitrate. Event loop. */
    private long octets;
    private int lastSrCompactNtp;
    private long lastSrNtp;
    private int lastSrRtp;
    private int lastKeyframeSequence = -1;
    private long lastKeyframeNanos;
    /** The publisher's own keyframe interval, so joiners can wait for a keyframe coming anyway; event loop. */
    private final KeyframeCadence cadence = new KeyframeCadence();
    private long lastSrReceivedNanos;

    Source(Endpoint owner, MediaKind kind, int ssrc, int rtxSsrc, int payloadType, String codecName,
           int audioLevelExtensionId, KeyframeRequestLimiter keyframes) {
        this(owner, kind, ssrc, rtxSsrc, payloadType, codecName, audioLevelExtensionId, keyframes, null);
    }

    /** @param rid the simulcast layer's rid, whose SSRC the first packet carrying it names; null without layers */
    Source(Endpoint owner, MediaKind kind, int ssrc, int rtxSsrc, int payloadType, String codecName,
           int audioLevelExtensionId, KeyframeRequestLimiter keyframes, String rid) {
        this.rtxSsrc = rtxSsrc;
        this.rid = rid;
        this.id = owner.id() + "-" + kind + (rid == null ? "" : "-" + rid);
        this.owner = owner;
        this.kind = kind;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.codec = kind == MediaKind.VIDEO ? (codecName.equalsIgnoreCase("H264") ? VideoCodec.H264 : VideoCodec.VP8) : null;
        this.audioLevelExtensionId = audioLevelExtensionId;
        this.keyframes = keyframes;
        this.retransmissions = codec == null ? null
                : new RetransmissionBuffer(RETRANSMISSION_PACKETS, RETRANSMISSION_MAX_AGE_MILLIS, owner.context().nanoClock());
        this.losses = codec == null ? null : new NackGenerator(NACK_RETRIES, NACK_REORDER_TOLERANCE_MILLIS,
                NACK_RETRY_INTERVAL_MILLIS, owner.context().nanoClock());
    }

    public String id() {
        return id;
    }

    public MediaKind kind() {
        return kind;
    }

    public int ssrc() {
        return ssrc;
    }

    public boolean isVideo() {
        return codec != null;
    }

    /** VP8 or H264 for video, null for audio. */
    VideoCodec codec() {
        return codec;
    }

    int payloadType() {
        return payloadType;
    }

    /** The publisher's RTX SSRC for this stream, 0 when none was announced. */
    int rtxSsrc() {
        return rtxSsrc;
    }

    /** The simulcast rid, or null. */
    String rid() {
        return rid;
    }

    /** The layers this stream is one of, or null when the publisher sends one. */
    SimulcastLayers layers() {
        return layers;
    }

    void joinLayers(SimulcastLayers group) {
        this.layers = group;
    }

    /** For a simulcast layer: the repaired-rid extension of an RTX packet named its SSRC. Event loop. */
    void learnRtxSsrc(int learned) {
        log.info("{} learned rtx ssrc {}", id, Integer.toUnsignedString(learned));
        this.rtxSsrc = learned;
    }

    long octets() {
        return octets;
    }

    /** Writes the sequence numbers to NACK now into {@code lost}; returns how many. Event loop. */
    int collectLosses(int[] lost) {
        return losses == null || closed ? 0 : losses.collectDue(lost);
    }

    /** Video packets found missing from the publisher (gaps, before any repair); 0 for audio. Racy read. */
    long lossesDetected() {
        return losses == null ? 0 : losses.detectedCount();
    }

    Endpoint owner() {
        return owner;
    }

    /** For an offer without a=ssrc: the first RTP packet with our payload type names the SSRC. Event loop. */
    void learnSsrc(int learned) {
        log.info("{} learned ssrc {}", id, Integer.toUnsignedString(learned));
        this.ssrc = learned;
        MediaSlot current = slot;
        if (current != null) {
            for (Subscription subscription : current.subscriptions()) {
                subscription.followSlot();
            }
            RecordingTap tap = current.recordingTap();
            if (tap != null) {
                tap.followSlot();
            }
        }
    }

    void placed(MediaSlot into) {
        slot = into;
        log.info("{} placed in slot {}", id, into);
    }

    /** Keeps {@link #slot}: the slot still carries us as its previous source until viewers have switched. */
    void unplaced(MediaSlot from) {
        log.info("{} leaves slot {}", id, from);
    }

    /**
     * Receive path ({@link SourceHistory}): a packet of this stream arrived. Keeps a retained
     * reference for retransmissions (the packet is never written again); the caller keeps its own.
     * Event loop.
     */
    void recordArrival(int sequence, ByteBuf plain) {
        packets++;
        octets += plain.readableBytes();
        trackSequence(sequence);
        if (losses != null) {
            losses.onPacket(sequence);
        }
        if (retransmissions != null) {
            retransmissions.insert(sequence, plain.retain());
        }
    }

    /** Receive path ({@link KeyframeTracking}): packet {@code sequence} starts a keyframe. Event loop. */
    void keyframeStarted(int sequence, long nowNanos) {
        keyframes.onKeyframe(ssrc);
        lastKeyframeSequence = sequence;
        lastKeyframeNanos = nowNanos;
        cadence.onKeyframe(nowNanos);
    }

    /** The publisher's id for the audio-level extension, or a value <= 0 when not negotiated. */
    int audioLevelExtensionId() {
        return audioLevelExtensionId;
    }

    /** The slot that carries (or last carried) this source, or null. */
    MediaSlot slot() {
        return slot;
    }

    boolean isClosed() {
        return closed;
    }

    /** Sequence number of the last keyframe's first packet, or -1. Event loop. */
    int lastKeyframeSequence() {
        return lastKeyframeSequence;
    }

    /**
     * True when the publisher's own next keyframe should come within {@code withinNanos}, unasked.
     * Written on the event loop, also read by fan-out threads: a stale answer costs or saves one
     * request, which the limiter merges anyway.
     */
    boolean ownKeyframeDueWithin(long nowNanos, long withinNanos) {
        return cadence.ownKeyframeDueWithin(nowNanos, withinNanos);
    }

    /** Nanoseconds since the last keyframe started arriving, or Long.MAX_VALUE when none has. Event loop. */
    long keyframeAgeNanos(long nowNanos) {
        return lastKeyframeSequence < 0 ? Long.MAX_VALUE : nowNanos - lastKeyframeNanos;
    }

    /** Highest sequence number received, or -1. Event loop. */
    int highestSequence() {
        return highestSequence;
    }

    /** A retained read-only copy of packet {@code sequence} for a retransmission (caller releases), or null. */
    ByteBuf retransmission(int sequence) {
        return retransmissions == null ? null : retransmissions.get(sequence);
    }

    private void trackSequence(int sequence) {
        if (highestSequence < 0) {
            highestSequence = sequence;
        } else if (SequenceNumbers.isNewer(sequence, highestSequence)) {
            if (sequence < highestSequence) {
                sequenceCycles++;
            }
            highestSequence = sequence;
        }
    }

    /** Extended highest sequence number received (RFC 3550 A.1), for receiver reports. */
    int extendedHighestSequence() {
        return (sequenceCycles << 16) | Math.max(0, highestSequence);
    }

    long packets() {
        return packets;
    }

    void senderReportReceived(long ntpTimestamp, int rtpTimestamp, long nowNanos) {
        lastSrCompactNtp = SenderReport.compactNtp(ntpTimestamp);
        lastSrNtp = ntpTimestamp;
        lastSrRtp = rtpTimestamp;
        lastSrReceivedNanos = nowNanos;
    }

    /** True once the publisher sent a sender report for this stream. Event loop. */
    boolean hasSenderReport() {
        return lastSrReceivedNanos != 0;
    }

    /** The publisher's NTP time now, extrapolated from its last SR (64-bit NTP format). Event loop. */
    long ntpNow(long nowNanos) {
        long elapsed = nowNanos - lastSrReceivedNanos;
        return lastSrNtp + (elapsed / 1_000_000_000L << 32) + ((elapsed % 1_000_000_000L) << 32) / 1_000_000_000L;
    }

    /** The source's RTP timestamp now, extrapolated from its last SR at {@code clockRateHz}. Event loop. */
    int rtpNow(long nowNanos, int clockRateHz) {
        return lastSrRtp + (int) ((nowNanos - lastSrReceivedNanos) * clockRateHz / 1_000_000_000L);
    }

    int lastSrCompactNtp() {
        return lastSrCompactNtp;
    }

    /** Delay since the last SR in 1/65536 s, 0 when none (RFC 3550 6.4.1 DLSR). */
    int delaySinceLastSr(long nowNanos) {
        return lastSrReceivedNanos == 0 ? 0 : (int) ((nowNanos - lastSrReceivedNanos) * 65536 / 1_000_000_000L);
    }

    /** A viewer or a floor switch wants a keyframe: one PLI unless the limiter merges it. Any thread. */
    void requestKeyframe() {
        if (codec == null || closed || ssrc == 0) {
            return;
        }
        // decided where it is sent: deciding on the caller's thread and sending later on a busy event
        // loop would bunch PLIs closer together than the limiter's interval
        owner.runOnEventLoop(() -> {
            if (!closed && keyframes.onRequest(ssrc)) {
                cadence.onRequestSent(owner.context().nanoClock().getAsLong());
                owner.sendPli(ssrc);
            }
        });
    }

    /** From the periodic timer: a merged request that came just after a keyframe is now due. Event loop. */
    void sendOwedKeyframeRequest() {
        if (codec != null && !closed && ssrc != 0 && keyframes.isOwedRequestDue(ssrc)) {
            cadence.onRequestSent(owner.context().nanoClock().getAsLong());
            owner.sendPli(ssrc);
        }
    }

    /** Periodic: frees retransmission packets past their age bound. Event loop. */
    void evictExpired() {
        if (retransmissions != null) {
            retransmissions.evictExpired();
        }
    }

    /** Leaves its slot; releases the retransmission buffer on the event loop. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.conference().sourceClosed(this);
        MediaSlot current = slot;
        if (current != null) {
            current.remove(this);
            slot = null;
        }
        keyframes.remove(ssrc);
        if (retransmissions != null) {
            owner.runOnEventLoop(retransmissions::close);
        }
    }
}
