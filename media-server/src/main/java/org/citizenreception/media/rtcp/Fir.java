package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Full intra request (RFC 5104 section 4.3.1): PSFB FMT 4; the media SSRC field is 0 and each
 * 8-byte FCI entry names a target SSRC and a command sequence number. The sender increments the
 * sequence number per new request to a target, so a repeated number means "same request, resent"
 * and must not produce a second keyframe.
 */
public final class Fir {
    public static final int ENTRY_LENGTH = 8;

    private Fir() {
    }

    public static boolean isFir(ByteBuf buf, int at, int length) {
        return FeedbackHeader.is(buf, at, length, RtcpHeader.PSFB, RtcpHeader.FMT_FIR);
    }

    public static int entryCount(int length) {
        return Math.max(0, (length - FeedbackHeader.LENGTH) / ENTRY_LENGTH);
    }

    public static int targetSsrc(ByteBuf buf, int at, int index) {
        return buf.getInt(FeedbackHeader.fciOffset(at) + ENTRY_LENGTH * index);
    }

    public static int sequenceNumber(ByteBuf buf, int at, int index) {
        return buf.getUnsignedByte(FeedbackHeader.fciOffset(at) + ENTRY_LENGTH * index + 4);
    }

    /** Writes a FIR with one entry per target; {@code sequenceNumbers[i]} goes with {@code targetSsrcs[i]}. */
    public static void write(ByteBuf out, int senderSsrc, int[] targetSsrcs, int[] sequenceNumbers, int count) {
        FeedbackHeader.write(out, RtcpHeader.FMT_FIR, RtcpHeader.PSFB,
                FeedbackHeader.LENGTH + ENTRY_LENGTH * count, senderSsrc, 0);
        for (int i = 0; i < count; i++) {
            out.writeInt(targetSsrcs[i]);
            out.writeByte(sequenceNumbers[i]);
            out.writeMedium(0);
        }
    }

    public static void write(ByteBuf out, int senderSsrc, int targetSsrc, int sequenceNumber) {
        FeedbackHeader.write(out, RtcpHeader.FMT_FIR, RtcpHeader.PSFB,
                FeedbackHeader.LENGTH + ENTRY_LENGTH, senderSsrc, 0);
        out.writeInt(targetSsrc);
        out.writeByte(sequenceNumber);
        out.writeMedium(0);
    }
}
