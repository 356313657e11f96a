package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.function.IntConsumer;
import org.citizenreception.media.rtp.SequenceNumbers;

/**
 * Generic NACK (RFC 4585 section 6.2.1): RTPFB FMT 1; each 4-byte FCI names a lost packet (PID)
 * and, in the bitmask BLP, which of the 16 following sequence numbers were lost too.
 */
public final class GenericNack {
    public static final int FCI_LENGTH = 4;
    private static final int BLP_SPAN = 16;

    private GenericNack() {
    }

    public static boolean isNack(ByteBuf buf, int at, int length) {
        return FeedbackHeader.is(buf, at, length, RtcpHeader.RTPFB, RtcpHeader.FMT_NACK);
    }

    public static int mediaSsrc(ByteBuf buf, int at) {
        return FeedbackHeader.mediaSsrc(buf, at);
    }

    public static int fciCount(int length) {
        return Math.max(0, (length - FeedbackHeader.LENGTH) / FCI_LENGTH);
    }

    /** Expands every PID+BLP into lost sequence numbers, in wire order, without allocating. */
    public static void forEachLostSequenceNumber(ByteBuf buf, int at, int length, IntConsumer lost) {
        int fci = FeedbackHeader.fciOffset(at);
        for (int i = 0, n = fciCount(length); i < n; i++, fci += FCI_LENGTH) {
            int pid = buf.getUnsignedShort(fci);
            int blp = buf.getUnsignedShort(fci + 2);
            lost.accept(pid);
            for (int bit = 0; bit < BLP_SPAN; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    lost.accept(SequenceNumbers.add(pid, bit + 1));
                }
            }
        }
    }

    /** Number of sequence numbers the NACK names (PIDs plus set BLP bits). */
    public static int lostCount(ByteBuf buf, int at, int length) {
        int count = 0;
        int fci = FeedbackHeader.fciOffset(at);
        for (int i = 0, n = fciCount(length); i < n; i++, fci += FCI_LENGTH) {
            count += 1 + Integer.bitCount(buf.getUnsignedShort(fci + 2));
        }
        return count;
    }

    /**
     * Packs {@code count} lost sequence numbers from {@code lost[from]}, given in ascending order
     * modulo wrap, into as few PID+BLP entries as they allow, and writes the NACK.
     *
     * @return the number of FCI entries written
     */
    public static int write(ByteBuf out, int senderSsrc, int mediaSsrc, int[] lost, int from, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1 (a NACK names a packet): " + count);
        }
        int start = out.writerIndex();
        FeedbackHeader.write(out, RtcpHeader.FMT_NACK, RtcpHeader.RTPFB, FeedbackHeader.LENGTH, senderSsrc, mediaSsrc);
        int entries = 0;
        int i = from;
        int end = from + count;
        while (i < end) {
            int pid = lost[i++];
            int blp = 0;
            while (i < end) {
                int distance = SequenceNumbers.delta(pid, lost[i]);
                if (distance < 1 || distance > BLP_SPAN) {
                    break;
                }
                blp |= 1 << (distance - 1);
                i++;
            }
            out.writeShort(pid);
            out.writeShort(blp);
            entries++;
        }
        out.setShort(start + 2, (FeedbackHeader.LENGTH + FCI_LENGTH * entries) / 4 - 1);
        return entries;
    }
}
