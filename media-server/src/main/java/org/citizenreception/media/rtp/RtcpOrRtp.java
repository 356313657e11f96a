package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Tells RTCP from RTP on a muxed port (RFC 5761 section 4): the second byte of an RTCP packet is
 * its packet type 192-223, which seen as an RTP marker bit plus payload type is PT 64-95, a range
 * RTP payload types must avoid when muxing. The marker bit is ignored, as the RFC advises.
 */
public final class RtcpOrRtp {
    private static final int RTCP_RANGE_MIN = 64;
    private static final int RTCP_RANGE_MAX = 95;

    private RtcpOrRtp() {
    }

    /** True when the second byte, marker bit ignored, is 64-95 (RTCP types 192-223 included). */
    public static boolean isRtcp(ByteBuf buf) {
        if (buf.readableBytes() < 2) {
            return false;
        }
        int payloadTypeBits = buf.getByte(buf.readerIndex() + 1) & 0x7f;
        return payloadTypeBits >= RTCP_RANGE_MIN && payloadTypeBits <= RTCP_RANGE_MAX;
    }

    /** True when the packet could be RTP: at least 2 bytes and not in the RTCP range. */
    public static boolean isRtp(ByteBuf buf) {
        return buf.readableBytes() >= 2 && !isRtcp(buf);
    }
}
