package org.citizenreception.control.session;

import java.time.Instant;

/**
 * The body of POST /sessions and PATCH /sessions/{id}: absent (null) fields keep their value on
 * PATCH and are required on POST. The presiding leader is {@code presidingUserId}, a HOST account
 * whose display name is stored beside it; a bare {@code presidingOfficial} text is still read (older clients).
 * {@code version} is required on PATCH (optimistic concurrency).
 */
public record SessionInput(
        String title,
        Instant scheduledStart,
        Instant scheduledEnd,
        String presidingOfficial,
        Long presidingUserId,
        String hostRoomCode,
        Invitation invitation,
        ReceptionSession.Mode mode,
        Boolean recording,
        Long version) {
}
