package org.citizenreception.control.petition.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.citizenreception.control.petition.deadline.DeadlineCase.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule of DOMAIN.md's table, against the shipped holiday table (config/holidays-vn.csv). */
class DeadlineCalculatorTest {
    private static DeadlineCalculator calculator;

    @BeforeAll
    static void loadShippedHolidays() {
        calculator = new DeadlineCalculator(HolidayCalendar.load(Path.of("..", "config", "holidays-vn.csv")));
    }

    private static Map<DeadlineKind, Deadline> compute(DeadlineCase c) {
        return calculator.compute(c).stream().collect(Collectors.toMap(Deadline::kind, Function.identity()));
    }

    @ParameterizedTest(name = "round {0}, complex={1}, remote={2}: resolved by {3} ({4} days)")
    @CsvSource({
            // accepted Monday 2026-03-09; LKN Art. 28 (round 1) and Art. 37 (round 2)
            "1, false, false, 2026-04-08, 30",
            "1, true,  false, 2026-04-23, 45",
            "1, false, true,  2026-04-23, 45",
            "1, true,  true,  2026-05-08, 60",
            "2, false, false, 2026-04-23, 45",
            "2, true,  false, 2026-05-08, 60",
            "2, false, true,  2026-05-08, 60",
            "2, true,  true,  2026-05-18, 70",
    })
    void complaintResolutionFollowsRoundComplexityAndRemoteness(int round, boolean complex, boolean remote,
                                                                LocalDate due, int days) {
        DeadlineCase c = DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2026, 3, 2)).withRound(round)
                .withFlags(complex, false, remote).acceptedOn(LocalDate.of(2026, 3, 9));
        Deadline resolution = compute(c).get(DeadlineKind.COMPLAINT_RESOLUTION);
        assertThat(resolution.dueOn()).isEqualTo(due);
        assertThat(resolution.periodDays()).isEqualTo(days);
        assertThat(resolution.count()).isEqualTo(DayCount.CALENDAR_DAYS);
        assertThat(resolution.legalBasis()).contains(round == 1 ? "Art. 28" : "Art. 37");
    }

    @Test
    void complaintAcceptanceIsTenCalendarDaysNotCountingTheReceiptDay() {
        Map<DeadlineKind, Deadline> d = compute(DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2026, 3, 2)));
        assertThat(d.get(DeadlineKind.COMPLAINT_ACCEPTANCE).dueOn()).isEqualTo(LocalDate.of(2026, 3, 12));
        assertThat(d.get(DeadlineKind.RESULT_NOTICE).dueOn()).isEqualTo(LocalDate.of(2026, 3, 16));
        assertThat(d).doesNotContainKey(DeadlineKind.COMPLAINT_RESOLUTION);
    }

    @Test
    void aSecondRoundComplaintIsAcceptedUnderArticle36NotArticle27() {
        Map<DeadlineKind, Deadline> first = compute(DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2026, 3, 2)));
        Map<DeadlineKind, Deadline> second = compute(DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2026, 3, 2)).withRound(2));
        assertThat(first.get(DeadlineKind.COMPLAINT_ACCEPTANCE).legalBasis()).isEqualTo("LKN 02/2011/QH13 Art. 27");
        assertThat(second.get(DeadlineKind.COMPLAINT_ACCEPTANCE).legalBasis()).isEqualTo("LKN 02/2011/QH13 Art. 36");
        assertThat(second.get(DeadlineKind.COMPLAINT_ACCEPTANCE).dueOn()).isEqualTo(LocalDate.of(2026, 3, 12));
    }

    @Test
    void anExtendedDenunciationReviewAllowsScreeningUpToTenWorkingDays() {
        // Received Monday 2/3/2026: 7 working days end Wednesday 11/3, 10 end Monday 16/3 (LTC Art. 24(1)).
        DeadlineCase received = DeadlineCase.received(Kind.DENUNCIATION, LocalDate.of(2026, 3, 2));
        assertThat(compute(received).get(DeadlineKind.DENUNCIATION_SCREENING).dueOn()).isEqualTo(LocalDate.of(2026, 3, 11));
        Deadline extended = compute(received.withScreeningExtended(true)).get(DeadlineKind.DENUNCIATION_SCREENING);
        assertThat(extended.dueOn()).isEqualTo(LocalDate.of(2026, 3, 16));
        assertThat(extended.periodDays()).isEqualTo(10);
        assertThat(extended.legalBasis()).contains("Art. 24(1)");
        // Forwarding a denunciation outside one's competence keeps its 5 working days.
        assertThat(compute(received.withScreeningExtended(true)).get(DeadlineKind.DENUNCIATION_FORWARDING).dueOn())
                .isEqualTo(LocalDate.of(2026, 3, 9));
    }

    @Test
    void aDecisionIsSentWithinThePeriodOfItsKindAndRound() {
        LocalDate decided = LocalDate.of(2026, 4, 29); // Wednesday before the 30/4 and 1/5 holidays
        Deadline first = calculator.decisionNotice(Kind.COMPLAINT, 1, decided).orElseThrow();
        assertThat(first.dueOn()).isEqualTo(LocalDate.of(2026, 5, 6));
        assertThat(first.legalBasis()).contains("LKN").contains("Art. 32");
        Deadline second = calculator.decisionNotice(Kind.COMPLAINT, 2, decided).orElseThrow();
        assertThat(second.dueOn()).isEqualTo(LocalDate.of(2026, 5, 6));
        assertThat(second.legalBasis()).contains("Art. 41");
        Deadline conclusion = calculator.decisionNotice(Kind.DENUNCIATION, 1, decided).orElseThrow();
        assertThat(conclusion.dueOn()).isEqualTo(LocalDate.of(2026, 5, 8));
        assertThat(conclusion.legalBasis()).contains("LTC").contains("Art. 35");
        assertThat(calculator.decisionNotice(Kind.RECOMMENDATION, 1, decided)).isEmpty();
    }

    @Test
    void aCalendarPeriodEndingOnTetMovesToTheNextWorkingDay() {
        // Received Wednesday 11/2/2026: day 10 is Saturday 21/2, right after the Tết days off 16-20/2.
        Map<DeadlineKind, Deadline> d = compute(DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2026, 2, 11)));
        assertThat(d.get(DeadlineKind.COMPLAINT_ACCEPTANCE).dueOn()).isEqualTo(LocalDate.of(2026, 2, 23));
        // Working days skip the whole Tết week: Thu 12, Fri 13, then 23/2 onwards.
        assertThat(d.get(DeadlineKind.RESULT_NOTICE).dueOn()).isEqualTo(LocalDate.of(2026, 3, 4));
    }

    @Test
    void aCalendarPeriodEndingOnNationalDayMovesPastBothDaysOff() {
        Map<DeadlineKind, Deadline> d = compute(DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2025, 8, 22)));
        assertThat(d.get(DeadlineKind.COMPLAINT_ACCEPTANCE).dueOn()).isEqualTo(LocalDate.of(2025, 9, 3));
    }

    @Test
    void denunciationScreeningAndForwardingCountWorkingDaysAcrossTet() {
        Map<DeadlineKind, Deadline> d = compute(DeadlineCase.received(Kind.DENUNCIATION, LocalDate.of(2026, 2, 11)));
        assertThat(d.get(DeadlineKind.DENUNCIATION_SCREENING).dueOn()).isEqualTo(LocalDate.of(2026, 2, 27));
        assertThat(d.get(DeadlineKind.DENUNCIATION_FORWARDING).dueOn()).isEqualTo(LocalDate.of(2026, 2, 25));
        assertThat(d.get(DeadlineKind.DENUNCIATION_SCREENING).count()).isEqualTo(DayCount.WORKING_DAYS);
    }

    @Test
    void aCompensatoryWorkingSaturdayCountsAsAWorkingDay() {
        // 29/4/2024 was swapped off for Saturday 4/5/2024, which was worked.
        Map<DeadlineKind, Deadline> d = compute(DeadlineCase.received(Kind.DENUNCIATION, LocalDate.of(2024, 4, 26)));
        assertThat(d.get(DeadlineKind.DENUNCIATION_FORWARDING).dueOn()).isEqualTo(LocalDate.of(2024, 5, 7));
        assertThat(d.get(DeadlineKind.DENUNCIATION_SCREENING).dueOn()).isEqualTo(LocalDate.of(2024, 5, 9));
    }

    @ParameterizedTest(name = "complex={0}, especially={1}: due {2}, at the latest {3}")
    @CsvSource({
            // accepted Monday 2026-03-02; +60 is Friday 1/5 (holiday) -> Monday 4/5; +90 is Sunday 31/5 -> 1/6
            "false, false, 2026-04-01, 2026-04-01",
            "true,  false, 2026-04-01, 2026-05-04",
            "false, true,  2026-04-01, 2026-06-01",
            "true,  true,  2026-04-01, 2026-06-01",
    })
    void denunciationResolutionAllowsExtensionsByComplexity(boolean complex, boolean especially, LocalDate due, LocalDate latest) {
        DeadlineCase c = DeadlineCase.received(Kind.DENUNCIATION, LocalDate.of(2026, 2, 25))
                .withFlags(complex, especially, false).acceptedOn(LocalDate.of(2026, 3, 2));
        Deadline resolution = compute(c).get(DeadlineKind.DENUNCIATION_RESOLUTION);
        assertThat(resolution.dueOn()).isEqualTo(due);
        assertThat(resolution.latestDueOn()).isEqualTo(latest);
    }

    @Test
    void anExtensionDecisionMovesTheDenunciationDeadlineAndIsCited() {
        Extension decision = new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 30, "123/QĐ-UBND", LocalDate.of(2026, 3, 25));
        DeadlineCase c = DeadlineCase.received(Kind.DENUNCIATION, LocalDate.of(2026, 2, 25))
                .withFlags(true, false, false).acceptedOn(LocalDate.of(2026, 3, 2)).withExtensions(List.of(decision));
        Deadline resolution = compute(c).get(DeadlineKind.DENUNCIATION_RESOLUTION);
        assertThat(resolution.dueOn()).isEqualTo(LocalDate.of(2026, 5, 4));
        assertThat(resolution.extensions()).extracting(Extension::decisionReference).containsExactly("123/QĐ-UBND");
    }

    @Test
    void twoExtensionsOfAnEspeciallyComplexDenunciationAddUp() {
        LocalDate accepted = LocalDate.of(2026, 3, 2);
        DeadlineCase c = DeadlineCase.received(Kind.DENUNCIATION, LocalDate.of(2026, 2, 25))
                .withFlags(false, true, false).acceptedOn(accepted).withExtensions(List.of(
                        new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 30, "10/QĐ", accepted.plusDays(20)),
                        new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 15, "11/QĐ", accepted.plusDays(50))));
        assertThat(compute(c).get(DeadlineKind.DENUNCIATION_RESOLUTION).dueOn()).isEqualTo(LocalDate.of(2026, 5, 18));
    }

    @Test
    void extensionsBeyondWhatTheLawAllowsAreRefused() {
        LocalDate accepted = LocalDate.of(2026, 3, 2);
        Extension one = new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 30, "1/QĐ", accepted);
        Extension two = new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 30, "2/QĐ", accepted);
        DeadlineCase plain = DeadlineCase.received(Kind.DENUNCIATION, accepted).acceptedOn(accepted);
        assertThatThrownBy(() -> calculator.compute(plain.withExtensions(List.of(one))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("complex");
        assertThatThrownBy(() -> calculator.compute(plain.withFlags(true, false, false).withExtensions(List.of(one, two))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("once");
        assertThatThrownBy(() -> calculator.compute(plain.withFlags(false, true, false).withExtensions(List.of(one, two, one))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        DeadlineCase complaint = DeadlineCase.received(Kind.COMPLAINT, accepted).acceptedOn(accepted);
        assertThatThrownBy(() -> calculator.compute(complaint.withExtensions(List.of(one))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("a complaint's deadlines")
                .hasMessageContaining("LKN Art. 28 and 37");
        assertThatThrownBy(() -> new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 31, "x", accepted))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Extension(DeadlineKind.DENUNCIATION_RESOLUTION, 10, " ", accepted))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decision");
    }

    @ParameterizedTest(name = "{0}: only the result notice")
    @CsvSource({"RECOMMENDATION", "REFLECTION"})
    void recommendationsAndReflectionsHaveOnlyTheResultNotice(Kind kind) {
        List<Deadline> d = calculator.compute(DeadlineCase.received(kind, LocalDate.of(2026, 3, 2)));
        assertThat(d).extracting(Deadline::kind).containsExactly(DeadlineKind.RESULT_NOTICE);
        assertThat(d.get(0).dueOn()).isEqualTo(LocalDate.of(2026, 3, 16));
    }

    @Test
    void changingAFlagChangesTheRecomputedDeadline() {
        DeadlineCase c = DeadlineCase.received(Kind.COMPLAINT, LocalDate.of(2026, 3, 2)).acceptedOn(LocalDate.of(2026, 3, 9));
        LocalDate before = compute(c).get(DeadlineKind.COMPLAINT_RESOLUTION).dueOn();
        LocalDate after = compute(c.withFlags(false, false, true)).get(DeadlineKind.COMPLAINT_RESOLUTION).dueOn();
        assertThat(before).isEqualTo(LocalDate.of(2026, 4, 8));
        assertThat(after).isEqualTo(LocalDate.of(2026, 4, 23));
    }
}
