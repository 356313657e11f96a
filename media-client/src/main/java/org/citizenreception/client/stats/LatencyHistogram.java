package org.citizenreception.client.stats;

/**
 * Microsecond latencies in fixed log-linear buckets: 1 µs wide below 1 ms, 10 µs to 10 ms, 100 µs
 * to 100 ms, 1 ms to 1 s, one overflow bucket. About 30 KB, no allocation per sample, and
 * histograms of many viewers merge by addition. Not thread-safe.
 */
public final class LatencyHistogram {
    private static final int BUCKETS = 3_701;
    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public void record(long micros) {
        if (micros < 0) {
            return;
        }
        counts[index(micros)]++;
        total++;
        max = Math.max(max, micros);
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** The samples recorded after {@code earlier} was copied from this histogram (max is this one's). */
    public LatencyHistogram since(LatencyHistogram earlier) {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < BUCKETS; i++) {
            h.counts[i] = counts[i] - earlier.counts[i];
        }
        h.total = total - earlier.total;
        h.max = max;
        return h;
    }

    public LatencyHistogram copy() {
        LatencyHistogram h = new LatencyHistogram();
        h.add(this);
        return h;
    }

    public long count() {
        return total;
    }

    public long maxMicros() {
        return max;
    }

    /** The upper bound of the bucket holding quantile {@code q} (0..1), or -1 when empty. */
    public long percentileMicros(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                return Math.min(upper(i), max);
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < 1_000) {
            return (int) v;
        }
        if (v < 10_000) {
            return 1_000 + (int) ((v - 1_000) / 10);
        }
        if (v < 100_000) {
            return 1_900 + (int) ((v - 10_000) / 100);
        }
        if (v < 1_000_000) {
            return 2_800 + (int) ((v - 100_000) / 1_000);
        }
        return BUCKETS - 1;
    }

    private static long upper(int i) {
        if (i < 1_000) {
            return i;
        }
        if (i < 1_900) {
            return 1_000 + (i - 1_000 + 1) * 10L - 1;
        }
        if (i < 2_800) {
            return 10_000 + (i - 1_900 + 1) * 100L - 1;
        }
        if (i < 3_700) {
            return 100_000 + (i - 2_800 + 1) * 1_000L - 1;
        }
        return Long.MAX_VALUE;
    }
}
