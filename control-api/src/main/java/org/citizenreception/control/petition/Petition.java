package org.citizenreception.control.petition;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.citizenreception.control.petition.deadline.Extension;

/**
 * One line of the register, as stored (personal data unmasked: never serialize it to a client directly).
 *
 * @param decidedOn the date the decision (complaint) or conclusion (denunciation) was issued; the
 *                  notice deadline runs from it. Written only by a DECIDED case step.
 */
public record Petition(
        long id,
        String registerNumber,
        long sessionId,
        String originRoomCode,
        PetitionKind kind,
        Integer complaintRound,
        int headCount,
        List<Petitioner> petitioners,
        String summary,
        String requests,
        String priorHandling,
        String handlerAgency,
        boolean complex,
        boolean especiallyComplex,
        boolean remoteArea,
        PetitionStatus status,
        LocalDate receivedOn,
        LocalDate acceptedOn,
        Long splitFromId,
        List<Extension> extensions,
        long version,
        Instant createdAt,
        Instant updatedAt,
        LocalDate decidedOn) {

    public Petition {
        petitioners = List.copyOf(petitioners);
        extensions = List.copyOf(extensions);
    }

    /** Group case ("đông người"): five or more people (LTCD Art. 29). */
    public boolean groupCase() {
        return headCount >= PetitionRules.GROUP_SIZE;
    }

    @Override
    public String toString() {
        return "Petition[" + id + " " + registerNumber + " v" + version + "]";
    }
}
