package org.citizenreception.media.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which receiver owns which remote address. ICE binds an address once a binding request from it
 * authenticates; every later DTLS or SRTP datagram from that address goes to that receiver.
 * A concurrent map because ICE binds on the event loop while endpoints close from control threads.
 *
 * <p>An ICE-TCP peer ({@link TcpConnectionAddress}) is bound on its connection instead: its address
 * equals a UDP peer's with the same host and port, and the connection is what DTLS and SRTP arrive
 * on anyway.
 */
public final class EndpointAddressTable {
    private final ConcurrentHashMap<InetSocketAddress, DatagramReceiver> receivers = new ConcurrentHashMap<>();

    /** Binds {@code address} to {@code receiver}, replacing a previous binding of the address. */
    public void bind(InetSocketAddress address, DatagramReceiver receiver) {
        if (address instanceof TcpConnectionAddress tcp) {
            tcp.connection().bind(receiver);
            return;
        }
        receivers.put(address, receiver);
    }

    /** Removes the binding only if it still points at {@code receiver}; a TCP peer's connection then closes. */
    public void unbind(InetSocketAddress address, DatagramReceiver receiver) {
        if (address instanceof TcpConnectionAddress tcp) {
            tcp.connection().unbind(receiver);
            return;
        }
        receivers.remove(address, receiver);
    }

    /** The receiver bound to {@code address}, or null. */
    public DatagramReceiver lookup(InetSocketAddress address) {
        if (address instanceof TcpConnectionAddress tcp) {
            return tcp.connection().receiver();
        }
        return receivers.get(address);
    }

    public int size() {
        return receivers.size();
    }
}
