package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Test helper: packets written as hex, the way they appear in a capture. */
public final class Bytes {
    private Bytes() {
    }

    /**
     * A pooled direct buffer, the kind the transport hands over. Unlike unpooled heap buffers,
     * these are tracked by Netty's leak detector, so a missing release fails {@link NoLeaks}.
     */
    public static ByteBuf buffer(int initialCapacity) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity);
    }

    public static ByteBuf buffer() {
        return buffer(256);
    }

    /** A fresh tracked buffer holding the hex bytes; spaces are ignored. The caller releases it. */
    public static ByteBuf hex(String hex) {
        return buffer().writeBytes(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    /**
     * An unpooled heap buffer, which Netty's leak detector does not track. Only for loops of many
     * thousands of packets, where PARANOID's stack capture on every access would take minutes and
     * allocate far more than the code under test; those tests assert refCnt instead.
     */
    public static ByteBuf untracked(int initialCapacity) {
        return Unpooled.buffer(initialCapacity);
    }

    /** Moves a tracked buffer's bytes into an {@link #untracked} one and releases the tracked one. */
    public static ByteBuf untracked(ByteBuf tracked) {
        try {
            return Unpooled.buffer(tracked.readableBytes()).writeBytes(tracked, tracked.readerIndex(), tracked.readableBytes());
        } finally {
            tracked.release();
        }
    }

    public static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }
}
