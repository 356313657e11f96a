package org.citizenreception.media.rtcp;

import java.util.function.LongSupplier;
import org.citizenreception.media.rtp.SequenceNumbers;

/**
 * Finds the bridge's own losses on one incoming stream from sequence-number gaps and decides which
 * to NACK toward the publisher (RFC 4585 section 3.5.1 leaves the policy to the receiver).
 *
 * <p>A missing packet is first NACKed {@code reorderToleranceMillis} after its gap was seen (a
 * merely reordered packet arrives within that), then every {@code retryIntervalMillis} (about one
 * RTT; see {@link #setRetryIntervalMillis}) until it arrives or {@code maxRetries} NACKs were sent.
 * State lives in arrays indexed by {@code seq & 1023}: nothing is allocated per packet, and a
 * jump of more than the window either way (a restarted sender) is taken as a new start rather
 * than as a thousand losses or as a sender forever "in the past".
 *
 * <p>Not thread-safe: one per incoming stream, on its endpoint's event loop.
 */
public final class NackGenerator {
    public static final int WINDOW = 1024;
    private static final int MASK = WINDOW - 1;

    private final boolean[] missing = new boolean[WINDOW];
    private final long[] detectedNanos = new long[WINDOW];
    private final long[] lastNackNanos = new long[WINDOW];
    private final int[] retries = new int[WINDOW];
    private final int maxRetries;
    private final long reorderToleranceNanos;
    private final LongSupplier nanoClock;
    private long retryIntervalNanos;
    private boolean started;
    private int highestSeq;
    private int missingCount;
    private long abandoned;
    private long detected;

    public NackGenerator(int maxRetries, long reorderToleranceMillis, long retryIntervalMillis, LongSupplier nanoClock) {
        if (maxRetries < 1) {
            throw new IllegalArgumentException("maxRetries must be at least 1: " + maxRetries);
        }
        if (reorderToleranceMillis < 0) {
            throw new IllegalArgumentException("reorderToleranceMillis must not be negative: " + reorderToleranceMillis);
        }
        this.maxRetries = maxRetries;
        this.reorderToleranceNanos = reorderToleranceMillis * 1_000_000L;
        this.nanoClock = nanoClock;
        setRetryIntervalMillis(retryIntervalMillis);
    }

    /** Retries follow the measured RTT (from RR/SR LSR/DLSR); keep it above a few milliseconds. */
    public void setRetryIntervalMillis(long retryIntervalMillis) {
        if (retryIntervalMillis <= 0) {
            throw new IllegalArgumentException("retryIntervalMillis must be positive: " + retryIntervalMillis);
        }
        this.retryIntervalNanos = retryIntervalMillis * 1_000_000L;
    }

    /** Records the arrival of {@code seq} (original or retransmitted). */
    public void onPacket(int seq) {
        if (!started) {
            started = true;
            highestSeq = seq;
            return;
        }
        int ahead = SequenceNumbers.delta(highestSeq, seq);
        if (ahead > WINDOW || ahead <= -WINDOW) {
            reset(seq); // a jump either way is a restarted sender, not loss or a late packet
            return;
        }
        if (ahead > 0) {
            long now = nanoClock.getAsLong();
            for (int gap = 1; gap < ahead; gap++) {
                markMissing(SequenceNumbers.add(highestSeq, gap) & MASK, now);
            }
            clear(seq & MASK);
            highestSeq = seq;
        } else {
            clear(seq & MASK);
        }
    }

    /**
     * Writes the sequence numbers to NACK now into {@code lost}, oldest first (the order
     * {@link GenericNack#write} packs), counts the attempt, and gives up on those past the retry
     * limit. Returns how many were written.
     */
    public int collectDue(int[] lost) {
        if (missingCount == 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        int count = 0;
        for (int back = WINDOW - 1; back >= 1 && count < lost.length; back--) {
            int seq = SequenceNumbers.add(highestSeq, -back);
            int slot = seq & MASK;
            if (!missing[slot] || now - detectedNanos[slot] < reorderToleranceNanos) {
                continue;
            }
            if (retries[slot] > 0 && now - lastNackNanos[slot] < retryIntervalNanos) {
                continue;
            }
            if (retries[slot] >= maxRetries) {
                clear(slot);
                abandoned++;
                continue;
            }
            retries[slot]++;
            lastNackNanos[slot] = now;
            lost[count++] = seq;
        }
        return count;
    }

    /** Packets currently considered missing. */
    public int missingCount() {
        return missingCount;
    }

    /** Packets ever found missing (a gap in the sequence), repaired later or not. */
    public long detectedCount() {
        return detected;
    }

    /** Packets given up on after {@code maxRetries} NACKs: real loss to report. */
    public long abandonedCount() {
        return abandoned;
    }

    private void markMissing(int slot, long now) {
        if (!missing[slot]) {
            detected++;
            missing[slot] = true;
            missingCount++;
        }
        detectedNanos[slot] = now;
        retries[slot] = 0;
    }

    private void clear(int slot) {
        if (missing[slot]) {
            missing[slot] = false;
            missingCount--;
        }
    }

    private void reset(int seq) {
        for (int slot = 0; slot < WINDOW; slot++) {
            missing[slot] = false;
        }
        missingCount = 0;
        highestSeq = seq;
    }
}
