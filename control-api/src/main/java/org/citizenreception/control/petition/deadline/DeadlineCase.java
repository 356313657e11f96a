package org.citizenreception.control.petition.deadline;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the deadlines of one petition depend on; the petition service builds one from the stored
 * petition and recomputes whenever any of these change.
 *
 * @param complaintRound  1 or 2 for complaints (LKN Art. 28 vs 37); ignored for other kinds
 * @param complex         "vụ việc phức tạp" (complaints: longer period; denunciations: one extension allowed)
 * @param especiallyComplex denunciations only: two extensions allowed (LTC Art. 30(1))
 * @param remoteArea      "vùng sâu, vùng xa đi lại khó khăn" (complaints: longer period)
 * @param acceptedOn      the acceptance (thụ lý) date; resolution periods run from it, so without it
 *                        no resolution deadline exists yet
 * @param screeningExtended denunciations only: the acceptance review was extended because verification
 *                        spans several places, so screening may take up to 10 working days (LTC Art. 24(1))
 */
public record DeadlineCase(
        Kind kind,
        int complaintRound,
        boolean complex,
        boolean especiallyComplex,
        boolean remoteArea,
        LocalDate receivedOn,
        Optional<LocalDate> acceptedOn,
        List<Extension> extensions,
        boolean screeningExtended) {

    /** The petition kinds the law distinguishes; mirrors the petition domain's kinds. */
    public enum Kind { COMPLAINT, DENUNCIATION, RECOMMENDATION, REFLECTION }

    public DeadlineCase(Kind kind, int complaintRound, boolean complex, boolean especiallyComplex, boolean remoteArea,
                        LocalDate receivedOn, Optional<LocalDate> acceptedOn, List<Extension> extensions) {
        this(kind, complaintRound, complex, especiallyComplex, remoteArea, receivedOn, acceptedOn, extensions, false);
    }

    public DeadlineCase {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(receivedOn, "receivedOn");
        acceptedOn = acceptedOn == null ? Optional.empty() : acceptedOn;
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        if (kind == Kind.COMPLAINT && complaintRound != 1 && complaintRound != 2) {
            throw new IllegalArgumentException("complaintRound must be 1 or 2, was " + complaintRound);
        }
        if (acceptedOn.isPresent() && acceptedOn.get().isBefore(receivedOn)) {
            throw new IllegalArgumentException("acceptedOn must not be before receivedOn");
        }
    }

    public static DeadlineCase received(Kind kind, LocalDate receivedOn) {
        return new DeadlineCase(kind, 1, false, false, false, receivedOn, Optional.empty(), List.of());
    }

    public DeadlineCase withRound(int round) {
        return new DeadlineCase(kind, round, complex, especiallyComplex, remoteArea, receivedOn, acceptedOn, extensions, screeningExtended);
    }

    public DeadlineCase withFlags(boolean complex, boolean especiallyComplex, boolean remoteArea) {
        return new DeadlineCase(kind, complaintRound, complex, especiallyComplex, remoteArea, receivedOn, acceptedOn, extensions, screeningExtended);
    }

    public DeadlineCase acceptedOn(LocalDate date) {
        return new DeadlineCase(kind, complaintRound, complex, especiallyComplex, remoteArea, receivedOn, Optional.of(date), extensions, screeningExtended);
    }

    public DeadlineCase withScreeningExtended(boolean extended) {
        return new DeadlineCase(kind, complaintRound, complex, especiallyComplex, remoteArea, receivedOn, acceptedOn, extensions, extended);
    }

    public DeadlineCase withExtensions(List<Extension> extensions) {
        return new DeadlineCase(kind, complaintRound, complex, especiallyComplex, remoteArea, receivedOn, acceptedOn, extensions, screeningExtended);
    }
}
