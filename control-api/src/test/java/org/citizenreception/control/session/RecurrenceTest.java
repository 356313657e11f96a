package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RecurrenceTest {
    private static final LocalDate FROM = LocalDate.of(2026, 1, 1);
    private static final LocalDate TO = LocalDate.of(2026, 4, 30);

    @Test
    void everyMonthOnThe15th() {
        assertThat(new Recurrence.MonthlyOnDay(15).occurrences(FROM, TO)).containsExactly(
                LocalDate.of(2026, 1, 15), LocalDate.of(2026, 2, 15), LocalDate.of(2026, 3, 15), LocalDate.of(2026, 4, 15));
    }

    @Test
    void the31stFallsOnTheLastDayOfShortMonths() {
        assertThat(new Recurrence.MonthlyOnDay(31).occurrences(FROM, TO)).containsExactly(
                LocalDate.of(2026, 1, 31), LocalDate.of(2026, 2, 28), LocalDate.of(2026, 3, 31), LocalDate.of(2026, 4, 30));
    }

    @Test
    void everyThursday() {
        assertThat(new Recurrence.Weekly(DayOfWeek.THURSDAY).occurrences(FROM, LocalDate.of(2026, 1, 31)))
                .containsExactly(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 8), LocalDate.of(2026, 1, 15),
                        LocalDate.of(2026, 1, 22), LocalDate.of(2026, 1, 29));
    }

    @Test
    void theSecondTuesdayAndTheLastFridayOfEachMonth() {
        assertThat(new Recurrence.MonthlyNthWeekday(2, DayOfWeek.TUESDAY).occurrences(FROM, LocalDate.of(2026, 3, 31)))
                .containsExactly(LocalDate.of(2026, 1, 13), LocalDate.of(2026, 2, 10), LocalDate.of(2026, 3, 10));
        assertThat(new Recurrence.MonthlyNthWeekday(-1, DayOfWeek.FRIDAY).occurrences(FROM, LocalDate.of(2026, 2, 28)))
                .containsExactly(LocalDate.of(2026, 1, 30), LocalDate.of(2026, 2, 27));
    }

    @Test
    void impossibleRulesAreRefused() {
        assertThatThrownBy(() -> new Recurrence.MonthlyOnDay(32).validate()).hasMessageContaining("dayOfMonth");
        assertThatThrownBy(() -> new Recurrence.MonthlyNthWeekday(5, DayOfWeek.MONDAY).validate()).hasMessageContaining("ordinal");
    }

    @Test
    void sessionStatesNameTheirLegalSuccessors() {
        assertThat(SessionState.SCHEDULED.next()).containsExactlyInAnyOrder(SessionState.LIVE, SessionState.CANCELLED, SessionState.POSTPONED);
        assertThat(SessionState.ENDED.mayMoveTo(SessionState.LIVE)).isFalse();
        assertThat(SessionState.ARCHIVED.next()).isEmpty();
        assertThat(SessionState.POSTPONED.mayMoveTo(SessionState.SCHEDULED)).isTrue();
    }
}
