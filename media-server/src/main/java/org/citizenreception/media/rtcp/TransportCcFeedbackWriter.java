package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Encodes transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1)
 * from per-packet receive deltas.
 *
 * <p>Chunks are chosen greedily: a run of 7 or more equal statuses becomes a run-length chunk,
 * anything else a 14-symbol one-bit vector, or a 7-symbol two-bit vector when a large delta is
 * among them. That is not the tightest encoding, but it is always valid and never looks ahead
 * further than 14 packets. Deltas must fit a signed 16-bit tick count; the recorder starts a new
 * feedback packet before one would not.
 */
public final class TransportCcFeedbackWriter {
    /** Marks a packet that was not received in the {@code deltaTicks} array. */
    public static final int NOT_RECEIVED = Integer.MIN_VALUE;
    private static final int MAX_RUN_LENGTH = 0x1FFF;
    private static final int MIN_RUN_FOR_RUN_LENGTH_CHUNK = 7;

    private TransportCcFeedbackWriter() {
    }

    /** True when a receive delta can be written at all (signed 16-bit ticks of 250 microseconds). */
    public static boolean fits(int deltaTicks) {
        return deltaTicks >= Short.MIN_VALUE && deltaTicks <= Short.MAX_VALUE;
    }

    /**
     * Writes one feedback packet for {@code count} consecutive transport sequence numbers starting
     * at {@code baseSequenceNumber}. {@code deltaTicks[i]} is the receive time of packet i minus
     * that of the previous received one (the reference time for the first), or {@link #NOT_RECEIVED}.
     */
    public static void write(ByteBuf out, int senderSsrc, int mediaSsrc, int baseSequenceNumber,
            int referenceTime64ms, int feedbackPacketCount, int[] deltaTicks, int count) {
        int start = out.writerIndex();
        FeedbackHeader.write(out, RtcpHeader.FMT_TRANSPORT_CC, RtcpHeader.RTPFB, FeedbackHeader.LENGTH,
                senderSsrc, mediaSsrc);
        out.writeShort(baseSequenceNumber);
        out.writeShort(count);
        out.writeMedium(referenceTime64ms);
        out.writeByte(feedbackPacketCount);
        writeChunks(out, deltaTicks, count);
        for (int i = 0; i < count; i++) {
            int symbol = symbol(deltaTicks[i]);
            if (symbol == TransportCcFeedback.SYMBOL_SMALL_DELTA) {
                out.writeByte(deltaTicks[i]);
            } else if (symbol == TransportCcFeedback.SYMBOL_LARGE_DELTA) {
                out.writeShort(deltaTicks[i]);
            }
        }
        int padding = (4 - (out.writerIndex() - start) % 4) % 4;
        if (padding > 0) {
            // RFC 3550 padding, as libwebrtc writes it: zeros, then the count, and the P bit set.
            out.writeZero(padding - 1);
            out.writeByte(padding);
            out.setByte(start, out.getByte(start) | 0x20);
        }
        out.setShort(start + 2, (out.writerIndex() - start) / 4 - 1);
    }

    private static void writeChunks(ByteBuf out, int[] deltaTicks, int count) {
        int i = 0;
        while (i < count) {
            int symbol = symbol(deltaTicks[i]);
            int run = 1;
            while (i + run < count && run < MAX_RUN_LENGTH && symbol(deltaTicks[i + run]) == symbol) {
                run++;
            }
            if (run >= MIN_RUN_FOR_RUN_LENGTH_CHUNK) {
                out.writeShort(symbol << 13 | run);
                i += run;
            } else if (!hasLargeDelta(deltaTicks, i, Math.min(count, i + 14))) {
                int chunk = 0x8000;
                for (int k = 0; k < 14 && i + k < count; k++) {
                    chunk |= symbol(deltaTicks[i + k]) << (13 - k);
                }
                out.writeShort(chunk);
                i += 14;
            } else {
                int chunk = 0xC000;
                for (int k = 0; k < 7 && i + k < count; k++) {
                    chunk |= symbol(deltaTicks[i + k]) << (12 - 2 * k);
                }
                out.writeShort(chunk);
                i += 7;
            }
        }
    }

    private static boolean hasLargeDelta(int[] deltaTicks, int from, int to) {
        for (int i = from; i < to; i++) {
            if (symbol(deltaTicks[i]) == TransportCcFeedback.SYMBOL_LARGE_DELTA) {
                return true;
            }
        }
        return false;
    }

    private static int symbol(int deltaTicks) {
        if (deltaTicks == NOT_RECEIVED) {
            return TransportCcFeedback.SYMBOL_NOT_RECEIVED;
        }
        return deltaTicks >= 0 && deltaTicks <= 0xFF
                ? TransportCcFeedback.SYMBOL_SMALL_DELTA
                : TransportCcFeedback.SYMBOL_LARGE_DELTA;
    }
}
