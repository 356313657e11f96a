package org.citizenreception.media.conference;

import org.citizenreception.media.transport.DatagramReceiver;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.UdpTransport;

/**
 * Binds a cascade link's own socket (see {@link UdpTransport#bindBeside}): one per direction, as
 * the upstream bridge tells its endpoints apart by the address they send from.
 */
@FunctionalInterface
public interface LinkSockets {
    /**
     * @param stunReceiver gets the STUN datagrams the socket receives (the link's binding responses)
     * @param addresses    routes its other datagrams (DTLS, SRTP) by sender
     */
    UdpTransport bind(DatagramReceiver stunReceiver, EndpointAddressTable addresses);
}
