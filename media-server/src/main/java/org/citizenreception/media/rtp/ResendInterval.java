package org.citizenreception.media.rtp;

/**
 * When each recent packet of one outgoing stream was last retransmitted, so a packet is resent
 * at most once per interval however often a viewer NACKs it.
 *
 * <p>A ring indexed by {@code seq & mask} like {@link RetransmissionBuffer}: one array read and
 * write per NACKed packet, nothing allocated. 2,048 entries cover the bridge's 3 s history; an
 * older sequence number sharing a slot simply counts as never resent. Not thread-safe: the viewer's
 * event loop alone uses it.
 */
public final class ResendInterval {
    private static final int CAPACITY = 2048;
    private static final int MASK = CAPACITY - 1;

    private final int[] sequenceNumbers = new int[CAPACITY];
    private final long[] resentNanos = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private final long intervalNanos;

    public ResendInterval(long intervalNanos) {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("intervalNanos must not be negative: " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
    }

    /** True when {@code seq} was not resent within the interval before {@code nowNanos}. Reads only. */
    public boolean mayResend(int seq, long nowNanos) {
        int index = seq & MASK;
        return !used[index] || sequenceNumbers[index] != seq || nowNanos - resentNanos[index] >= intervalNanos;
    }

    /** Notes that {@code seq} was resent at {@code nowNanos}. */
    public void resent(int seq, long nowNanos) {
        int index = seq & MASK;
        used[index] = true;
        sequenceNumbers[index] = seq;
        resentNanos[index] = nowNanos;
    }
}
