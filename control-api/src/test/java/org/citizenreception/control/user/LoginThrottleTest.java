package org.citizenreception.control.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.citizenreception.control.testing.MutableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void oneAddressGuessingManyUsernamesIsSlowedDownButOtherAddressesAreNot() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertThat(throttle.waitBeforeAttempt("user" + i, "10.0.0.9")).isEmpty();
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.waitBeforeAttempt("someone-new", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(throttle.waitBeforeAttempt("someone-new", "10.0.0.10")).isEmpty();
    }

    @Test
    void theDelayDoublesAndIsCapped() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("victim", "10.0.0.1");
        }
        assertThat(throttle.waitBeforeAttempt("victim", "10.0.0.2")).contains(Duration.ofSeconds(1));
        throttle.failed("victim", "10.0.0.3");
        assertThat(throttle.waitBeforeAttempt("VICTIM", "10.0.0.4")).as("usernames ignore case").contains(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            throttle.failed("victim", "10.0.1." + i);
        }
        assertThat(throttle.waitBeforeAttempt("victim", "10.0.2.1")).contains(LoginThrottle.MAX_DELAY);
        clock.advance(LoginThrottle.MAX_DELAY);
        assertThat(throttle.waitBeforeAttempt("victim", "10.0.2.1")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUsernameAndTheAddress() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("forgetful", "10.0.0.1");
        }
        clock.advance(Duration.ofSeconds(1));
        throttle.succeeded("forgetful", "10.0.0.1");
        throttle.failed("forgetful", "10.0.0.1");
        assertThat(throttle.waitBeforeAttempt("forgetful", "10.0.0.1")).isEmpty();
    }

    @Test
    void failuresOlderThanAnHourAreForgotten() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
            throttle.failed("slow", "10.0.0.1");
        }
        clock.advance(Duration.ofHours(2));
        throttle.failed("slow", "10.0.0.1");
        assertThat(throttle.waitBeforeAttempt("slow", "10.0.0.1")).isEmpty();
    }
}
