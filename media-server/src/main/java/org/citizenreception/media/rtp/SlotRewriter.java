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
 * 64-packet window per source. A source whose own sequence jumps by more than {@link #MAX_JUMP}
 * is re-anchored like a switch, so the viewer sees neither a huge gap nor a step back.
 *
 * <p>Usage per packet: {@link #accepts(int)} on the shared original to skip the copy for packets
 * this viewer will never get, then {@link #rewrite(ByteBuf)} on the viewer's own copy. A false
 * return leaves the copy untouched and its owner (the caller) releases it.
 *
 * <p>Not thread-safe: one instance per subscriber and slot, used on its endpoint's event loop.
 */
public final class SlotRewriter {
    /** RFC 3550 appendix A.1's MAX_DROPOUT: a bigger jump is a restarted sender, not loss. */
    static final int MAX_JUMP = 3000;

    private final int outgoingSsrc;
    private final int clockRateHz;
    private final boolean video;
    private final LongSupplier nanoClock;
    private final SlotEpochs epochs = new SlotEpochs();
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private final Vp8IndexContinuity vp8Indexes = new Vp8IndexContinuity();

    private boolean hasPending;
    private int pendingSsrc;
    private VideoCodec pendingCodec;
    private boolean hasCurrent;
    private int currentSsrc;
    private VideoCodec currentCodec;
    private boolean sentAny;
    private int lastOutgoingSeq;
    /** {@link #lastOutgoingSeq} unwrapped: how NACKed seqs are placed in the right epoch. */
    private long lastOutgoingExtended;
    private int lastOutgoingTimestamp;
    private long lastOutgoingNanos;
    private long packetsForwarded;
    private long payloadOctetsForwarded;

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
        int headerLength = RtpHeader.headerLength(packet);
        if (headerLength < 0) {
            return false;
        }
        int ssrc = RtpHeader.ssrc(packet);
        int seq = RtpHeader.sequenceNumber(packet);
        if (hasPending && ssrc == pendingSsrc && (!video || Keyframes.isKeyframeStart(pendingCodec, packet))) {
            startEpoch(packet, ssrc, seq, video ? pendingCodec : null);
        } else if (hasCurrent && ssrc == currentSsrc && Math.abs(duplicates.distanceFromHighest(seq)) > MAX_JUMP) {
            startEpoch(packet, ssrc, seq, currentCodec); // the sender restarted its sequence: re-anchor, keep ours continuous
        }
        if (!hasCurrent || ssrc != currentSsrc || !duplicates.firstTimeSeen(seq)) {
            return false;
        }
        epochs.advanceIncoming(duplicates.highestExtended());
        int payloadIndex = packet.readerIndex() + headerLength;
        int payloadLength = RtpHeader.payloadLength(packet, headerLength);
        int outgoingSeq = epochs.apply(epochs.current(), packet, outgoingSsrc, payloadIndex, payloadLength);
        packetsForwarded++;
        payloadOctetsForwarded += payloadLength;
        if (!sentAny || SequenceNumbers.isNewer(outgoingSeq, lastOutgoingSeq)) {
            lastOutgoingExtended = sentAny ? lastOutgoingExtended + SequenceNumbers.delta(lastOutgoingSeq, outgoingSeq) : outgoingSeq;
            sentAny = true;
            lastOutgoingSeq = outgoingSeq;
            lastOutgoingTimestamp = RtpHeader.timestamp(packet);
            lastOutgoingNanos = nanoClock.getAsLong();
            if (currentCodec == VideoCodec.VP8) {
                vp8Indexes.rememberSent(packet, payloadIndex, payloadLength);
            }
        }
        return true;
    }

    /**
     * Rewrites a retransmitted packet (a copy from the source's retransmission buffer) with the
     * mapping that was in force when it was first sent; changes no state. False when no epoch
     * covers it (it predates the known history) and it must not be sent.
     */
    public boolean rewriteRetransmission(ByteBuf packet) {
        int headerLength = RtpHeader.headerLength(packet);
        if (headerLength < 0) {
            return false;
        }
        int epoch = epochs.epochOfIncoming(RtpHeader.ssrc(packet), RtpHeader.sequenceNumber(packet));
        if (epoch < 0) {
            return false;
        }
        epochs.apply(epoch, packet, outgoingSsrc, packet.readerIndex() + headerLength,
                RtpHeader.payloadLength(packet, headerLength));
        return true;
    }

    /** Source SSRC of the packet this viewer knows as {@code outgoingSeq}; valid when {@link #incomingSequenceNumberOf} is not -1. */
    public int sourceSsrcOf(int outgoingSeq) {
        int epoch = epochOfSent(outgoingSeq);
        return epoch < 0 ? 0 : epochs.sourceSsrc(epoch);
    }

    /**
     * The source's sequence number for a viewer's {@code outgoingSeq} (to answer its NACK), or
     * {@code -1} when nothing was sent under that number yet or it predates the kept history.
     */
    public int incomingSequenceNumberOf(int outgoingSeq) {
        int epoch = epochOfSent(outgoingSeq);
        return epoch < 0 ? -1 : epochs.incomingSeq(epoch, outgoingSeq);
    }

    /**
     * The outgoing RTP timestamp that corresponds to now: the last one sent, advanced by the
     * wall-clock time since at the clock rate. It goes into the sender reports to this viewer
     * (with {@link #packetsForwarded()} and {@link #payloadOctetsForwarded()}) so audio and video
     * stay in sync across floor switches.
     */
    public int rtpTimestampNow() {
        return lastOutgoingTimestamp + elapsedTicksSinceLastSent();
    }

    public long packetsForwarded() {
        return packetsForwarded;
    }

    /** Payload bytes forwarded, headers and padding excluded (RFC 3550 section 6.4.1, octet count). */
    public long payloadOctetsForwarded() {
        return payloadOctetsForwarded;
    }

    /** True once anything was forwarded; before that there is nothing to report. */
    public boolean hasForwarded() {
        return sentAny;
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

    /** The sequence number of the newest packet sent; meaningful once {@link #hasForwarded()}. */
    public int lastOutgoingSequence() {
        return lastOutgoingSeq;
    }

    public boolean isSwitchPending() {
        return hasPending;
    }

    private void startEpoch(ByteBuf packet, int ssrc, int seq, VideoCodec codec) {
        long firstOutgoing = seq;
        int timestampOffset = 0;
        int pictureIdOffset = 0;
        int tl0PicIdxOffset = 0;
        if (sentAny) {
            firstOutgoing = lastOutgoingExtended + 1;
            int elapsedTicks = Math.max(1, elapsedTicksSinceLastSent());
            timestampOffset = lastOutgoingTimestamp + elapsedTicks - RtpHeader.timestamp(packet);
            if (codec == VideoCodec.VP8) {
                pictureIdOffset = vp8Indexes.pictureIdOffset(packet);
                tl0PicIdxOffset = vp8Indexes.tl0PicIdxOffset(packet);
            }
        }
        epochs.start(ssrc, codec, seq, firstOutgoing, timestampOffset, pictureIdOffset, tl0PicIdxOffset);
        hasCurrent = true;
        currentSsrc = ssrc;
        currentCodec = codec;
        hasPending = false;
        duplicates.restartAt(seq);
    }

    /** NACKs name recent packets, so {@code outgoingSeq} is unwrapped around the last one sent. */
    private int epochOfSent(int outgoingSeq) {
        if (!sentAny) {
            return -1;
        }
        long extended = lastOutgoingExtended + SequenceNumbers.delta(lastOutgoingSeq, outgoingSeq);
        return extended > lastOutgoingExtended ? -1 : epochs.epochOfOutgoing(extended);
    }

    private int elapsedTicksSinceLastSent() {
        long elapsedMicros = Math.max(0, nanoClock.getAsLong() - lastOutgoingNanos) / 1000;
        return (int) (elapsedMicros * clockRateHz / 1_000_000);
    }
}
