package org.citizenreception.control.session;

import java.time.Instant;
import java.util.List;

/**
 * The body of POST /sessions and PATCH /sessions/{id}: absent (null) fields keep their value on
 * PATCH and are required on POST. {@code version} is required on PATCH (optimistic concurrency).
 * {@code presidingUserId} names the presiding HOST account (a host scheduling a session presides it
 * unless another is named); {@code secretaryIds} the SECRETARY accounts assigned to it.
 */
public record SessionInput(
        String title,
        Instant scheduledStart,
        Instant scheduledEnd,
        String presidingOfficial,
        String hostRoomCode,
        Invitation invitation,
        ReceptionSession.Mode mode,
        Boolean recording,
        Long version,
        Long presidingUserId,
        List<Long> secretaryIds) {

    public SessionInput(String title, Instant scheduledStart, Instant scheduledEnd, String presidingOfficial, String hostRoomCode,
                        Invitation invitation, ReceptionSession.Mode mode, Boolean recording, Long version) {
        this(title, scheduledStart, scheduledEnd, presidingOfficial, hostRoomCode, invitation, mode, recording, version, null, null);
    }
}
