package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Goodbye, packet type 203 (RFC 3550 section 6.6): the sources that left. The optional reason
 * text is ignored; a publisher's BYE ends its sources before consent freshness would.
 */
public final class Bye {
    private Bye() {
    }

    public static boolean isValid(ByteBuf buf, int at, int length) {
        return RtcpHeader.packetType(buf, at) == RtcpHeader.BYE
                && length >= RtcpHeader.LENGTH + 4 * sourceCount(buf, at);
    }

    public static int sourceCount(ByteBuf buf, int at) {
        return RtcpHeader.countOrFormat(buf, at);
    }

    public static int ssrc(ByteBuf buf, int at, int index) {
        return buf.getInt(at + RtcpHeader.LENGTH + 4 * index);
    }

    public static void write(ByteBuf out, int ssrc) {
        RtcpHeader.write(out, 1, RtcpHeader.BYE, 8);
        out.writeInt(ssrc);
    }
}
