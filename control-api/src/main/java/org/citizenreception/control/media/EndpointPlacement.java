package org.citizenreception.control.media;

import java.util.Optional;

/**
 * What decides which bridge an endpoint goes on: the region of the room it is for (empty for the
 * host's own consoles, which go on the session's root bridge), and whether it is the host's
 * publisher. The embedded bridge ignores it.
 */
public record EndpointPlacement(Optional<String> region, boolean hostPublisher) {
    public static EndpointPlacement anywhere() {
        return new EndpointPlacement(Optional.empty(), false);
    }
}
