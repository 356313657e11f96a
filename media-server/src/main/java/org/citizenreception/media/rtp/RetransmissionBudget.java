package org.citizenreception.media.rtp;

import java.util.function.LongSupplier;

/**
 * The bytes one viewer may still be sent as retransmissions: a token bucket refilled at a fixed
 * rate up to a burst. One per viewing endpoint, shared by its subscriptions, so a viewer with two
 * video slots cannot double its share.
 *
 * <p>Two longs and arithmetic: nothing allocated per NACK. Not thread-safe: the viewer's event loop
 * alone uses it.
 */
public final class RetransmissionBudget {
    private final long bytesPerSecond;
    private final long burstBytes;
    private final LongSupplier nanoClock;
    /** Time to fill an empty bucket: longer gaps just fill it (and keep the arithmetic far from overflow). */
    private final long fillNanos;
    private long availableBytes;
    private long refilledNanos;

    public RetransmissionBudget(long maxBitrateBps, long burstBytes, LongSupplier nanoClock) {
        if (maxBitrateBps <= 0 || burstBytes <= 0) {
            throw new IllegalArgumentException("maxBitrateBps and burstBytes must be positive: " + maxBitrateBps + ", " + burstBytes);
        }
        this.bytesPerSecond = Math.max(1, maxBitrateBps / 8);
        this.burstBytes = burstBytes;
        this.nanoClock = nanoClock;
        this.fillNanos = burstBytes * 1_000_000_000L / bytesPerSecond;
        this.availableBytes = burstBytes;
        this.refilledNanos = nanoClock.getAsLong();
    }

    /** Takes {@code bytes} from the budget and says true, or leaves it untouched and says false. */
    public boolean trySpend(int bytes) {
        refill();
        if (bytes > availableBytes) {
            return false;
        }
        availableBytes -= bytes;
        return true;
    }

    public long availableBytes() {
        refill();
        return availableBytes;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - refilledNanos;
        if (elapsed <= 0) {
            return;
        }
        long earned = elapsed >= fillNanos ? burstBytes : elapsed * bytesPerSecond / 1_000_000_000L;
        if (earned == 0) {
            return;
        }
        if (availableBytes + earned >= burstBytes) {
            availableBytes = burstBytes;
            refilledNanos = now;
        } else {
            // whole bytes only: the time not yet turned into a byte counts toward the next refill
            availableBytes += earned;
            refilledNanos += earned * 1_000_000_000L / bytesPerSecond;
        }
    }
}
