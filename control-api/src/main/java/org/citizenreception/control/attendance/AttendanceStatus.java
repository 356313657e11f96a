package org.citizenreception.control.attendance;

/**
 * A room's attendance in one word, as the attendance page shows it. {@link #wordVi} is the
 * Vietnamese word of the page (i18n key {@code attendance.status.<CODE>}), written into the CSV
 * beside the code so a person reads the one and a program the other.
 */
public enum AttendanceStatus {
    PRESENT("Có mặt"),
    LATE("Vào muộn"),
    LEFT_EARLY("Rời sớm"),
    LATE_LEFT_EARLY("Vào muộn, rời sớm"),
    ABSENT("Vắng mặt");

    private final String wordVi;

    AttendanceStatus(String wordVi) {
        this.wordVi = wordVi;
    }

    public String wordVi() {
        return wordVi;
    }

    static AttendanceStatus of(boolean present, boolean late, boolean leftEarly) {
        if (!present) {
            return ABSENT;
        }
        if (late) {
            return leftEarly ? LATE_LEFT_EARLY : LATE;
        }
        return leftEarly ? LEFT_EARLY : PRESENT;
    }
}
