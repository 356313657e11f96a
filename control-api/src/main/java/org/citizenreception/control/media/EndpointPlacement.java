package org.citizenreception.control.media;

import java.util.List;

/**
 * What decides which bridge an endpoint goes on.
 *
 * @param roomPath      the code of the room the endpoint is for, then its parents' up to the province
 *                      office (a bridge whose region is any of them is in the room's region); empty for
 *                      the host's own consoles
 * @param hostPublisher the host's stream: it goes on the session's root bridge
 * @param sessionPath   the session's host room and its parents: where the session's root bridge goes
 *                      when bridges cascade (empty when the session names no host room)
 */
public record EndpointPlacement(List<String> roomPath, boolean hostPublisher, List<String> sessionPath) {
    public EndpointPlacement {
        roomPath = List.copyOf(roomPath);
        sessionPath = List.copyOf(sessionPath);
    }

    public EndpointPlacement(List<String> roomPath, boolean hostPublisher) {
        this(roomPath, hostPublisher, List.of());
    }

    public static EndpointPlacement anywhere() {
        return new EndpointPlacement(List.of(), false, List.of());
    }
}
