package org.citizenreception.control.session;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * The body of POST /session-schedules: a recurrence, the daily time window (Vietnamese time),
 * the dates it applies between, how far ahead to create sessions, what to do with an occurrence on a
 * weekend or public holiday (default {@link NonWorkingDayRule#MOVE}), and the sessions' details.
 */
public record ScheduleInput(
        String title,
        Recurrence recurrence,
        LocalTime startTime,
        LocalTime endTime,
        LocalDate validFrom,
        LocalDate validUntil,
        Integer horizonDays,
        NonWorkingDayRule onNonWorkingDay,
        String presidingOfficial,
        Long presidingUserId,
        Long presidingLeaderId,
        String hostRoomCode,
        Invitation invitation,
        ReceptionSession.Mode mode,
        Boolean recording) {
}
