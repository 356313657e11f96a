package org.citizenreception.control.session;

import java.time.Instant;
import java.util.List;

/**
 * The body of POST /sessions and PATCH /sessions/{id}: absent (null) fields keep their value on
 * PATCH and are required on POST. The presiding leader is {@code presidingUserId}, a HOST account,
 * or {@code presidingLeaderId}, an entry of the leaders list; the name is stored beside it. A bare
 * {@code presidingOfficial} text from an older client is filed under the leader of that name.
 * {@code version} is required on PATCH (optimistic concurrency).
 * {@code secretaryIds} are the SECRETARY accounts assigned to it (null: unchanged on PATCH).
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
        Long version,
        List<Long> secretaryIds,
        Long presidingLeaderId) {

    public SessionInput(String title, Instant scheduledStart, Instant scheduledEnd, String presidingOfficial, String hostRoomCode,
                        Invitation invitation, ReceptionSession.Mode mode, Boolean recording, Long version) {
        this(title, scheduledStart, scheduledEnd, presidingOfficial, null, hostRoomCode, invitation, mode, recording, version, null, null);
    }
}
