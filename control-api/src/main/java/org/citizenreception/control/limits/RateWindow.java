package org.citizenreception.control.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most {@code perMinute} events per key in any minute, as a token bucket per key: up to
 * {@code burst} may be spent at once (a full minute's allowance unless told otherwise), then it
 * refills evenly. Keys are addresses or
 * session ids; keys idle long enough to be full again are forgotten once the map grows, so it
 * stays bounded whatever an attacker varies.
 *
 * <p>One lock: the work under it is one map lookup and some arithmetic, nothing next to answering
 * an SDP offer. Time comes from the injected clock, so tests move it instead of sleeping.
 */
public final class RateWindow {
    private static final int SWEEP_ABOVE_KEYS = 10_000;

    private final int burst;
    private final Clock clock;
    private final long nanosPerToken;
    private final Map<String, long[]> buckets = new HashMap<>();

    public RateWindow(int perMinute, Clock clock) {
        this(perMinute, perMinute, clock);
    }

    public RateWindow(int perMinute, int burst, Clock clock) {
        if (perMinute <= 0) {
            throw new IllegalArgumentException("perMinute must be positive: " + perMinute);
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("burst must be positive: " + burst);
        }
        this.burst = burst;
        this.clock = clock;
        this.nanosPerToken = Duration.ofMinutes(1).toNanos() / perMinute;
    }

    /** Counts one event for {@code key}: empty when allowed, else how long until one would be. */
    public synchronized Optional<Duration> tryAcquire(String key) {
        long now = nanos();
        if (buckets.size() > SWEEP_ABOVE_KEYS) {
            buckets.values().removeIf(b -> tokens(b, now) >= burst);
        }
        // [0]: tokens at [1]: the time they were counted (nanos of the clock)
        long[] bucket = buckets.computeIfAbsent(key, k -> new long[]{burst, now});
        long tokens = tokens(bucket, now);
        if (tokens < 1) {
            long waited = now - bucket[1];
            return Optional.of(Duration.ofNanos(Math.max(1, nanosPerToken - waited)));
        }
        bucket[1] = tokens >= burst ? now : bucket[1] + (tokens - bucket[0]) * nanosPerToken;
        bucket[0] = tokens - 1;
        return Optional.empty();
    }

    private long tokens(long[] bucket, long now) {
        long earned = (now - bucket[1]) / nanosPerToken;
        return Math.min(burst, bucket[0] + Math.max(0, earned));
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
