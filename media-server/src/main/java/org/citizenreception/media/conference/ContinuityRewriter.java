package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * PRIVATE STOP-GAP HELPER until {@code rtp.SlotRewriter} (branch media-packet) reaches main:
 * keeps one viewer's stream of one slot continuous when the source behind it changes. Sequence
 * numbers continue from the last one sent; the timestamp advances by the wall time elapsed; video
 * switches only at a keyframe start. Does not yet rewrite VP8 picture-id/tl0picidx.
 * Event-loop only.
 */
final class ContinuityRewriter {
    private final int outgoingSsrc;
    private final boolean video;
    private final int clockRateHz;
    private int sourceSsrc;
    private boolean hasSource;
    private int sequenceDelta;
    private int timestampDelta;
    private boolean started;
    private int lastSequence;
    private int lastTimestamp;
    private long lastSentNanos;

    ContinuityRewriter(int outgoingSsrc, boolean video, int clockRateHz) {
        this.outgoingSsrc = outgoingSsrc;
        this.video = video;
        this.clockRateHz = clockRateHz;
    }

    int outgoingSsrc() {
        return outgoingSsrc;
    }

    /** True when the packet may be forwarded; re-bases on a new source (video: only at a keyframe). */
    boolean accept(int ssrc, int sequence, int timestamp, boolean keyframeStart, long nowNanos) {
        if (hasSource && ssrc == sourceSsrc) {
            return true;
        }
        if (video && !keyframeStart) {
            return false;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int nextSequence = started ? lastSequence + 1 : random.nextInt(1 << 15);
        long elapsedTicks = started ? Math.max(1, (nowNanos - lastSentNanos) * clockRateHz / 1_000_000_000L) : 0;
        int nextTimestamp = started ? lastTimestamp + (int) elapsedTicks : random.nextInt();
        sequenceDelta = nextSequence - sequence;
        timestampDelta = nextTimestamp - timestamp;
        sourceSsrc = ssrc;
        hasSource = true;
        return true;
    }

    /** Rewrites SSRC, sequence number and timestamp of the viewer's copy in place. */
    void rewrite(ByteBuf packet, long nowNanos) {
        int r = packet.readerIndex();
        int sequence = (packet.getUnsignedShort(r + 2) + sequenceDelta) & 0xFFFF;
        int timestamp = packet.getInt(r + 4) + timestampDelta;
        packet.setShort(r + 2, sequence);
        packet.setInt(r + 4, timestamp);
        packet.setInt(r + 8, outgoingSsrc);
        if (!started || (short) (sequence - lastSequence) > 0) {
            lastSequence = sequence;
            lastTimestamp = timestamp;
            lastSentNanos = nowNanos;
            started = true;
        }
    }

    /** Forget the source: the next packet of any source re-bases (video: at a keyframe). */
    void clear() {
        hasSource = false;
    }

    int sourceSsrc() {
        return hasSource ? sourceSsrc : 0;
    }
}
