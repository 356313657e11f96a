package org.citizenreception.media.srtp;

import io.netty.buffer.ByteBuf;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-srtp works on {@code byte[]} through {@link ByteArrayBuffer}; this adapts a heap
 * {@link ByteBuf} so SRTP transforms run in place on pooled memory, without a copy. The packet
 * is the buffer's readable bytes; length changes move the writer index.
 *
 * <p>One view per {@link SrtpTransformer}, pointed at each packet in turn ({@link #wrap}) and let go
 * after the transform ({@link #clear}): a view per packet was an object per packet per viewer.
 * The view never owns the buffer (no retain, no release).
 */
final class ByteBufArrayView implements ByteArrayBuffer {
    private ByteBuf buf;

    ByteBufArrayView() {
    }

    ByteBufArrayView(ByteBuf buf) {
        wrap(buf);
    }

    /** Points the view at {@code buf} (borrowed) for one transform. */
    ByteBufArrayView wrap(ByteBuf buf) {
        if (!buf.hasArray()) {
            throw new IllegalArgumentException("buf must be a heap buffer");
        }
        this.buf = buf;
        return this;
    }

    /** Drops the reference to the packet, which may be released and reused after the transform. */
    void clear() {
        buf = null;
    }

    @Override
    public byte[] getBuffer() {
        return buf.array();
    }

    @Override
    public int getOffset() {
        return buf.arrayOffset() + buf.readerIndex();
    }

    @Override
    public int getLength() {
        return buf.readableBytes();
    }

    @Override
    public void setLength(int length) {
        buf.writerIndex(buf.readerIndex() + length);
    }

    @Override
    public void setOffset(int offset) {
        buf.readerIndex(offset - buf.arrayOffset());
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int offset, int length, byte[] out) {
        buf.getBytes(buf.readerIndex() + offset, out, 0, length);
    }

    @Override
    public void grow(int howMuch) {
        buf.ensureWritable(howMuch);
    }

    @Override
    public void append(byte[] data, int length) {
        buf.writeBytes(data, 0, length);
    }

    @Override
    public void shrink(int howMuch) {
        buf.writerIndex(Math.max(buf.readerIndex(), buf.writerIndex() - howMuch));
    }
}
