package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The last few periods ("epochs") during which one source occupied a slot, each with the offsets
 * that map its sequence numbers, timestamps and VP8 picture ids onto the slot's outgoing stream.
 *
 * <p>Old epochs are kept so a viewer's NACK for a packet sent just before a floor switch can still
 * be translated back to the previous source. Four epochs cover any realistic NACK horizon: the
 * floor does not move four times within a retransmission buffer's second. Parallel primitive
 * arrays instead of epoch objects: nothing to allocate when the floor moves.
 *
 * <p>Ranges are kept as unwrapped {@code long} sequence numbers (incoming: counted from the epoch's
 * first packet; outgoing: the slot's running count), because a source may hold the slot for hours
 * and a 16-bit comparison against an epoch's start flips after 32,768 packets.
 */
final class SlotEpochs {
    private static final int CAPACITY = 4;

    private final int[] sourceSsrc = new int[CAPACITY];
    private final VideoCodec[] codec = new VideoCodec[CAPACITY];
    private final long[] firstIncoming = new long[CAPACITY];
    private final long[] highestIncoming = new long[CAPACITY];
    private final long[] firstOutgoing = new long[CAPACITY];
    private final int[] seqOffset = new int[CAPACITY];
    private final int[] timestampOffset = new int[CAPACITY];
    private final int[] pictureIdOffset = new int[CAPACITY];
    private final int[] tl0PicIdxOffset = new int[CAPACITY];
    private int newest = -1;
    private int count;

    /**
     * Opens an epoch whose first packet has incoming {@code firstIncomingSeq} and goes out as the
     * slot's unwrapped {@code firstOutgoingExtended}.
     */
    void start(int source, VideoCodec sourceCodec, int firstIncomingSeq, long firstOutgoingExtended,
            int timestampDelta, int pictureIdDelta, int tl0PicIdxDelta) {
        newest = (newest + 1) % CAPACITY;
        count = Math.min(CAPACITY, count + 1);
        sourceSsrc[newest] = source;
        codec[newest] = sourceCodec;
        firstIncoming[newest] = firstIncomingSeq;
        highestIncoming[newest] = firstIncomingSeq;
        firstOutgoing[newest] = firstOutgoingExtended;
        seqOffset[newest] = (int) (firstOutgoingExtended - firstIncomingSeq) & 0xFFFF;
        timestampOffset[newest] = timestampDelta;
        pictureIdOffset[newest] = pictureIdDelta;
        tl0PicIdxOffset[newest] = tl0PicIdxDelta;
    }

    /** Index of the current epoch, {@code -1} before the first. */
    int current() {
        return newest;
    }

    /** Extends the current epoch's incoming range to the unwrapped {@code highestExtended}. */
    void advanceIncoming(long highestExtended) {
        highestIncoming[newest] = Math.max(highestIncoming[newest], highestExtended);
    }

    /** The newest epoch of {@code source} whose forwarded range holds incoming {@code seq}, or {@code -1}. */
    int epochOfIncoming(int source, int seq) {
        for (int i = 0, e = newest; i < count; i++, e = (e + CAPACITY - 1) % CAPACITY) {
            if (sourceSsrc[e] != source) {
                continue;
            }
            long extended = highestIncoming[e] + SequenceNumbers.delta((int) highestIncoming[e] & 0xFFFF, seq);
            if (extended >= firstIncoming[e] && extended <= highestIncoming[e]) {
                return e;
            }
        }
        return -1;
    }

    /** The epoch that sent the slot's unwrapped {@code outgoingExtended}, or {@code -1} if older than all. */
    int epochOfOutgoing(long outgoingExtended) {
        for (int i = 0, e = newest; i < count; i++, e = (e + CAPACITY - 1) % CAPACITY) {
            if (firstOutgoing[e] <= outgoingExtended) {
                return e;
            }
        }
        return -1;
    }

    int sourceSsrc(int epoch) {
        return sourceSsrc[epoch];
    }

    int incomingSeq(int epoch, int outgoingSeq) {
        return SequenceNumbers.add(outgoingSeq, -seqOffset[epoch]);
    }

    /**
     * Rewrites SSRC, sequence number, timestamp and (VP8) picture id and TL0PICIDX of a packet of
     * this epoch's source in place; returns the outgoing sequence number. The payload position is
     * passed in because the caller has already parsed the header.
     */
    int apply(int epoch, ByteBuf packet, int outgoingSsrc, int payloadIndex, int payloadLength) {
        int outgoingSeq = SequenceNumbers.add(RtpHeader.sequenceNumber(packet), seqOffset[epoch]);
        RtpHeader.setSequenceNumber(packet, outgoingSeq);
        RtpHeader.setTimestamp(packet, RtpHeader.timestamp(packet) + timestampOffset[epoch]);
        RtpHeader.setSsrc(packet, outgoingSsrc);
        if (codec[epoch] == VideoCodec.VP8) {
            int at = payloadIndex;
            int length = payloadLength;
            int pictureId = Vp8PayloadDescriptor.pictureId(packet, at, length);
            if (pictureId >= 0) {
                Vp8PayloadDescriptor.setPictureId(packet, at, length, pictureId + pictureIdOffset[epoch]);
            }
            int tl0PicIdx = Vp8PayloadDescriptor.tl0PicIdx(packet, at, length);
            if (tl0PicIdx >= 0) {
                Vp8PayloadDescriptor.setTl0PicIdx(packet, at, length, tl0PicIdx + tl0PicIdxOffset[epoch]);
            }
        }
        return outgoingSeq;
    }
}
