package org.citizenreception.media.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which receiver owns which remote address. ICE binds an address once a binding request from it
 * authenticates; every later DTLS or SRTP datagram from that address goes to that receiver.
 * A concurrent map because ICE binds on the event loop while endpoints close from control threads.
 */
public final class EndpointAddressTable {
    private final ConcurrentHashMap<InetSocketAddress, DatagramReceiver> receivers = new ConcurrentHashMap<>();

    /** Binds {@code address} to {@code receiver}, replacing a previous binding of the address. */
    public void bind(InetSocketAddress address, DatagramReceiver receiver) {
        receivers.put(address, receiver);
    }

    /** Removes the binding only if it still points at {@code receiver}. */
    public void unbind(InetSocketAddress address, DatagramReceiver receiver) {
        receivers.remove(address, receiver);
    }

    /** The receiver bound to {@code address}, or null. */
    public DatagramReceiver lookup(InetSocketAddress address) {
        return receivers.get(address);
    }

    public int size() {
        return receivers.size();
    }
}
