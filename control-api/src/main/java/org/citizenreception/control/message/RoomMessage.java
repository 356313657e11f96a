package org.citizenreception.control.message;

import java.time.Instant;

/**
 * One line of a room's thread in a session.
 *
 * @param replyTo    null for what the room sent; the message answered, for a staff reply
 * @param quick      the quick button pressed, or null for free text
 * @param body       the text typed (may be empty when {@code quick} is set)
 * @param fromRoom   true when the room wrote it, false for a staff reply
 * @param petitionId the petition drafted from this message, or null
 */
public record RoomMessage(long id, long sessionId, String roomCode, Long replyTo, QuickMessage quick, String body, boolean fromRoom,
                          String authorName, Instant createdAt, Long petitionId) {

    /** The same message as a room sees it: which petition a secretary filed it under is the office's business. */
    public RoomMessage forRoom() {
        return new RoomMessage(id, sessionId, roomCode, replyTo, quick, body, fromRoom, authorName, createdAt, null);
    }

    public RoomMessage withPetition(long petition) {
        return new RoomMessage(id, sessionId, roomCode, replyTo, quick, body, fromRoom, authorName, createdAt, petition);
    }
}
