package org.citizenreception.control.petition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PetitionStatusTest {
    @Test
    void aReceivedPetitionMayReachEveryOutcomeOfArticle28() {
        assertThat(PetitionStatus.RECEIVED.next(PetitionKind.COMPLAINT)).containsExactlyInAnyOrder(
                PetitionStatus.ACCEPTED, PetitionStatus.ACCEPTANCE_EXTENDED, PetitionStatus.REFUSED, PetitionStatus.GUIDED,
                PetitionStatus.FORWARDED, PetitionStatus.EXPLAINED_RESOLVED, PetitionStatus.FILED, PetitionStatus.WITHDRAWN);
    }

    @ParameterizedTest
    @EnumSource(value = PetitionStatus.class, names = {"REFUSED", "GUIDED", "FORWARDED", "EXPLAINED_RESOLVED", "FILED"})
    void outcomesThatCloseTheCaseAreFinal(PetitionStatus status) {
        for (PetitionKind kind : PetitionKind.values()) {
            assertThat(status.next(kind)).isEmpty();
        }
    }

    @Test
    void aWithdrawnDenunciationMayStillBePursuedButAWithdrawnComplaintMayNot() {
        assertThat(PetitionStatus.WITHDRAWN.mayMoveTo(PetitionStatus.ACCEPTED, PetitionKind.DENUNCIATION)).isTrue();
        assertThat(PetitionStatus.WITHDRAWN.reasonRequiredFor(PetitionStatus.ACCEPTED)).isTrue();
        assertThat(PetitionStatus.WITHDRAWN.next(PetitionKind.COMPLAINT)).isEmpty();
    }

    @Test
    void anAcceptedPetitionIsAssignedToAnAgencyOrWithdrawn() {
        assertThat(PetitionStatus.ACCEPTED.next(PetitionKind.COMPLAINT))
                .containsExactlyInAnyOrder(PetitionStatus.ASSIGNED, PetitionStatus.WITHDRAWN);
        assertThat(PetitionStatus.ACCEPTED.mayMoveTo(PetitionStatus.RECEIVED, PetitionKind.COMPLAINT)).isFalse();
    }

    @Test
    void aDecisionOrConclusionCanNoLongerBeWithdrawnAndAClosedCaseIsFinal() {
        for (PetitionKind kind : PetitionKind.values()) {
            assertThat(PetitionStatus.DECIDED.next(kind)).containsExactly(PetitionStatus.NOTIFIED);
            assertThat(PetitionStatus.NOTIFIED.next(kind)).containsExactly(PetitionStatus.CLOSED);
            assertThat(PetitionStatus.CLOSED.next(kind)).isEmpty();
        }
        assertThat(PetitionStatus.IN_PROGRESS.mayMoveTo(PetitionStatus.WITHDRAWN, PetitionKind.DENUNCIATION)).isTrue();
    }
}
