package org.citizenreception.media.rtp;

/**
 * Learns a publisher's own keyframe rhythm (its encoder's keyframe interval) so the bridge can let
 * a joining viewer wait for the next keyframe that is coming anyway instead of asking for one:
 * during a join storm every avoided request is a keyframe the encoder does not have to squeeze in.
 *
 * <p>A keyframe counts as the encoder's own when the bridge sent no request in the
 * {@value #ANSWER_WINDOW_MILLIS} ms before it; the time since the previous keyframe (own or
 * requested: encoders restart their interval at every keyframe) is then the interval. A keyframe
 * later than the interval plus {@value #LATE_TOLERANCE_MILLIS} ms means the guess is wrong for now:
 * nothing is "due soon" until a keyframe comes. One source's state; event loop, not thread-safe.
 */
public final class KeyframeCadence {
    /** A keyframe this soon after a request is taken as its answer (an encoder answers within a frame or two plus a round trip). */
    static final long ANSWER_WINDOW_MILLIS = 1000;
    static final long LATE_TOLERANCE_MILLIS = 100;
    /** Longer intervals are not worth waiting for. */
    private static final long MAX_INTERVAL_NANOS = 10_000_000_000L;
    private static final long NONE = Long.MIN_VALUE;

    private long lastKeyframeNanos = NONE;
    private long lastRequestNanos = NONE;
    private long intervalNanos;

    public void onKeyframe(long nowNanos) {
        boolean answered = lastRequestNanos != NONE && nowNanos - lastRequestNanos <= ANSWER_WINDOW_MILLIS * 1_000_000L;
        if (lastKeyframeNanos != NONE && !answered) {
            long interval = nowNanos - lastKeyframeNanos;
            intervalNanos = interval > 0 && interval <= MAX_INTERVAL_NANOS ? interval : 0;
        }
        lastKeyframeNanos = nowNanos;
    }

    /** The bridge asked the publisher for a keyframe (PLI or FIR sent). */
    public void onRequestSent(long nowNanos) {
        lastRequestNanos = nowNanos;
    }

    /** True when the encoder's own next keyframe is expected within {@code withinNanos} of now and is not overdue. */
    public boolean ownKeyframeDueWithin(long nowNanos, long withinNanos) {
        if (intervalNanos == 0 || lastKeyframeNanos == NONE) {
            return false;
        }
        long dueInNanos = lastKeyframeNanos + intervalNanos - nowNanos;
        return dueInNanos >= -LATE_TOLERANCE_MILLIS * 1_000_000L && dueInNanos <= withinNanos;
    }

    /** The learnt interval, 0 while unknown. */
    public long intervalNanos() {
        return intervalNanos;
    }
}
