package org.citizenreception.media.transport;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/** Something the demultiplexer hands datagrams to. Called on the transport's event loop. */
@FunctionalInterface
public interface DatagramReceiver {
    /**
     * Takes ownership of {@code datagram}: the receiver passes it on or releases it.
     *
     * @param datagram the UDP payload, reader index at its first byte
     * @param sender   the address it came from
     */
    void receive(ByteBuf datagram, InetSocketAddress sender);
}
