package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fuzz-test helper: a datagram as the transport hands it over, in a buffer whose capacity ends
 * exactly where the datagram ends, so a parser reading one byte too far throws
 * {@link IndexOutOfBoundsException} instead of reading stale memory. A little headroom before
 * {@code readerIndex()} catches views that index from 0 instead of from the reader index.
 */
public final class WireBytes {
    private WireBytes() {
    }

    /** A heap buffer holding {@code datagram} after {@code headroom} unread bytes; the caller releases it. */
    public static ByteBuf exact(byte[] datagram, int headroom) {
        byte[] withHeadroom = new byte[headroom + datagram.length];
        System.arraycopy(datagram, 0, withHeadroom, headroom, datagram.length);
        return Unpooled.wrappedBuffer(withHeadroom).readerIndex(headroom);
    }
}
