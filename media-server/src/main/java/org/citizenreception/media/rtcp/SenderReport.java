package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Sender report, packet type 200 (RFC 3550 section 6.4.1): 28 bytes of header and sender info,
 * then {@code reportCount} report blocks. The bridge writes one to each viewer per outgoing SSRC so
 * the viewer can sync audio and video and compute RTT.
 */
public final class SenderReport {
    public static final int HEADER_AND_SENDER_INFO_LENGTH = 28;

    private SenderReport() {
    }

    /** True when the packet at {@code at} of {@code length} bytes is an SR holding all its blocks. */
    public static boolean isValid(ByteBuf buf, int at, int length) {
        return RtcpHeader.packetType(buf, at) == RtcpHeader.SR
                && length >= HEADER_AND_SENDER_INFO_LENGTH + ReportBlock.LENGTH * reportCount(buf, at);
    }

    public static int senderSsrc(ByteBuf buf, int at) {
        return buf.getInt(at + 4);
    }

    /** 64-bit NTP timestamp: seconds since 1900 in the high word, fraction in the low word. */
    public static long ntpTimestamp(ByteBuf buf, int at) {
        return buf.getLong(at + 8);
    }

    public static int rtpTimestamp(ByteBuf buf, int at) {
        return buf.getInt(at + 16);
    }

    public static long packetCount(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + 20);
    }

    public static long octetCount(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + 24);
    }

    public static int reportCount(ByteBuf buf, int at) {
        return RtcpHeader.countOrFormat(buf, at);
    }

    public static int reportBlockOffset(int at, int index) {
        return at + HEADER_AND_SENDER_INFO_LENGTH + ReportBlock.LENGTH * index;
    }

    /**
     * Writes the header and sender info; the caller then writes exactly {@code reportCount} blocks
     * with {@link ReportBlock#write}. Counts are the low 32 bits (RFC 3550 lets them wrap).
     */
    public static void write(ByteBuf out, int senderSsrc, long ntpTimestamp, int rtpTimestamp,
            long packetCount, long octetCount, int reportCount) {
        if (reportCount < 0 || reportCount > 31) {
            throw new IllegalArgumentException("reportCount must be in [0, 31]: " + reportCount);
        }
        RtcpHeader.write(out, reportCount, RtcpHeader.SR,
                HEADER_AND_SENDER_INFO_LENGTH + ReportBlock.LENGTH * reportCount);
        out.writeInt(senderSsrc);
        out.writeLong(ntpTimestamp);
        out.writeInt(rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
    }

    /** Middle 32 bits of an NTP timestamp, the form report blocks echo as LSR. */
    public static int compactNtp(long ntpTimestamp) {
        return (int) (ntpTimestamp >>> 16);
    }
}
