package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helper: packets written as hex, the way they appear in a capture. */
public final class Bytes {
    private Bytes() {
    }

    /** A fresh heap buffer holding the hex bytes; spaces are ignored. The caller releases it. */
    public static ByteBuf hex(String hex) {
        return Unpooled.buffer().writeBytes(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    public static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }
}
