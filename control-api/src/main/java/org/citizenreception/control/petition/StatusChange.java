package org.citizenreception.control.petition;

import java.time.Instant;
import java.time.LocalDate;

/** One line of a petition's status history (append-only). */
public record StatusChange(PetitionStatus from, PetitionStatus to, LocalDate effectiveOn, String reason, Instant at, long actorId) {
}
