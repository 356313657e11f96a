package org.citizenreception.control.media;

import java.util.Optional;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.media.conference.SlotName;

/**
 * Who one media endpoint belongs to.
 *
 * @param username the signed-in user or {@code room:<code>} for a join token; only they (or staff) may end it
 * @param roomCode the room it counts attendance for; empty for the host's staff consoles
 * @param slot     the stage slot it publishes into; empty for a viewer
 * @param opener   who opened it, with the token it used: a revocation that covers them ends it
 */
record MediaParticipant(long sessionId, String endpointId, String username, Optional<String> roomCode,
                        Optional<SlotName> slot, Principal opener) {
    boolean isPublisher() {
        return slot.isPresent();
    }
}
