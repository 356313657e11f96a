package org.citizenreception.control.room;

/**
 * The administrative level of a reception room. COMMUNE, WARD and SPECIAL_ZONE are the three kinds
 * of commune-level unit (Law 72/2025/QH15 on local government organisation); TOWNSHIP (thị trấn)
 * was the fourth until 1 July 2025 (Law 72/2025/QH15 no longer has it) and stays its own level so
 * the 2024 directory, its consoles and its reports name a township as the law of the time did.
 */
public enum RoomLevel {
    PROVINCE(0),
    DISTRICT(1),
    COMMUNE(2),
    WARD(2),
    SPECIAL_ZONE(2),
    TOWNSHIP(2);

    private final int rank;

    RoomLevel(int rank) {
        this.rank = rank;
    }

    /** A unit may sit under a unit of its own or a higher level, never under a lower one. */
    public boolean mayBeChildOf(RoomLevel parent) {
        return parent.rank <= rank;
    }
}
