package org.citizenreception.control.petition;

import java.time.Instant;

/** A note a secretary added to a petition; never edited or deleted, a correction is a new note. */
public record Annotation(long id, long petitionId, long authorId, String authorName, Instant createdAt, String text) {
}
