package org.citizenreception.media.ice;

import java.net.InetSocketAddress;

/** What an ICE session tells its endpoint. Called on the transport's event loop. */
public interface IceListener {
    /**
     * A binding request from {@code remote} authenticated with this session's credentials
     * (and the response is on its way).
     *
     * @param useCandidate the controlling agent nominated this pair
     */
    void bindingAuthenticated(InetSocketAddress remote, boolean useCandidate);
}
