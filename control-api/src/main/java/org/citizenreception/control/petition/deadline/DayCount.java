package org.citizenreception.control.petition.deadline;

/** How a statutory period counts: every calendar day, or only the working days of the holiday table. */
public enum DayCount {
    CALENDAR_DAYS,
    WORKING_DAYS
}
