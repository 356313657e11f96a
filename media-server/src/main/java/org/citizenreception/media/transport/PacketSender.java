package org.citizenreception.media.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/** Sends datagrams from the shared port. Safe from any thread. */
public interface PacketSender {
    /**
     * Takes ownership of {@code payload}. On the event loop the write is flushed with the others
     * made while handling the same incoming datagram or task (sendmmsg); anywhere else at once.
     */
    void send(ByteBuf payload, InetSocketAddress recipient);

    /**
     * Runs {@code action} on every item and returns when all ran; on the event loop a long list
     * may be shared with helper threads (each item on one thread, the event loop waiting for the
     * rest), whose sends are written by the event loop afterwards. For a packet's fan-out to many
     * viewers: {@code action} may touch only its own item's state.
     */
    default <T> void forEachInParallel(List<T> items, Consumer<? super T> action) {
        items.forEach(action);
    }

    /** The allocator fan-out copies come from (pooled). */
    ByteBufAllocator alloc();

    /** The single thread that runs the packet path; timers that touch packet state run here too. */
    EventLoop eventLoop();
}
