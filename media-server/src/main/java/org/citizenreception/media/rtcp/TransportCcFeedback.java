package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.rtp.SequenceNumbers;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): RTPFB FMT 15. The FCI holds base sequence number, packet status count, a 24-bit
 * reference time in 64 ms units, a feedback packet count, packet status chunks (section 3.1.3 run
 * length, 3.1.4 status vector) and one receive delta per received packet in 250 microsecond ticks
 * (one byte for a "small" delta, two signed bytes for a "large or negative" one).
 *
 * <p>The bridge mostly writes these ({@link TransportCcFeedbackWriter}); reading is for tests and
 * for a future sender-side estimator, so the visitor walks the chunks twice rather than allocate.
 */
public final class TransportCcFeedback {
    public static final int SYMBOL_NOT_RECEIVED = 0;
    public static final int SYMBOL_SMALL_DELTA = 1;
    public static final int SYMBOL_LARGE_DELTA = 2;
    public static final int DELTA_TICK_MICROS = 250;
    public static final int REFERENCE_TIME_TICK_MILLIS = 64;
    static final int FCI_FIXED_LENGTH = 8;

    /** Receives each reported packet; {@code deltaTicks} is meaningless when not received. */
    @FunctionalInterface
    public interface PacketVisitor {
        void packet(int sequenceNumber, boolean received, int deltaTicks);
    }

    private TransportCcFeedback() {
    }

    public static boolean isTransportCc(ByteBuf buf, int at, int length) {
        return FeedbackHeader.is(buf, at, length, RtcpHeader.RTPFB, RtcpHeader.FMT_TRANSPORT_CC)
                && length >= FeedbackHeader.LENGTH + FCI_FIXED_LENGTH;
    }

    public static int baseSequenceNumber(ByteBuf buf, int at) {
        return buf.getUnsignedShort(at + 12);
    }

    public static int packetStatusCount(ByteBuf buf, int at) {
        return buf.getUnsignedShort(at + 14);
    }

    /** Signed 24-bit reference time, in units of {@link #REFERENCE_TIME_TICK_MILLIS}. */
    public static int referenceTime64ms(ByteBuf buf, int at) {
        return buf.getMedium(at + 16);
    }

    public static int feedbackPacketCount(ByteBuf buf, int at) {
        return buf.getUnsignedByte(at + 19);
    }

    /**
     * Visits every packet the feedback reports, in sequence order. Answers false, visiting
     * nothing, when chunks or deltas run past {@code length}.
     */
    public static boolean visitPackets(ByteBuf buf, int at, int length, PacketVisitor visitor) {
        int end = at + length;
        int statusCount = packetStatusCount(buf, at);
        int chunksStart = at + FeedbackHeader.LENGTH + FCI_FIXED_LENGTH;
        int chunk = chunksStart;
        int deltaBytes = 0;
        for (int seen = 0; seen < statusCount; chunk += 2) {
            if (chunk + 2 > end) {
                return false;
            }
            int value = buf.getUnsignedShort(chunk);
            int symbols = Math.min(symbolCount(value), statusCount - seen);
            for (int i = 0; i < symbols; i++) {
                int symbol = symbol(value, i);
                deltaBytes += symbol == SYMBOL_SMALL_DELTA ? 1 : symbol == SYMBOL_LARGE_DELTA ? 2 : 0;
            }
            seen += symbols;
        }
        if (chunk + deltaBytes > end) {
            return false;
        }
        int sequenceNumber = baseSequenceNumber(buf, at);
        int delta = chunk;
        chunk = chunksStart;
        for (int seen = 0; seen < statusCount; chunk += 2) {
            int value = buf.getUnsignedShort(chunk);
            int symbols = Math.min(symbolCount(value), statusCount - seen);
            for (int i = 0; i < symbols; i++, sequenceNumber = SequenceNumbers.add(sequenceNumber, 1)) {
                int symbol = symbol(value, i);
                if (symbol == SYMBOL_SMALL_DELTA) {
                    visitor.packet(sequenceNumber, true, buf.getUnsignedByte(delta++));
                } else if (symbol == SYMBOL_LARGE_DELTA) {
                    visitor.packet(sequenceNumber, true, buf.getShort(delta));
                    delta += 2;
                } else {
                    visitor.packet(sequenceNumber, false, 0);
                }
            }
            seen += symbols;
        }
        return true;
    }

    /** How many statuses a chunk carries: its run length, 14 one-bit or 7 two-bit symbols. */
    static int symbolCount(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return chunk & 0x1FFF;
        }
        return (chunk & 0x4000) == 0 ? 14 : 7;
    }

    static int symbol(int chunk, int index) {
        if ((chunk & 0x8000) == 0) {
            return (chunk >>> 13) & 0x3;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >>> (13 - index)) & 0x1;
        }
        return (chunk >>> (12 - 2 * index)) & 0x3;
    }
}
