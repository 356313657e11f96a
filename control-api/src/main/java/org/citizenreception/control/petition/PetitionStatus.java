package org.citizenreception.control.petition;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a petition stands after reception (LTCD Art. 26, 28). Every change is appended to the
 * petition's status history; nothing is overwritten.
 *
 * <p>Withdrawal: a complaint may be withdrawn at any time, a denunciation before its conclusion
 * (LKN Art. 10, LTC Art. 33(1)); a withdrawn petition is final except that a withdrawn
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
    WITHDRAWN;

    /** The statuses a petition of {@code kind} may move to from this one; empty when final. */
    public Set<PetitionStatus> next(PetitionKind kind) {
        return switch (this) {
            case RECEIVED -> EnumSet.of(ACCEPTED, ACCEPTANCE_EXTENDED, REFUSED, GUIDED, FORWARDED,
                    EXPLAINED_RESOLVED, FILED, WITHDRAWN);
            case ACCEPTANCE_EXTENDED -> EnumSet.of(ACCEPTED, REFUSED, GUIDED, FORWARDED, EXPLAINED_RESOLVED,
                    FILED, WITHDRAWN);
            case ACCEPTED -> EnumSet.of(WITHDRAWN);
            case WITHDRAWN -> kind == PetitionKind.DENUNCIATION ? EnumSet.of(ACCEPTED) : EnumSet.noneOf(PetitionStatus.class);
            case REFUSED, GUIDED, FORWARDED, EXPLAINED_RESOLVED, FILED -> EnumSet.noneOf(PetitionStatus.class);
        };
    }

    public boolean mayMoveTo(PetitionStatus target, PetitionKind kind) {
        return next(kind).contains(target);
    }

    /** Whether a change to {@code target} from here must state its reason in the history. */
    public boolean reasonRequiredFor(PetitionStatus target) {
        return target == REFUSED || target == ACCEPTANCE_EXTENDED || (this == WITHDRAWN && target == ACCEPTED);
    }
}
