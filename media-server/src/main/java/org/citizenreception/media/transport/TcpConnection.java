package org.citizenreception.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.citizenreception.media.stats.TcpMetrics;
import org.citizenreception.media.stats.TcpMetrics.TcpDrop;

/**
 * One accepted ICE-TCP connection (RFC 6544, passive side): the endpoint it is bound to once a
 * binding request authenticated on it, and the write side with RFC 4571 framing.
 *
 * <p>A slow viewer must not hold the others back: writes never block (Netty queues them), and a
 * packet that finds the connection's queue above its high-water mark ({@link TcpTransport}) is
 * dropped and counted instead of queued, so one viewer's backlog is bounded and nobody waits for
 * it. No lock is held across any write.
 *
 * <p>Ownership: {@link #send} takes the payload; it is copied into one pooled direct frame buffer
 * (length prefix + payload: the one copy the kernel write needs anyway, as a heap buffer would be
 * copied to direct memory by the channel) and released; the frame passes to the channel.
 */
public final class TcpConnection {
    /** RFC 4571's length field is 16 bits. */
    static final int LENGTH_PREFIX_BYTES = 2;
    private static final int MAX_FRAME_PAYLOAD = 0xFFFF;

    private final Channel channel;
    private final TcpConnectionAddress address;
    private final TcpTransport transport;
    private final TcpMetrics metrics;
    /** Bound on the event loop by ICE, cleared by an endpoint closing on a control thread. */
    private volatile DatagramReceiver receiver;
    /** Event loop only: written since the last flush. */
    private boolean unflushed;

    TcpConnection(Channel channel, TcpTransport transport, TcpMetrics metrics) {
        this.channel = channel;
        this.transport = transport;
        this.metrics = metrics;
        this.address = new TcpConnectionAddress((InetSocketAddress) channel.remoteAddress(), this);
    }

    /** The address the media path names this connection by. */
    public TcpConnectionAddress address() {
        return address;
    }

    /** The receiver of this connection's DTLS and SRTP, or null until ICE binds one. */
    DatagramReceiver receiver() {
        return receiver;
    }

    void bind(DatagramReceiver newReceiver) {
        receiver = newReceiver;
    }

    /** The endpoint no longer wants this path: nothing else will use the connection, so it closes. */
    void unbind(DatagramReceiver oldReceiver) {
        if (receiver == oldReceiver) {
            receiver = null;
            channel.close();
        }
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Takes ownership of {@code payload} and writes it as one RFC 4571 frame. On the event loop
     * the write waits for {@link TcpTransport#flushPending}, like UDP writes; from any other thread
     * it is flushed at once (Netty hands it to the event loop).
     */
    void send(ByteBuf payload) {
        int length = payload.readableBytes();
        if (!channel.isActive()) {
            payload.release();
            metrics.dropped(TcpDrop.CLOSED);
            return;
        }
        if (!channel.isWritable() || length > MAX_FRAME_PAYLOAD) {
            payload.release();
            metrics.dropped(TcpDrop.BUFFER_FULL);
            return;
        }
        ByteBuf frame;
        try {
            frame = channel.alloc().directBuffer(LENGTH_PREFIX_BYTES + length);
            frame.writeShort(length);
            frame.writeBytes(payload, payload.readerIndex(), length);
        } finally {
            payload.release();
        }
        metrics.sent(LENGTH_PREFIX_BYTES + length);
        if (channel.eventLoop().inEventLoop()) {
            channel.write(frame, channel.voidPromise());
            if (!unflushed) {
                unflushed = true;
                transport.flushLater(this);
            }
        } else {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
    }

    /** Event loop. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
