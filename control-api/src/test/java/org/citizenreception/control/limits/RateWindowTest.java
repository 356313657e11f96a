package org.citizenreception.control.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.citizenreception.control.testing.MutableClock;
import org.junit.jupiter.api.Test;

class RateWindowTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));

    @Test
    void aMinutesAllowanceMayBeSpentAtOnceThenOneMoreComesEachSixtiethOfAMinute() {
        RateWindow window = new RateWindow(6, clock);
        for (int i = 0; i < 6; i++) {
            assertThat(window.tryAcquire("198.18.0.1")).as("event %d", i + 1).isEmpty();
        }
        assertThat(window.tryAcquire("198.18.0.1")).hasValue(Duration.ofSeconds(10));
        assertThat(window.tryAcquire("198.18.0.2")).as("another key has its own allowance").isEmpty();
        clock.advance(Duration.ofSeconds(4));
        assertThat(window.tryAcquire("198.18.0.1")).hasValue(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(window.tryAcquire("198.18.0.1")).isEmpty();
        assertThat(window.tryAcquire("198.18.0.1")).isPresent();
    }

    @Test
    void anIdleKeyRefillsToTheAllowanceAndNoFurther() {
        RateWindow window = new RateWindow(3, clock);
        for (int i = 0; i < 3; i++) {
            window.tryAcquire("k");
        }
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(window.tryAcquire("k")).isEmpty();
        }
        assertThat(window.tryAcquire("k")).isPresent();
    }

    @Test
    void aSmallerBurstCapsWhatMayBeSpentAtOnceWhileTheRateStaysPerMinute() {
        RateWindow window = new RateWindow(10, 5, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(window.tryAcquire("k")).as("event %d", i + 1).isEmpty();
        }
        assertThat(window.tryAcquire("k")).hasValue(Duration.ofSeconds(6));
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            assertThat(window.tryAcquire("k")).as("refilled to the burst, event %d", i + 1).isEmpty();
        }
        assertThat(window.tryAcquire("k")).as("and no further").isPresent();
        assertThatThrownBy(() -> new RateWindow(10, 0, clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
    }
}
