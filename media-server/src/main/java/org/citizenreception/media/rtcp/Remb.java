package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 section 2.2): PSFB FMT 15
 * with media SSRC 0 and an FCI of "REMB", an SSRC count, a 6-bit exponent and 18-bit mantissa
 * (bitrate = mantissa * 2^exp bits per second), and the SSRCs it applies to.
 */
public final class Remb {
    private static final int IDENTIFIER = 0x52454D42; // "REMB"
    private static final int FCI_FIXED_LENGTH = 8;
    private static final int MANTISSA_LIMIT = 1 << 18;

    private Remb() {
    }

    public static boolean isRemb(ByteBuf buf, int at, int length) {
        return FeedbackHeader.is(buf, at, length, RtcpHeader.PSFB, RtcpHeader.FMT_APPLICATION_LAYER)
                && length >= FeedbackHeader.LENGTH + FCI_FIXED_LENGTH
                && buf.getInt(FeedbackHeader.fciOffset(at)) == IDENTIFIER
                && length >= FeedbackHeader.LENGTH + FCI_FIXED_LENGTH + 4 * ssrcCount(buf, at);
    }

    public static int ssrcCount(ByteBuf buf, int at) {
        return buf.getUnsignedByte(FeedbackHeader.fciOffset(at) + 4);
    }

    public static long bitrateBps(ByteBuf buf, int at) {
        int field = buf.getMedium(FeedbackHeader.fciOffset(at) + 5) & 0xFFFFFF;
        int exponent = field >>> 18;
        long mantissa = field & (MANTISSA_LIMIT - 1);
        return exponent > 45 ? Long.MAX_VALUE : mantissa << exponent;
    }

    public static int ssrc(ByteBuf buf, int at, int index) {
        return buf.getInt(FeedbackHeader.fciOffset(at) + FCI_FIXED_LENGTH + 4 * index);
    }

    /** Writes a REMB; the bitrate is rounded down to what 18 mantissa bits can say. */
    public static void write(ByteBuf out, int senderSsrc, long bitrateBps, int[] ssrcs, int count) {
        if (bitrateBps < 0) {
            throw new IllegalArgumentException("bitrateBps must not be negative: " + bitrateBps);
        }
        int exponent = 0;
        while ((bitrateBps >>> exponent) >= MANTISSA_LIMIT) {
            exponent++;
        }
        FeedbackHeader.write(out, RtcpHeader.FMT_APPLICATION_LAYER, RtcpHeader.PSFB,
                FeedbackHeader.LENGTH + FCI_FIXED_LENGTH + 4 * count, senderSsrc, 0);
        out.writeInt(IDENTIFIER);
        out.writeByte(count);
        out.writeMedium(exponent << 18 | (int) (bitrateBps >>> exponent));
        for (int i = 0; i < count; i++) {
            out.writeInt(ssrcs[i]);
        }
    }
}
