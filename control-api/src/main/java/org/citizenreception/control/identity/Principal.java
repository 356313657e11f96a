package org.citizenreception.control.identity;

import java.util.Optional;

/**
 * The authenticated caller of one request.
 *
 * @param roomCode   the room a ROOM_OPERATOR (or a room join token) acts for; empty for other roles
 * @param unitCode   the unit of the room directory the account belongs to (its area: the unit and
 *                   every room below it); null means the province root, i.e. the whole province
 * @param credential a stable id of the token that authenticated the caller (its SHA-256), so that a
 *                   revocation can find what the token opened; null for internal principals
 */
public record Principal(long userId, String username, Role role, Optional<String> roomCode, String unitCode,
                        String credential) {

    /** An internal or test principal without a unit (province-wide) and without a token. */
    public Principal(long userId, String username, Role role, Optional<String> roomCode) {
        this(userId, username, role, roomCode, null, null);
    }

    public boolean hasRole(Role... roles) {
        for (Role r : roles) {
            if (r == role) {
                return true;
            }
        }
        return false;
    }

    /** The same caller, authenticated by {@code credentialId}. */
    public Principal withCredential(String credentialId) {
        return new Principal(userId, username, role, roomCode, unitCode, credentialId);
    }
}
