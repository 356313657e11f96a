package org.citizenreception.control.identity;

/** What a signed-in account may do; a ROOM_OPERATOR acts for exactly one room. */
public enum Role {
    ADMIN,
    HOST,
    SECRETARY,
    ROOM_OPERATOR
}
