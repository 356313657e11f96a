package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The common part of RTPFB/PSFB feedback messages (RFC 4585 section 6.1): header, SSRC of the
 * packet sender, SSRC of the media source, then feedback control information (FCI).
 */
public final class FeedbackHeader {
    public static final int LENGTH = 12;

    private FeedbackHeader() {
    }

    /** True when the packet is feedback of {@code packetType}/{@code format} and has its 12 bytes. */
    public static boolean is(ByteBuf buf, int at, int length, int packetType, int format) {
        return length >= LENGTH
                && RtcpHeader.packetType(buf, at) == packetType
                && RtcpHeader.countOrFormat(buf, at) == format;
    }

    public static int senderSsrc(ByteBuf buf, int at) {
        return buf.getInt(at + 4);
    }

    public static int mediaSsrc(ByteBuf buf, int at) {
        return buf.getInt(at + 8);
    }

    /** Absolute index of the FCI. */
    public static int fciOffset(int at) {
        return at + LENGTH;
    }

    static void write(ByteBuf out, int format, int packetType, int packetLengthBytes, int senderSsrc, int mediaSsrc) {
        RtcpHeader.write(out, format, packetType, packetLengthBytes);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
    }
}
