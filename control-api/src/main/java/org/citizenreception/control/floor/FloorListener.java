package org.citizenreception.control.floor;

/**
 * Implemented by the media side: maps the room's published source into the stage's guest slot on
 * a grant, and empties the slot on a revoke. Called after the change is committed, on the thread
 * of the host's request: implementations must not block.
 */
public interface FloorListener {
    void floorGranted(String sessionId, String roomCode);

    void floorRevoked(String sessionId, String roomCode);
}
