package org.citizenreception.control.session;

import java.util.Map;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * The object half of every access decision about a session (the role half is the routes table):
 *
 * <ul>
 *   <li><b>own session (host)</b>: only the session's presiding host takes it live, publishes into
 *       its main slot, gives or takes the floor and ends it. An administrator schedules sessions and
 *       manages accounts but never broadcasts: a takeover would put someone else's face and voice on
 *       190 screens under the leader's name. While no host is chosen, a HOST whose unit's area holds
 *       the hosting room may preside; the first to take it live becomes its host.</li>
 *   <li><b>own unit</b>: a secretary works on the sessions assigned to them and on those hosted in
 *       their unit's area (the unit and every room below it); a host likewise; the province root's
 *       area is the whole province. Administrators read everything.</li>
 *   <li><b>own room</b>: a room (operator account or join token) sees a session it is invited to.</li>
 * </ul>
 *
 * <p>Refused attempts to broadcast are audited: they are what a takeover looks like.
 */
public final class SessionAccess {
    private final RoomDirectory rooms;
    private final AuditLog audit;

    public SessionAccess(RoomDirectory rooms, AuditLog audit) {
        this.rooms = rooms;
        this.audit = audit;
    }

    /** Whether {@code p} presides {@code s} (or may claim it, while no host is chosen). */
    public boolean isHost(Principal p, ReceptionSession s) {
        if (p == SessionService.MEDIA) {
            return true;
        }
        if (p.role() != Role.HOST || p.userId() <= 0) {
            return false;
        }
        if (s.presidingUserId() != null) {
            return s.presidingUserId() == p.userId();
        }
        return rooms.isInArea(s.hostRoomCode(), p.unitCode());
    }

    /**
     * @param action what was attempted, for the audit entry of a refusal ("session.live", "whip.main", "floor.grant")
     * @throws DomainException 403 (audited) unless {@code p} is the session's host
     */
    public void requireHost(Principal p, ReceptionSession s, String remote, String action) {
        if (!isHost(p, s)) {
            audit.record(p, remote, "access.denied", "session", String.valueOf(s.id()),
                    Map.of("action", action, "reason", "not the session's host"));
            throw DomainErrors.forbidden("only the host presiding session " + s.id() + " may do this ("
                    + action + "); administrators schedule sessions but do not broadcast");
        }
    }

    /** Whether {@code p} may see and work on {@code s} as staff or as an invited room (checked by the caller). */
    public boolean mayWorkOn(Principal p, ReceptionSession s) {
        return switch (p.role()) {
            case ADMIN -> true;
            case HOST -> isHost(p, s) || inArea(p, s.hostRoomCode());
            case SECRETARY -> s.secretaryIds().contains(p.userId()) || inArea(p, s.hostRoomCode());
            case ROOM_OPERATOR -> true; // rooms: the invitation decides (SessionService.getFor)
        };
    }

    /**
     * The rooms of {@code p}'s unit's area, or empty when it is the whole province (administrators,
     * accounts of the province root).
     */
    public java.util.Optional<java.util.List<String>> areaRooms(Principal p) {
        if (p.role() == Role.ADMIN || p.unitCode() == null || p.unitCode().equals(rooms.rootCode())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(rooms.subtree(p.unitCode()).stream().map(org.citizenreception.control.room.Room::code).toList());
    }

    /** Whether {@code roomCode} lies in the area of {@code p}'s unit (administrators: the province). */
    public boolean inArea(Principal p, String roomCode) {
        if (p.role() == Role.ADMIN) {
            return true;
        }
        return roomCode != null && rooms.isInArea(roomCode, p.unitCode());
    }
}
