package org.citizenreception.control.session;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.room.Room;
import org.citizenreception.control.room.RoomDirectory;

/**
 * Which rooms a session invites: every room of the directory valid on the session's day, the
 * subtree under one room (a district and its communes), or an explicit list.
 *
 * @param root  the subtree's root room, for SUBTREE
 * @param rooms the room codes, for LIST
 */
public record Invitation(Type type, String root, List<String> rooms) {
    public enum Type { ALL, SUBTREE, LIST }

    public Invitation {
        rooms = rooms == null ? List.of() : List.copyOf(rooms);
    }

    public static Invitation all() {
        return new Invitation(Type.ALL, null, List.of());
    }

    /**
     * The invited room codes on {@code day}, plus the hosting room; resolved once when the session
     * is saved so that its attendance report keeps the rooms of that day's directory.
     *
     * @throws DomainException 422 naming the field when a room does not exist or is not valid that day
     */
    public List<String> resolve(RoomDirectory directory, LocalDate day, String hostRoom, String field) {
        if (type == null) {
            throw DomainErrors.invalid(field + ".type", "must be ALL, SUBTREE or LIST");
        }
        Set<String> codes = new LinkedHashSet<>();
        switch (type) {
            case ALL -> directory.all().stream().filter(r -> r.activeOn(day)).map(Room::code).forEach(codes::add);
            case SUBTREE -> {
                if (root == null || directory.find(root).isEmpty()) {
                    throw DomainErrors.invalid(field + ".root", "must be the code of an existing room");
                }
                directory.subtree(root).stream().filter(r -> r.activeOn(day)).map(Room::code).forEach(codes::add);
            }
            case LIST -> {
                if (rooms.isEmpty()) {
                    throw DomainErrors.invalid(field + ".rooms", "must name at least one room");
                }
                List<String> unknown = new ArrayList<>();
                for (String code : rooms) {
                    if (code == null || directory.find(code).isEmpty()) {
                        unknown.add(String.valueOf(code));
                    } else {
                        codes.add(code);
                    }
                }
                if (!unknown.isEmpty()) {
                    throw DomainErrors.invalid(field + ".rooms", "unknown rooms " + unknown);
                }
            }
        }
        codes.add(hostRoom);
        return List.copyOf(codes);
    }
}
