package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The 4-byte header every RTCP packet starts with (RFC 3550 section 6.4.1) and the packet type
 * numbers the bridge handles. Reads at an absolute index {@code at}.
 */
public final class RtcpHeader {
    public static final int LENGTH = 4;
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585 section 6.1): NACK is FMT 1, transport-cc FMT 15. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 section 6.1): PLI FMT 1, FIR FMT 4, REMB FMT 15. */
    public static final int PSFB = 206;
    public static final int FMT_NACK = 1;
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_APPLICATION_LAYER = 15;

    private RtcpHeader() {
    }

    public static int version(ByteBuf buf, int at) {
        return buf.getUnsignedByte(at) >>> 6;
    }

    public static boolean hasPadding(ByteBuf buf, int at) {
        return (buf.getByte(at) & 0x20) != 0;
    }

    /** Report count for SR/RR, source count for SDES/BYE, FMT for feedback packets. */
    public static int countOrFormat(ByteBuf buf, int at) {
        return buf.getByte(at) & 0x1f;
    }

    public static int packetType(ByteBuf buf, int at) {
        return buf.getUnsignedByte(at + 1);
    }

    /** Whole packet length in bytes, header and padding included: (length field + 1) * 4. */
    public static int packetLength(ByteBuf buf, int at) {
        return (buf.getUnsignedShort(at + 2) + 1) * 4;
    }

    /** The first SSRC after the header: sender for SR/RR/feedback, first chunk for SDES/BYE. */
    public static int senderSsrc(ByteBuf buf, int at) {
        return buf.getInt(at + 4);
    }

    /** Writes a header with the length field for a packet of {@code packetLengthBytes} (a multiple of 4). */
    public static void write(ByteBuf out, int countOrFormat, int packetType, int packetLengthBytes) {
        out.writeByte(0x80 | (countOrFormat & 0x1f));
        out.writeByte(packetType);
        out.writeShort(packetLengthBytes / 4 - 1);
    }
}
