package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Receiver report, packet type 201 (RFC 3550 section 6.4.2): header, sender SSRC and
 * {@code reportCount} report blocks. The bridge sends these to publishers about what it received,
 * and reads viewers' ones for loss and RTT statistics.
 */
public final class ReceiverReport {
    public static final int HEADER_LENGTH = 8;

    private ReceiverReport() {
    }

    public static boolean isValid(ByteBuf buf, int at, int length) {
        return RtcpHeader.packetType(buf, at) == RtcpHeader.RR
                && length >= HEADER_LENGTH + ReportBlock.LENGTH * reportCount(buf, at);
    }

    public static int senderSsrc(ByteBuf buf, int at) {
        return buf.getInt(at + 4);
    }

    public static int reportCount(ByteBuf buf, int at) {
        return RtcpHeader.countOrFormat(buf, at);
    }

    public static int reportBlockOffset(int at, int index) {
        return at + HEADER_LENGTH + ReportBlock.LENGTH * index;
    }

    /** Writes header and sender SSRC; the caller then writes {@code reportCount} blocks (0-31). */
    public static void write(ByteBuf out, int senderSsrc, int reportCount) {
        if (reportCount < 0 || reportCount > 31) {
            throw new IllegalArgumentException("reportCount must be in [0, 31]: " + reportCount);
        }
        RtcpHeader.write(out, reportCount, RtcpHeader.RR, HEADER_LENGTH + ReportBlock.LENGTH * reportCount);
        out.writeInt(senderSsrc);
    }
}
