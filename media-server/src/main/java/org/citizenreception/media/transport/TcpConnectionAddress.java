package org.citizenreception.media.transport;

import java.net.InetSocketAddress;

/**
 * The remote address of an ICE-TCP connection, carrying the connection itself: the media path
 * names a peer by its {@link InetSocketAddress} throughout (ICE binds it, endpoints send to it), so
 * a TCP peer is one more address, and whoever sends to it reaches its connection without a lookup.
 *
 * <p>Equality is {@link InetSocketAddress}'s (final there): host and port only. A UDP peer with
 * the same host and port compares equal, which is why {@link EndpointAddressTable} keeps TCP
 * bindings on the connection, never in its map.
 */
public final class TcpConnectionAddress extends InetSocketAddress {
    private static final long serialVersionUID = 1L;
    private final transient TcpConnection connection;

    TcpConnectionAddress(InetSocketAddress remote, TcpConnection connection) {
        super(remote.getAddress(), remote.getPort());
        this.connection = connection;
    }

    public TcpConnection connection() {
        return connection;
    }

    @Override
    public String toString() {
        return "tcp:" + super.toString();
    }
}
