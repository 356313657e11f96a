package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;

/**
 * One viewer's view of one stage slot (audio or video): whichever source occupies the slot leaves
 * as one continuous stream on a fixed outgoing SSRC, so the viewer's decoder never notices a floor
 * change (DESIGN.md, "Stage and slots").
 *
 * <p>Across a switch, sequence numbers continue at last+1, the RTP timestamp advances by the
 * wall-clock time elapsed since the last forwarded packet at {@code clockRateHz}, and VP8 picture
 * id and TL0PICIDX continue at last+1. Video switches only on the first packet of a keyframe of
 * the new source: until then the old source keeps flowing and the new source's packets are
 * dropped (the caller should request a keyframe when calling {@link #switchTo}). Audio switches on
 * the new source's next packet. Duplicates and packets older than the switch are dropped, using a
 * 64-packet window per source.
 *
 * <p>Usage per packet: {@link #accepts(int)} on the shared original to skip the copy for packets
 * this viewer will never get, then {@link #rewrite(ByteBuf)} on the viewer's own copy. A false
 * return leaves the copy untouched and its owner (the caller) releases it.
 *
 * <p>Not thread-safe: one instance per subscriber and slot, used on its endpoint's event loop.
 */
public final class SlotRewriter {
    private static final int DUPLICATE_WINDOW = 64;

    private final int outgoingSsrc;
    private final int clockRateHz;
    private final boolean video;
    private final LongSupplier nanoClock;
    private final SlotEpochs epochs = new SlotEpochs();

    private boolean hasPending;
    private int pendingSsrc;
    private VideoCodec pendingCodec;
    private boolean hasCurrent;
    private int currentSsrc;
    private VideoCodec currentCodec;
    private int highestIncomingSeq;
    private long seenWindow;
    private boolean sentAny;
    private int lastOutgoingSeq;
    private int lastOutgoingTimestamp;
    private long lastOutgoingNanos;
    private int lastOutgoingPictureId = -1;
    private int lastOutgoingTl0PicIdx = -1;

    private SlotRewriter(int outgoingSsrc, int clockRateHz, boolean video, LongSupplier nanoClock) {
        if (clockRateHz <= 0) {
            throw new IllegalArgumentException("clockRateHz must be positive: " + clockRateHz);
        }
        this.outgoingSsrc = outgoingSsrc;
        this.clockRateHz = clockRateHz;
        this.video = video;
        this.nanoClock = nanoClock;
    }

    public static SlotRewriter forAudio(int outgoingSsrc, int clockRateHz, LongSupplier nanoClock) {
        return new SlotRewriter(outgoingSsrc, clockRateHz, false, nanoClock);
    }

    public static SlotRewriter forVideo(int outgoingSsrc, int clockRateHz, LongSupplier nanoClock) {
        return new SlotRewriter(outgoingSsrc, clockRateHz, true, nanoClock);
    }

    /**
     * Puts {@code sourceSsrc} into the slot: at once for audio, at its next keyframe start for
     * video. {@code codec} tells how to find keyframes and is ignored for audio (may be null).
     */
    public void switchTo(int sourceSsrc, VideoCodec codec) {
        if (video && codec == null) {
            throw new IllegalArgumentException("codec is required for a video slot");
        }
        if (hasCurrent && sourceSsrc == currentSsrc) {
            hasPending = false;
            return;
        }
        hasPending = true;
        pendingSsrc = sourceSsrc;
        pendingCodec = codec;
    }

    /** Empties the slot: nothing is forwarded until the next {@link #switchTo}. */
    public void clear() {
        hasPending = false;
        hasCurrent = false;
    }

    /** True when a packet of {@code ssrc} may be forwarded: from the current or the pending source. */
    public boolean accepts(int ssrc) {
        return (hasCurrent && ssrc == currentSsrc) || (hasPending && ssrc == pendingSsrc);
    }

    /** Rewrites the viewer's copy in place; false means drop it (and leave it untouched). */
    public boolean rewrite(ByteBuf packet) {
        if (RtpHeader.headerLength(packet) < 0) {
            return false;
        }
        int ssrc = RtpHeader.ssrc(packet);
        int seq = RtpHeader.sequenceNumber(packet);
        if (hasPending && ssrc == pendingSsrc && (!video || Keyframes.isKeyframeStart(pendingCodec, packet))) {
            startEpoch(packet, ssrc, seq);
        }
        if (!hasCurrent || ssrc != currentSsrc || !markSeen(seq)) {
            return false;
        }
        int outgoingSeq = epochs.apply(epochs.current(), packet, outgoingSsrc);
        if (!sentAny || SequenceNumbers.isNewer(outgoingSeq, lastOutgoingSeq)) {
            sentAny = true;
            lastOutgoingSeq = outgoingSeq;
            lastOutgoingTimestamp = RtpHeader.timestamp(packet);
            lastOutgoingNanos = nanoClock.getAsLong();
            rememberVp8Indexes(packet);
        }
        return true;
    }

    /**
     * Rewrites a retransmitted packet (a copy from the source's retransmission buffer) with the
     * mapping that was in force when it was first sent; changes no state. False when no epoch
     * covers it (it predates the known history) and it must not be sent.
     */
    public boolean rewriteRetransmission(ByteBuf packet) {
        if (RtpHeader.headerLength(packet) < 0) {
            return false;
        }
        int epoch = epochs.epochOfIncoming(RtpHeader.ssrc(packet), RtpHeader.sequenceNumber(packet));
        if (epoch < 0) {
            return false;
        }
        epochs.apply(epoch, packet, outgoingSsrc);
        return true;
    }

    /** Source SSRC of the packet this viewer knows as {@code outgoingSeq}; valid when {@link #incomingSequenceNumberOf} is not -1. */
    public int sourceSsrcOf(int outgoingSeq) {
        int epoch = epochs.epochOfOutgoing(outgoingSeq);
        return epoch < 0 ? 0 : epochs.sourceSsrc(epoch);
    }

    /** The source's sequence number for a viewer's {@code outgoingSeq} (to answer its NACK), or {@code -1}. */
    public int incomingSequenceNumberOf(int outgoingSeq) {
        int epoch = epochs.epochOfOutgoing(outgoingSeq);
        return epoch < 0 ? -1 : epochs.incomingSeq(epoch, outgoingSeq);
    }

    public int outgoingSsrc() {
        return outgoingSsrc;
    }

    public boolean hasSource() {
        return hasCurrent;
    }

    public int currentSourceSsrc() {
        return currentSsrc;
    }

    public boolean isSwitchPending() {
        return hasPending;
    }

    private void startEpoch(ByteBuf packet, int ssrc, int seq) {
        VideoCodec codec = video ? pendingCodec : null;
        int firstOutgoing = seq;
        int timestampOffset = 0;
        int pictureIdOffset = 0;
        int tl0PicIdxOffset = 0;
        if (sentAny) {
            firstOutgoing = SequenceNumbers.add(lastOutgoingSeq, 1);
            long elapsedMicros = Math.max(0, nanoClock.getAsLong() - lastOutgoingNanos) / 1000;
            long elapsedTicks = Math.max(1, elapsedMicros * clockRateHz / 1_000_000);
            timestampOffset = (int) (lastOutgoingTimestamp + elapsedTicks) - RtpHeader.timestamp(packet);
            if (codec == VideoCodec.VP8) {
                int at = packet.readerIndex() + RtpHeader.payloadOffset(packet);
                int length = RtpHeader.payloadLength(packet);
                int pictureId = Vp8PayloadDescriptor.pictureId(packet, at, length);
                int tl0PicIdx = Vp8PayloadDescriptor.tl0PicIdx(packet, at, length);
                pictureIdOffset = pictureId >= 0 && lastOutgoingPictureId >= 0 ? lastOutgoingPictureId + 1 - pictureId : 0;
                tl0PicIdxOffset = tl0PicIdx >= 0 && lastOutgoingTl0PicIdx >= 0 ? lastOutgoingTl0PicIdx + 1 - tl0PicIdx : 0;
            }
        }
        epochs.start(ssrc, codec, seq, firstOutgoing, timestampOffset, pictureIdOffset, tl0PicIdxOffset);
        hasCurrent = true;
        currentSsrc = ssrc;
        currentCodec = codec;
        hasPending = false;
        highestIncomingSeq = SequenceNumbers.add(seq, -1);
        seenWindow = 0;
    }

    /** Records {@code seq} in the duplicate window; false for a duplicate or a packet before the epoch. */
    private boolean markSeen(int seq) {
        int ahead = SequenceNumbers.delta(highestIncomingSeq, seq);
        if (ahead > 0) {
            seenWindow = ahead >= DUPLICATE_WINDOW ? 1 : (seenWindow << ahead) | 1;
            highestIncomingSeq = seq;
            return true;
        }
        int behind = -ahead;
        if (behind >= DUPLICATE_WINDOW || SequenceNumbers.delta(epochs.firstIncomingSeq(epochs.current()), seq) < 0) {
            return false;
        }
        long bit = 1L << behind;
        if ((seenWindow & bit) != 0) {
            return false;
        }
        seenWindow |= bit;
        return true;
    }

    private void rememberVp8Indexes(ByteBuf packet) {
        if (currentCodec == VideoCodec.VP8) {
            int at = packet.readerIndex() + RtpHeader.payloadOffset(packet);
            int length = RtpHeader.payloadLength(packet);
            int pictureId = Vp8PayloadDescriptor.pictureId(packet, at, length);
            if (pictureId >= 0) {
                lastOutgoingPictureId = pictureId;
            }
            int tl0PicIdx = Vp8PayloadDescriptor.tl0PicIdx(packet, at, length);
            if (tl0PicIdx >= 0) {
                lastOutgoingTl0PicIdx = tl0PicIdx;
            }
        }
    }
}
