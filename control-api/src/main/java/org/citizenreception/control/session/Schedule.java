package org.citizenreception.control.session;

import java.time.LocalDate;
import java.time.LocalTime;

/** A stored recurring schedule. */
public record Schedule(long id, String title, Recurrence recurrence, LocalTime startTime, LocalTime endTime, LocalDate validFrom,
                       LocalDate validUntil, int horizonDays, NonWorkingDayRule onNonWorkingDay, String presidingOfficial,
                       Long presidingUserId, Long presidingLeaderId, String hostRoomCode, Invitation invitation, ReceptionSession.Mode mode, boolean recording,
                       boolean active) {
}
