package org.citizenreception.control.user;

/**
 * An account as shown to administrators; the password hash never leaves {@link UserRepository}.
 *
 * @param roomCode the room of a ROOM_OPERATOR, null for other roles
 */
public record User(long id, String username, String displayName, Role role, String roomCode, boolean disabled,
                   String createdAt, String updatedAt) {

    public Principal principal() {
        return new Principal(id, username, role, java.util.Optional.ofNullable(roomCode));
    }
}
