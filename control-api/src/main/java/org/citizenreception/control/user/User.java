package org.citizenreception.control.user;

import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * An account as shown to administrators; the password hash never leaves {@link UserRepository}.
 *
 * @param roomCode the room of a ROOM_OPERATOR, null for other roles
 * @param unitCode the unit of the room directory the account belongs to; its area is this unit and
 *                 every room below it (the province root: the whole province)
 */
public record User(long id, String username, String displayName, Role role, String roomCode, boolean disabled,
                   String createdAt, String updatedAt, String unitCode) {

    public User(long id, String username, String displayName, Role role, String roomCode, boolean disabled,
                String createdAt, String updatedAt) {
        this(id, username, displayName, role, roomCode, disabled, createdAt, updatedAt, null);
    }

    public Principal principal() {
        return new Principal(id, username, role, java.util.Optional.ofNullable(roomCode), unitCode, null);
    }
}
