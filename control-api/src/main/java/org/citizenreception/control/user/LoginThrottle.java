package org.citizenreception.control.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing down: after {@link #FREE_FAILURES} failed sign-ins for one username, or
 * {@link #FREE_FAILURES_PER_ADDRESS} from one address, every further attempt must wait a delay that
 * doubles with each failure (1 s, 2 s, 4 s ... up to {@link #MAX_DELAY}). A success clears the
 * username's count and the address's count.
 *
 * <p>The address allowance is larger because a province office signs in many operators from
 * behind one NAT address. Counts live in memory: a restart forgets them, which costs an attacker
 * a restart per few guesses; state in the database would make every failed guess a disk write.
 * Entries idle for an hour are dropped so the map stays bounded.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 30;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int SWEEP_ABOVE_ENTRIES = 10_000;

    private record Failures(int count, Instant last, Instant blockedUntil) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the caller must still wait before trying again, if at all. */
    public Optional<Duration> waitBeforeAttempt(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            Failures f = failures.get(key);
            if (f != null && f.blockedUntil() != null && f.blockedUntil().isAfter(now)) {
                Duration d = Duration.between(now, f.blockedUntil());
                if (d.compareTo(wait) > 0) {
                    wait = d;
                }
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        String[] keys = keys(username, address);
        failures.compute(keys[0], (k, f) -> next(f, now, FREE_FAILURES));
        failures.compute(keys[1], (k, f) -> next(f, now, FREE_FAILURES_PER_ADDRESS));
        if (failures.size() > SWEEP_ABOVE_ENTRIES) {
            failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
        }
    }

    public void succeeded(String username, String address) {
        for (String key : keys(username, address)) {
            failures.remove(key);
        }
    }

    private static Failures next(Failures f, Instant now, int free) {
        int count = f == null || f.last().plus(FORGET_AFTER).isBefore(now) ? 1 : f.count() + 1;
        Instant blockedUntil = null;
        if (count >= free) {
            long seconds = 1L << Math.min(20, count - free);
            blockedUntil = now.plus(Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds())));
        }
        return new Failures(count, now, blockedUntil);
    }

    private static String[] keys(String username, String address) {
        return new String[] {"u:" + username.toLowerCase(Locale.ROOT), "a:" + address};
    }
}
