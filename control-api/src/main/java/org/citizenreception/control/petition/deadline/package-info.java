/**
 * Statutory deadlines of a petition, computed from its kind, complaint round and flags with no
 * database and no clock: {@link org.citizenreception.control.petition.deadline.DeadlineCalculator}
 * over a {@link org.citizenreception.control.petition.deadline.HolidayCalendar}.
 *
 * <p>Called by the petition service whenever a petition is registered, accepted, re-flagged or
 * extended; the result is stored with the petition so reports and metrics never recompute it.
 */
package org.citizenreception.control.petition.deadline;
