package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * One 24-byte reception report block of an SR or RR (RFC 3550 section 6.4.1), read at the absolute
 * index of its first byte ({@link SenderReport#reportBlockOffset}, {@link ReceiverReport#reportBlockOffset}).
 */
public final class ReportBlock {
    public static final int LENGTH = 24;

    private ReportBlock() {
    }

    public static int sourceSsrc(ByteBuf buf, int at) {
        return buf.getInt(at);
    }

    /** Fraction lost since the previous report, in 1/256 units (0-255). */
    public static int fractionLost(ByteBuf buf, int at) {
        return buf.getUnsignedByte(at + 4);
    }

    /** Cumulative packets lost: a signed 24-bit value (duplicates can make it negative). */
    public static int cumulativeLost(ByteBuf buf, int at) {
        return buf.getMedium(at + 5);
    }

    public static int extendedHighestSequenceNumber(ByteBuf buf, int at) {
        return buf.getInt(at + 8);
    }

    /** Interarrival jitter in RTP timestamp units. */
    public static int jitter(ByteBuf buf, int at) {
        return buf.getInt(at + 12);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received from this source (LSR). */
    public static int lastSenderReport(ByteBuf buf, int at) {
        return buf.getInt(at + 16);
    }

    /** Delay since that SR in 1/65536 seconds (DLSR); with LSR it yields the RTT. */
    public static int delaySinceLastSenderReport(ByteBuf buf, int at) {
        return buf.getInt(at + 20);
    }

    /** Appends a block; cumulative loss is clamped to the signed 24-bit range the field holds. */
    public static void write(ByteBuf out, int sourceSsrc, int fractionLost, int cumulativeLost,
            int extendedHighestSequenceNumber, int jitter, int lastSenderReport, int delaySinceLastSenderReport) {
        out.writeInt(sourceSsrc);
        out.writeByte(fractionLost);
        out.writeMedium(Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost)));
        out.writeInt(extendedHighestSequenceNumber);
        out.writeInt(jitter);
        out.writeInt(lastSenderReport);
        out.writeInt(delaySinceLastSenderReport);
    }
}
