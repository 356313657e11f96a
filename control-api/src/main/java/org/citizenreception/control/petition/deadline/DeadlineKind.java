package org.citizenreception.control.petition.deadline;

/** The statutory steps a petition has a time limit for (DOMAIN.md, "Statutory time limits"). */
public enum DeadlineKind {
    /** Tell the citizen how the petition is handled: 10 working days from receipt (LTCD Art. 28(1)). */
    RESULT_NOTICE,
    /** Accept (thụ lý) a complaint or refuse it: 10 days from receipt (LKN Art. 27). */
    COMPLAINT_ACCEPTANCE,
    /** Resolve an accepted complaint: from acceptance, per round, complexity and remoteness (LKN Art. 28, 37). */
    COMPLAINT_RESOLUTION,
    /** Register, screen and verify a denunciation: 7 working days from receipt (LTC Art. 24(1)). */
    DENUNCIATION_SCREENING,
    /** Forward a denunciation outside one's competence: 5 working days from receipt (LTC Art. 24(1)(b)). */
    DENUNCIATION_FORWARDING,
    /** Resolve an accepted denunciation: 30 days from acceptance, extensible by decision (LTC Art. 30). */
    DENUNCIATION_RESOLUTION,
    /**
     * Send the decision (complaint) or conclusion (denunciation) to the citizen once issued: LKN Art. 32
     * (3 working days), Art. 41 (7 days, second round), LTC Art. 35(3) (5 working days).
     */
    DECISION_NOTICE
}
