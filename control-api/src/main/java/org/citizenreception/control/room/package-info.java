/**
 * The room directory: the province office, the optional district tier and the commune-level
 * connection points, as a tree of any depth with validity dates and merger links.
 *
 * <p>{@link org.citizenreception.control.room.RoomDirectory} is the service other packages call
 * (sessions invite a subtree, attendance lists absent rooms, users bind an operator to a room). The
 * directory is data, never code: it is imported from CSV ({@link org.citizenreception.control.room.RoomCsv})
 * and edited by admins. Rooms are never deleted; a unit that ceased to exist keeps its row with a
 * {@code validTo} date so the records of past sessions still read correctly.
 */
package org.citizenreception.control.room;
