package org.citizenreception.control.petition;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a petition stands: the outcomes of reception (LTCD Art. 26, 28), then the steps of handling
 * an accepted petition to its end. Every change is appended to the petition's status history;
 * nothing is overwritten.
 *
 * <p>After acceptance: ASSIGNED to a handling agency → (TRANSFERRED to another) → IN_PROGRESS →
 * (DIALOGUE_HELD, LKN Art. 30 / 39) → DECIDED (decision or conclusion issued) → NOTIFIED (the
 * citizen told) → CLOSED. These {@linkplain #isCaseStep() case steps} carry details (agency,
 * decision, notice) and are recorded through the case-step route, never through a bare status change.
 *
 * <p>Withdrawal: a complaint may be withdrawn at any time before its decision, a denunciation before
 * its conclusion (LKN Art. 10, LTC Art. 33(1)); a withdrawn petition is final except that a withdrawn
 * denunciation may still be pursued when it shows signs of a violation or was withdrawn under
 * threat (LTC Art. 33(3)): WITHDRAWN → ACCEPTED, for denunciations only, with a stated reason.
 */
public enum PetitionStatus {
    RECEIVED,
    ACCEPTED,
    ACCEPTANCE_EXTENDED,
    REFUSED,
    GUIDED,
    FORWARDED,
    EXPLAINED_RESOLVED,
    FILED,
    WITHDRAWN,
    ASSIGNED,
    TRANSFERRED,
    IN_PROGRESS,
    DIALOGUE_HELD,
    DECIDED,
    NOTIFIED,
    CLOSED;

    private static final Set<PetitionStatus> CASE_STEPS = EnumSet.of(ASSIGNED, TRANSFERRED, IN_PROGRESS, DIALOGUE_HELD, DECIDED,
            NOTIFIED, CLOSED);

    /** The statuses a petition of {@code kind} may move to from this one; empty when final. */
    public Set<PetitionStatus> next(PetitionKind kind) {
        return switch (this) {
            case RECEIVED -> EnumSet.of(ACCEPTED, ACCEPTANCE_EXTENDED, REFUSED, GUIDED, FORWARDED,
                    EXPLAINED_RESOLVED, FILED, WITHDRAWN);
            case ACCEPTANCE_EXTENDED -> EnumSet.of(ACCEPTED, REFUSED, GUIDED, FORWARDED, EXPLAINED_RESOLVED,
                    FILED, WITHDRAWN);
            case ACCEPTED -> EnumSet.of(ASSIGNED, WITHDRAWN);
            case ASSIGNED -> EnumSet.of(TRANSFERRED, IN_PROGRESS, WITHDRAWN);
            case TRANSFERRED -> EnumSet.of(TRANSFERRED, IN_PROGRESS, WITHDRAWN);
            case IN_PROGRESS -> EnumSet.of(TRANSFERRED, DIALOGUE_HELD, DECIDED, WITHDRAWN);
            case DIALOGUE_HELD -> EnumSet.of(DIALOGUE_HELD, DECIDED, WITHDRAWN);
            case DECIDED -> EnumSet.of(NOTIFIED);
            case NOTIFIED -> EnumSet.of(CLOSED);
            case WITHDRAWN -> kind == PetitionKind.DENUNCIATION ? EnumSet.of(ACCEPTED) : EnumSet.noneOf(PetitionStatus.class);
            case REFUSED, GUIDED, FORWARDED, EXPLAINED_RESOLVED, FILED, CLOSED -> EnumSet.noneOf(PetitionStatus.class);
        };
    }

    public boolean mayMoveTo(PetitionStatus target, PetitionKind kind) {
        return next(kind).contains(target);
    }

    /** A step of handling after acceptance, recorded with its details through the case-step route. */
    public boolean isCaseStep() {
        return CASE_STEPS.contains(this);
    }

    /** Whether a change to {@code target} from here must state its reason in the history. */
    public boolean reasonRequiredFor(PetitionStatus target) {
        return target == REFUSED || target == ACCEPTANCE_EXTENDED || (this == WITHDRAWN && target == ACCEPTED);
    }
}
