/**
 * Who attended a session: the {@link org.citizenreception.control.attendance.AttendanceRecorder}
 * the media bridge calls on every endpoint connect and disconnect, the officials and citizen head
 * count each room operator enters, and the per-session report (present, late, left early, absent).
 */
package org.citizenreception.control.attendance;
