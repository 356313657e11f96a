package org.citizenreception.control.petition;

import java.util.List;

/** GET /petitions/{id}: the petition with its history, annotations and split parts. */
public record PetitionDetail(PetitionView petition, List<StatusChange> statusHistory, List<Annotation> annotations, List<Long> splitInto) {
}
