package org.citizenreception.control.petition;

import java.time.LocalDate;
import java.util.List;
import org.citizenreception.control.petition.deadline.DeadlineKind;

/** The bodies of the petition sub-resources; {@code version} is the petition version the caller saw. */
public final class PetitionCommands {
    private PetitionCommands() {
    }

    /** POST /petitions/{id}/status. */
    public record StatusInput(PetitionStatus status, String reason, LocalDate effectiveOn, Long version) {
    }

    /** POST /petitions/{id}/annotations. */
    public record AnnotationInput(String text, Long version) {
    }

    /** POST /petitions/{id}/extensions. */
    public record ExtensionInput(DeadlineKind deadlineKind, Integer days, String decisionReference, LocalDate decidedOn, Long version) {
    }

    /** POST /petitions/{id}/split: each part becomes a petition of its own; absent fields are copied from the original. */
    public record SplitInput(Long version, List<PetitionInput> parts) {
    }
}
