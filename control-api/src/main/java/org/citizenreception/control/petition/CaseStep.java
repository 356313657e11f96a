package org.citizenreception.control.petition;

import java.time.Instant;
import java.time.LocalDate;
import org.citizenreception.control.petition.CaseCommands.NoticeMethod;
import org.citizenreception.control.petition.CaseCommands.Outcome;

/**
 * One recorded step of a petition after acceptance (append-only), with the article it follows and
 * the deadline that was due once it was done ({@code dueOn}, {@code dueBasis}; null when none).
 */
public record CaseStep(long id, PetitionStatus step, LocalDate effectiveOn, String legalBasis, Long agencyId, String unitCode,
                       String agencyName, Long sessionId, String decisionNumber, String signer, Outcome outcome, String handling,
                       NoticeMethod noticeMethod, String note, LocalDate dueOn, String dueBasis, Instant at, long actorId,
                       String actorName) {
}
