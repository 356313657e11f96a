package org.citizenreception.media;

import java.util.List;
import java.util.Objects;

/**
 * What the embedding application tells the bridge at start.
 *
 * @param bindHost            the local address the UDP socket binds to ("0.0.0.0" for all)
 * @param port                the single UDP port all endpoints share (0 picks a free one, for tests)
 * @param advertisedAddresses the host candidates put into SDP answers, in order of preference
 */
public record MediaBridgeConfig(String bindHost, int port, List<String> advertisedAddresses) {
    public MediaBridgeConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        advertisedAddresses = List.copyOf(advertisedAddresses);
    }
}
