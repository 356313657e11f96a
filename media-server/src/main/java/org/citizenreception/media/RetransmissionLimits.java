package org.citizenreception.media;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a viewer's NACKs may make the bridge send: without a bound one small SRTCP packet
 * listing thousands of sequence numbers turns into megabytes toward whoever sent it (or whoever
 * it spoofs), and a repeated NACK does it again.
 *
 * @param maxBitrateBps   retransmitted bits per second to one viewer, all its streams together
 * @param burst           how much of that rate may be spent at once (a lost keyframe is repaired
 *                        in one go): the token bucket holds {@code maxBitrateBps * burst}
 * @param resendInterval  the least time between two retransmissions of one packet to one viewer:
 *                        a repair takes a round trip to arrive, so a second NACK for the same packet
 *                        sooner than that asks for what is already on its way
 */
public record RetransmissionLimits(long maxBitrateBps, Duration burst, Duration resendInterval) {
    /**
     * 1.5 Mbit/s: 60% of a publisher's default 2.5 Mbit/s, so a viewer on a bad line (20% loss)
     * is repaired in full while a NACK storm costs at most that much; half a second of burst
     * covers a 720p VP8 keyframe (~90 KB).
     */
    public static final RetransmissionLimits DEFAULT =
            new RetransmissionLimits(1_500_000, Duration.ofMillis(500), Duration.ofMillis(100));

    public RetransmissionLimits {
        if (maxBitrateBps <= 0) {
            throw new IllegalArgumentException("maxBitrateBps must be positive, was " + maxBitrateBps);
        }
        Objects.requireNonNull(burst, "burst");
        Objects.requireNonNull(resendInterval, "resendInterval");
        if (burst.isNegative() || burst.isZero()) {
            throw new IllegalArgumentException("burst must be positive, was " + burst);
        }
        if (resendInterval.isNegative()) {
            throw new IllegalArgumentException("resendInterval must not be negative, was " + resendInterval);
        }
    }

    /** The token bucket's size in bytes. */
    public long burstBytes() {
        return Math.max(1500, maxBitrateBps / 8 * burst.toMillis() / 1000);
    }
}
