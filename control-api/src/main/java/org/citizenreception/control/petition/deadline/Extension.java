package org.citizenreception.control.petition.deadline;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An extension of a deadline granted by a decision (quyết định gia hạn). The decision reference is
 * mandatory: an extension nobody can cite is not an extension (LTC Art. 30(1)).
 *
 * @param days calendar days added to the deadline, 1..30 (LTC Art. 30(1): "mỗi lần không quá 30 ngày")
 */
public record Extension(DeadlineKind kind, int days, String decisionReference, LocalDate decidedOn) {
    public static final int MAX_DAYS = 30;

    public Extension {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(decidedOn, "decidedOn");
        if (decisionReference == null || decisionReference.isBlank()) {
            throw new IllegalArgumentException("decisionReference must name the extension decision");
        }
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be 1.." + MAX_DAYS + ", was " + days);
        }
    }
}
