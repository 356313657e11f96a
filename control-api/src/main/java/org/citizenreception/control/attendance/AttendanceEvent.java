package org.citizenreception.control.attendance;

import java.time.Instant;

/** One connect or disconnect of one media endpoint of a room, as the media bridge reported it. */
public record AttendanceEvent(String roomCode, String endpointId, Kind kind, Instant at, String reason) {
    public enum Kind { CONNECT, DISCONNECT }
}
