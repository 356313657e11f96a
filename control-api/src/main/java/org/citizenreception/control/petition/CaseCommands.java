package org.citizenreception.control.petition;

import java.time.LocalDate;

/** The bodies of the case routes (steps after acceptance, links between cases, the case-history search). */
public final class CaseCommands {
    private CaseCommands() {
    }

    /** How a decision or conclusion came out: upheld, partly upheld, rejected (for a denunciation: true, partly true, untrue). */
    public enum Outcome { UPHELD, PARTLY_UPHELD, REJECTED }

    /** How the citizen was told the result. */
    public enum NoticeMethod { IN_PERSON, POST, ELECTRONIC, AT_RECEPTION_SESSION }

    /** How two petitions of the same citizen (or group) belong together. */
    public enum LinkKind { SECOND_ROUND, REPEAT, PROLONGED, GROUP }

    /**
     * POST /petitions/{id}/steps. Which fields a step needs: ASSIGNED and TRANSFERRED an agency
     * ({@code agencyId} from the agency list or {@code unitCode} of the room directory, one of them);
     * DIALOGUE_HELD optionally the session it was held in; DECIDED {@code decisionNumber},
     * {@code signer} and {@code outcome} (a denunciation also its {@code handling}, LTC Art. 36);
     * NOTIFIED {@code noticeMethod}. {@code effectiveOn} is the step's date (the decision's date for
     * DECIDED, the notice's for NOTIFIED), today when absent.
     */
    public record StepInput(PetitionStatus step, LocalDate effectiveOn, Long agencyId, String unitCode, Long sessionId,
                            String decisionNumber, String signer, Outcome outcome, String handling, NoticeMethod noticeMethod,
                            String note, Long version) {
    }

    /** POST /petitions/{id}/links. */
    public record LinkInput(Long linkedId, LinkKind kind, Long version) {
    }

    /** POST /petitions/case-history: the number travels in the body, never in a URL that access logs keep. */
    public record HistoryQuery(String idNumber) {
    }
}
