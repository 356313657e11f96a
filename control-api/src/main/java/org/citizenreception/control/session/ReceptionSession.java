package org.citizenreception.control.session;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One reception session as stored; {@code version} increases with every change.
 *
 * @param presidingUserId   the HOST account presiding the session, the only account that takes it live,
 *                     publishes into its main slot, gives the floor and ends it; null until chosen
 *                     (then the first host of the hosting room's area to take it live becomes it)
 * @param secretaryIds the SECRETARY accounts assigned to the session (besides those whose unit's
 *                     area covers it)
 */
public record ReceptionSession(
        long id,
        String title,
        Instant scheduledStart,
        Instant scheduledEnd,
        String presidingOfficial,
        String hostRoomCode,
        Invitation invitation,
        Mode mode,
        boolean recording,
        SessionState state,
        Instant startedAt,
        Instant endedAt,
        String floorRoomCode,
        Long scheduleId,
        LocalDate occurrenceDate,
        long version,
        int invitedRoomCount,
        Long presidingUserId,
        List<Long> secretaryIds) {

    public ReceptionSession {
        secretaryIds = secretaryIds == null ? List.of() : List.copyOf(secretaryIds);
    }

    /** A session without a chosen host or assigned secretaries. */
    public ReceptionSession(long id, String title, Instant scheduledStart, Instant scheduledEnd, String presidingOfficial,
                            String hostRoomCode, Invitation invitation, Mode mode, boolean recording, SessionState state,
                            Instant startedAt, Instant endedAt, String floorRoomCode, Long scheduleId, LocalDate occurrenceDate,
                            long version, int invitedRoomCount) {
        this(id, title, scheduledStart, scheduledEnd, presidingOfficial, hostRoomCode, invitation, mode, recording, state,
                startedAt, endedAt, floorRoomCode, scheduleId, occurrenceDate, version, invitedRoomCount, null, List.of());
    }

    /** ONLINE: every participant joins by video; HYBRID: the host receives citizens in person too. */
    public enum Mode { ONLINE, HYBRID }
}
