package org.citizenreception.control.attendance;

import java.time.Instant;

/**
 * What the media side calls when an endpoint of a room joins or leaves a session's conference.
 * Every call is stored before it returns (so a crash right after loses nothing); calls for one
 * endpoint must come in order, and a disconnect without a connect is ignored by the report.
 *
 * @throws IllegalArgumentException from either method when the session does not exist or the room
 *                                  is not invited to it
 */
public interface AttendanceRecorder {
    void roomConnected(String sessionId, String roomCode, String endpointId, Instant at);

    void roomDisconnected(String sessionId, String roomCode, String endpointId, Instant at, String reason);
}
