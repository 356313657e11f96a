package org.citizenreception.control.agency;

import java.time.Instant;

/** A handling agency; {@code roomCode} ties it to a unit of the room directory when it has one. */
public record Agency(long id, String name, String roomCode, boolean active, long version, Instant createdAt, Instant updatedAt) {
}
