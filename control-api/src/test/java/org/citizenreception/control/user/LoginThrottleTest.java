package org.citizenreception.control.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.citizenreception.control.testing.MutableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(clock);

    /** Attempts that get a reservation and then fail (nothing to report: the reservation is the failure). */
    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.reserve(user, address)).as(user + "@" + address + " attempt " + i).isEmpty();
        }
    }

    @Test
    void oneAddressGuessingManyUsernamesIsSlowedDownButOtherAddressesAreNot() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            fail("user" + i, "10.0.0.9", 1);
        }
        assertThat(throttle.reserve("someone-new", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(throttle.reserve("someone-new", "10.0.0.10")).isEmpty();
    }

    @Test
    void theDelayDoublesAndIsCapped() {
        fail("victim", "10.0.0.1", LoginThrottle.FREE_FAILURES);
        assertThat(throttle.reserve("victim", "10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        fail("VICTIM", "10.0.0.1", 1);
        assertThat(throttle.reserve("victim", "10.0.0.1")).as("usernames ignore case").contains(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            clock.advance(LoginThrottle.MAX_DELAY);
            fail("victim", "10.0.0.1", 1);
        }
        assertThat(throttle.reserve("victim", "10.0.0.1")).contains(LoginThrottle.MAX_DELAY);
        clock.advance(LoginThrottle.MAX_DELAY);
        assertThat(throttle.reserve("victim", "10.0.0.1")).as("capped: never locked for good").isEmpty();
    }

    @Test
    void guessesFromManyAddressesSlowNewAddressesButNeverTheOwnersUsualOne() {
        fail("chutich", "10.0.0.1", 1);
        throttle.succeeded("chutich", "10.0.0.1");
        for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT; i++) {
            fail("chutich", "198.18.0." + i, 1);
        }
        Optional<Duration> fromNewAddress = throttle.reserve("chutich", "198.18.1.1");
        assertThat(fromNewAddress).isPresent();
        assertThat(fromNewAddress.get()).isLessThanOrEqualTo(LoginThrottle.MAX_DELAY);
        assertThat(throttle.reserve("chutich", "10.0.0.1")).as("the office PC it signed in from").isEmpty();
        throttle.succeeded("chutich", "10.0.0.1");
        assertThat(throttle.reserve("chutich", "198.18.1.1")).as("a success clears the account-wide count").isEmpty();
    }

    @Test
    void aSuccessClearsTheUsernameAndTheAddress() {
        fail("forgetful", "10.0.0.1", LoginThrottle.FREE_FAILURES);
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.reserve("forgetful", "10.0.0.1")).isEmpty();
        throttle.succeeded("forgetful", "10.0.0.1");
        fail("forgetful", "10.0.0.1", 1);
        assertThat(throttle.reserve("forgetful", "10.0.0.1")).isEmpty();
    }

    @Test
    void failuresOlderThanAnHourAreForgotten() {
        fail("slow", "10.0.0.1", LoginThrottle.FREE_FAILURES - 1);
        clock.advance(Duration.ofHours(2));
        fail("slow", "10.0.0.1", 1);
        assertThat(throttle.reserve("slow", "10.0.0.1")).isEmpty();
    }

    @Test
    void concurrentAttemptsGetExactlyTheAllowance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Duration>>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return throttle.reserve("burst", "10.0.0.5");
                }));
            }
            go.countDown();
            int reserved = 0;
            for (Future<Optional<Duration>> r : results) {
                reserved += r.get().isEmpty() ? 1 : 0;
            }
            assertThat(reserved).isEqualTo(LoginThrottle.FREE_FAILURES);
        } finally {
            pool.shutdownNow();
        }
    }
}
