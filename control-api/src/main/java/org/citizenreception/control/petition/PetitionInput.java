package org.citizenreception.control.petition;

import java.time.LocalDate;
import java.util.List;

/**
 * The body of POST (register) and PATCH (edit) of a petition, and of each part of a split. On PATCH
 * an absent field keeps its value and {@code version} — the version the secretary edited — is
 * required; a list given replaces the list.
 */
public record PetitionInput(
        PetitionKind kind,
        Integer complaintRound,
        String originRoomCode,
        Integer headCount,
        List<PetitionerInput> petitioners,
        String summary,
        String requests,
        String priorHandling,
        String handlerAgency,
        Boolean complex,
        Boolean especiallyComplex,
        Boolean remoteArea,
        LocalDate receivedOn,
        Long version) {

    /** A petitioner as typed; {@code representative} marks a group's representative. */
    public record PetitionerInput(String name, String idNumber, String address, Boolean representative) {
        @Override
        public String toString() {
            return "PetitionerInput[representative=" + representative + "]";
        }
    }
}
