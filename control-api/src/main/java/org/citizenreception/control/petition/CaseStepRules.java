package org.citizenreception.control.petition;

import org.citizenreception.control.petition.deadline.DeadlineCase;

/**
 * The article each step of handling follows, by petition kind and complaint round. Complaints: the
 * Law on Complaints 02/2011/QH13 (first round Art. 29–33, second round Art. 38–41, withdrawal Art. 10);
 * denunciations: the Law on Denunciations 25/2018/QH14 (verification Art. 31, conclusion Art. 35,
 * handling Art. 36, withdrawal Art. 33); recommendations and reflections: the handling duty of
 * LTCD 42/2013/QH13 Art. 28.
 */
final class CaseStepRules {
    private static final String LKN = "LKN 02/2011/QH13 ";
    private static final String LTC = "LTC 25/2018/QH14 ";
    private static final String LTCD_28 = "LTCD 42/2013/QH13 Art. 28";

    private CaseStepRules() {
    }

    static String legalBasis(PetitionStatus step, DeadlineCase.Kind kind, int complaintRound) {
        boolean second = complaintRound == 2;
        return switch (kind) {
            case COMPLAINT -> LKN + switch (step) {
                // The resolver assigns verification (Art. 29 / 38) and holds a dialogue (Art. 30 / 39).
                case ASSIGNED, TRANSFERRED, IN_PROGRESS -> second ? "Art. 38" : "Art. 29";
                case DIALOGUE_HELD -> second ? "Art. 39" : "Art. 30";
                case DECIDED -> second ? "Art. 40" : "Art. 31";
                case NOTIFIED -> second ? "Art. 41" : "Art. 32";
                // After a first decision the citizen may complain again or sue (Art. 33): this round ends.
                case CLOSED -> second ? "Art. 41" : "Art. 33";
                case WITHDRAWN -> "Art. 10";
                default -> throw new IllegalArgumentException(step + " is not a case step");
            };
            case DENUNCIATION -> LTC + switch (step) {
                case ASSIGNED, TRANSFERRED, IN_PROGRESS, DIALOGUE_HELD -> "Art. 31";
                case DECIDED -> "Art. 35";
                case NOTIFIED -> "Art. 35(3)";
                case CLOSED -> "Art. 36";
                case WITHDRAWN -> "Art. 33";
                default -> throw new IllegalArgumentException(step + " is not a case step");
            };
            case RECOMMENDATION, REFLECTION -> LTCD_28;
        };
    }
}
