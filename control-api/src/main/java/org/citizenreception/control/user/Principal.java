package org.citizenreception.control.user;

import java.util.Optional;

/**
 * The authenticated caller of one request.
 *
 * @param roomCode the room a ROOM_OPERATOR (or a room join token) acts for; empty for other roles
 */
public record Principal(long userId, String username, Role role, Optional<String> roomCode) {
    public boolean hasRole(Role... roles) {
        for (Role r : roles) {
            if (r == role) {
                return true;
            }
        }
        return false;
    }
}
