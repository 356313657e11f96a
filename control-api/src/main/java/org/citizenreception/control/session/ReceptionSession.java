package org.citizenreception.control.session;

import java.time.Instant;
import java.time.LocalDate;

/** One reception session as stored; {@code version} increases with every change. */
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
        int invitedRoomCount) {

    /** ONLINE: every participant joins by video; HYBRID: the host receives citizens in person too. */
    public enum Mode { ONLINE, HYBRID }
}
