package org.citizenreception.control.events;

import java.util.Optional;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * Something that happened in a session, in two forms: {@code staffView} for the host, secretaries
 * and administrators, {@code roomView} for room operators (masked personal data, or null when
 * rooms must not see the event at all). {@code forRoom} limits the room form to one room.
 */
public record LiveEvent(long sessionId, String type, Object staffView, Object roomView, String forRoom) {
    public static LiveEvent everyone(long sessionId, String type, Object view) {
        return new LiveEvent(sessionId, type, view, view, null);
    }

    public static LiveEvent staffOnly(long sessionId, String type, Object view) {
        return new LiveEvent(sessionId, type, view, null, null);
    }

    /** The payload {@code p} may see, or empty when the event is not for them. */
    public Optional<Object> viewFor(Principal p) {
        if (p.role() != Role.ROOM_OPERATOR) {
            return Optional.ofNullable(staffView);
        }
        if (forRoom != null && !p.roomCode().map(forRoom::equals).orElse(false)) {
            return Optional.empty();
        }
        return Optional.ofNullable(roomView);
    }
}
