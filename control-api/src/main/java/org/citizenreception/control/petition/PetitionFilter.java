package org.citizenreception.control.petition;

/**
 * A register search; null fields do not filter. {@code text} matches the register number, summary,
 * requests and handler agency (never personal data, so a search cannot be used to find a person).
 */
public record PetitionFilter(Long sessionId, PetitionKind kind, PetitionStatus status, Integer year, String text,
                             Boolean overdue, String originRoomCode, int limit, int offset) {
}
