package org.citizenreception.control.session;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One reception session as stored; {@code version} increases with every change.
 *
 * @param presidingOfficial the presiding leader's name as it read when the session was planned
 * @param presidingUserId   the leader's HOST account, or null
 * @param presidingLeaderId the leader's entry of the leaders list when no account presides (null with an account)
 * @param invitedRoomCount  the rooms the session is broadcast to: the invited rooms without the hosting room
 * @param secretaryIds     the SECRETARY accounts assigned to the session (besides those whose unit's
 *                          area covers it); the presiding host alone takes it live, publishes into
 *                          its main slot, gives the floor and ends it
 */
public record ReceptionSession(
        long id,
        String title,
        Instant scheduledStart,
        Instant scheduledEnd,
        String presidingOfficial,
        Long presidingUserId,
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
        List<Long> secretaryIds,
        Long presidingLeaderId) {

    public ReceptionSession {
        secretaryIds = secretaryIds == null ? List.of() : List.copyOf(secretaryIds);
    }

    /** A session presided by an account, or before a leader is filed. */
    public ReceptionSession(long id, String title, Instant scheduledStart, Instant scheduledEnd, String presidingOfficial,
                            Long presidingUserId, String hostRoomCode, Invitation invitation, Mode mode, boolean recording,
                            SessionState state, Instant startedAt, Instant endedAt, String floorRoomCode, Long scheduleId,
                            LocalDate occurrenceDate, long version, int invitedRoomCount, List<Long> secretaryIds) {
        this(id, title, scheduledStart, scheduledEnd, presidingOfficial, presidingUserId, hostRoomCode, invitation, mode, recording,
                state, startedAt, endedAt, floorRoomCode, scheduleId, occurrenceDate, version, invitedRoomCount, secretaryIds, null);
    }

    public ReceptionSession withPresidingLeader(Long leaderId) {
        return new ReceptionSession(id, title, scheduledStart, scheduledEnd, presidingOfficial, presidingUserId, hostRoomCode, invitation,
                mode, recording, state, startedAt, endedAt, floorRoomCode, scheduleId, occurrenceDate, version, invitedRoomCount,
                secretaryIds, leaderId);
    }

    /** A session without assigned secretaries. */
    public ReceptionSession(long id, String title, Instant scheduledStart, Instant scheduledEnd, String presidingOfficial,
                            Long presidingUserId, String hostRoomCode, Invitation invitation, Mode mode, boolean recording,
                            SessionState state, Instant startedAt, Instant endedAt, String floorRoomCode, Long scheduleId,
                            LocalDate occurrenceDate, long version, int invitedRoomCount) {
        this(id, title, scheduledStart, scheduledEnd, presidingOfficial, presidingUserId, hostRoomCode, invitation, mode, recording,
                state, startedAt, endedAt, floorRoomCode, scheduleId, occurrenceDate, version, invitedRoomCount, List.of());
    }

    /** ONLINE: every participant joins by video; HYBRID: the host receives citizens in person too. */
    public enum Mode { ONLINE, HYBRID }
}
