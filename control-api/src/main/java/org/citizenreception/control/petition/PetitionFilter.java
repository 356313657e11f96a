package org.citizenreception.control.petition;

/**
 * A register search; null fields do not filter. {@code text} matches the register number, summary,
 * requests and handler agency (never personal data, so a search cannot be used to find a person).
 * {@code scopeRooms} (with {@code scopeUserId}) limits the search to what one staff member may see:
 * petitions from those rooms, of sessions hosted there, or of sessions the user hosts or is assigned to.
 */
public record PetitionFilter(Long sessionId, PetitionKind kind, PetitionStatus status, Integer year, String text,
                             Boolean overdue, String originRoomCode, int limit, int offset, java.util.List<String> scopeRooms,
                             Long scopeUserId) {

    public PetitionFilter(Long sessionId, PetitionKind kind, PetitionStatus status, Integer year, String text,
                          Boolean overdue, String originRoomCode, int limit, int offset) {
        this(sessionId, kind, status, year, text, overdue, originRoomCode, limit, offset, null, null);
    }
}
