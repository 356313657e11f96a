package org.citizenreception.control.session;

import java.time.Instant;

/**
 * A leader who presides receptions without a HOST account of their own (a district chairman whose
 * office broadcasts for them, a Party secretary): an entry of the list the administrator keeps.
 *
 * @param filedFrom "typed name" when the entry was made from a free-text name (migrated data, an
 *                  older client), for an administrator to merge or correct; null when entered as a leader
 */
public record Leader(long id, String name, String position, boolean active, Instant createdAt, String filedFrom) {
}
