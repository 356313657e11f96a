package org.citizenreception.media.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** Sends datagrams from the shared port. Safe from any thread. */
public interface PacketSender {
    /**
     * Takes ownership of {@code payload}. On the event loop the write is flushed with the others
     * made while handling the same incoming datagram or task (sendmmsg); anywhere else at once.
     */
    void send(ByteBuf payload, InetSocketAddress recipient);

    /** The allocator fan-out copies come from (pooled). */
    ByteBufAllocator alloc();

    /** The single thread that runs the packet path; timers that touch packet state run here too. */
    EventLoop eventLoop();
}
