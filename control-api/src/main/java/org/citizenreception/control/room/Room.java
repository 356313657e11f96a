package org.citizenreception.control.room;

import java.time.LocalDate;
import java.util.List;

/**
 * One reception room: an administrative unit's connection point.
 *
 * @param parentCode   null for a root (the province office)
 * @param validFrom    first day the unit exists; null for "since before the directory began"
 * @param validTo      last day the unit exists; null while it exists
 * @param predecessors units merged into this one
 * @param successors   units this one was merged into
 */
public record Room(String code, String name, RoomLevel level, String parentCode, LocalDate validFrom, LocalDate validTo,
                   List<String> predecessors, List<String> successors) {

    public Room {
        predecessors = List.copyOf(predecessors);
        successors = List.copyOf(successors);
    }

    public boolean activeOn(LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validTo == null || !day.isAfter(validTo));
    }
}
