package org.citizenreception.media.conference;

/**
 * Which simulcast layer one viewer should get, from its bandwidth estimate and each layer's measured
 * bitrate: the best layer that fits, with hysteresis so a viewer near a boundary does not flap, and
 * audio only when its line stayed below {@link #AUDIO_ONLY_BELOW_BPS} for {@link #AUDIO_ONLY_HOLD_NANOS}.
 * A pure policy: the caller feeds the facts and the time (deterministic in tests), and applies the
 * answer (a switch at the target layer's keyframe).
 *
 * <p>Two figures come in. The layer is chosen by the estimate, which the caller may have lowered
 * for loss ({@link ViewerBandwidth}): a lossy line is better served by a lighter layer. Audio only is
 * decided on what the line itself was measured to carry (the viewer's REMB, or a rate a probe
 * proved): loss while a layer overloads the line says the layer is too heavy, not that the line
 * cannot carry the lowest one, and cutting video on it froze a 300 kbit/s viewer for seconds. The
 * hold is there for the same reason: one low report (a probe that overloaded the line, a burst of
 * cross traffic) does not cut the picture; a line that stays thin does.
 *
 * <p>A layer "needs" its measured bitrate plus {@link #AUDIO_ALLOWANCE_BPS}: the viewer's audio and
 * RTCP come first. Going down is at once (the line is already full: audio would suffer); going up
 * needs the estimate to exceed the need by {@link #UP_MARGIN} for {@link #UP_HOLD_NANOS}, or a
 * successful probe ({@link #probeSucceeded}): the estimate of a REMB-reporting viewer climbs only
 * about 8 % a second over what it receives, so the bridge pads towards the next layer and climbs
 * when the line held that rate. Not thread-safe: one per viewer subscription, on its event loop.
 */
final class LayerSelection {
    /** Under this estimate video stops and audio goes on alone (a commune's worst line still hears the host). */
    static final long AUDIO_ONLY_BELOW_BPS = 100_000;
    /**
     * Video stops only when the line stayed under {@link #AUDIO_ONLY_BELOW_BPS} this long: a REMB
     * comes about once a second, so at least one more report must agree.
     */
    static final long AUDIO_ONLY_HOLD_NANOS = 2_000_000_000L;
    /** Video comes back above this: between the two the viewer stays as it is. */
    static final long VIDEO_RESUMES_ABOVE_BPS = 150_000;
    /** Opus at 32-48 kbit/s with headers, and the RTCP: left for audio in every layer's need. */
    static final long AUDIO_ALLOWANCE_BPS = 64_000;
    /** The current layer is kept while its need is within this much of the estimate (it wobbles with the picture). */
    static final double KEEP_MARGIN = 1.25;
    /** A higher layer is taken when the estimate exceeds its need by this much... */
    static final double UP_MARGIN = 1.10;
    /** ...for this long. */
    static final long UP_HOLD_NANOS = 1_000_000_000L;
    /** No layer: audio only. */
    static final int AUDIO_ONLY = -1;

    private int current;
    private long fitsSinceNanos = -1;
    private int fitsLayer = AUDIO_ONLY;
    /** Since when the line has been under {@link #AUDIO_ONLY_BELOW_BPS}, or -1. */
    private long thinSinceNanos = -1;

    /** @param startLayer the layer a viewer starts with, before its first estimate */
    LayerSelection(int startLayer) {
        this.current = startLayer;
    }

    /** The layer chosen last, or {@link #AUDIO_ONLY}. */
    int current() {
        return current;
    }

    /**
     * Chooses again.
     *
     * @param estimateBps the viewer's estimate the layer is chosen by (loss may have lowered it), or a
     *                    negative value before its first
     * @param lineBps     what the line was measured to carry (REMB, or a proven probe rate), not lowered
     *                    for loss: audio only is decided on it; negative before the first estimate
     * @param layerBps    measured bitrate per layer, lowest first; 0 for a layer that sends nothing
     * @param pinned      a layer the room pinned, or -1: it replaces the choice, except that audio only still applies
     * @return the layer to forward, or {@link #AUDIO_ONLY}
     */
    int select(long estimateBps, long lineBps, long[] layerBps, int pinned, long nowNanos) {
        if (current >= layerBps.length) {
            current = layerBps.length - 1;
        }
        if (estimateBps < 0) {
            if (pinned >= 0) {
                current = Math.min(pinned, layerBps.length - 1);
            }
            return current;
        }
        if (audioOnly(lineBps, nowNanos)) {
            fitsSinceNanos = -1;
            current = AUDIO_ONLY;
            return current;
        }
        if (pinned >= 0) {
            current = Math.min(pinned, layerBps.length - 1);
            return current;
        }
        if (lowestSending(layerBps) < 0) {
            return current; // nothing measured yet
        }
        int fitting = bestFitting(estimateBps, layerBps);
        if (current != AUDIO_ONLY && current < layerBps.length && fitting < current
                && (layerBps[current] == 0 || need(layerBps[current]) > estimateBps * KEEP_MARGIN)) {
            current = fitting < 0 ? Math.max(0, lowestSending(layerBps)) : fitting;
            fitsSinceNanos = -1;
            return current;
        }
        int higher = bestFitting((long) (estimateBps / UP_MARGIN), layerBps);
        if (higher > current) {
            if (fitsSinceNanos < 0 || fitsLayer != higher) {
                fitsSinceNanos = nowNanos;
                fitsLayer = higher;
            } else if (nowNanos - fitsSinceNanos >= UP_HOLD_NANOS) {
                current = higher;
                fitsSinceNanos = -1;
            }
        } else {
            fitsSinceNanos = -1;
        }
        if (current == AUDIO_ONLY) {
            current = Math.max(0, lowestSending(layerBps));
        }
        return current;
    }

    /**
     * Whether the viewer gets audio only: once its line stayed thin for the hold, until the line
     * carries {@link #VIDEO_RESUMES_ABOVE_BPS}.
     */
    private boolean audioOnly(long lineBps, long nowNanos) {
        if (lineBps >= AUDIO_ONLY_BELOW_BPS) {
            thinSinceNanos = -1;
            return current == AUDIO_ONLY && lineBps < VIDEO_RESUMES_ABOVE_BPS;
        }
        if (thinSinceNanos < 0) {
            thinSinceNanos = nowNanos;
        }
        return current == AUDIO_ONLY || nowNanos - thinSinceNanos >= AUDIO_ONLY_HOLD_NANOS;
    }

    /**
     * The viewer's line carried padding up to {@code layer}'s need without its estimate falling: take
     * that layer now.
     */
    void probeSucceeded(int layer) {
        if (layer > current) {
            current = layer;
            fitsSinceNanos = -1;
        }
    }

    /** The next layer up that sends, or -1 when the viewer has the top (or nothing above sends). */
    int nextUp(long[] layerBps) {
        for (int i = current + 1; i < layerBps.length; i++) {
            if (layerBps[i] > 0) {
                return i;
            }
        }
        return -1;
    }

    static long need(long layerBps) {
        return layerBps + AUDIO_ALLOWANCE_BPS;
    }

    private static int bestFitting(long budgetBps, long[] layerBps) {
        for (int i = layerBps.length - 1; i >= 0; i--) {
            if (layerBps[i] > 0 && need(layerBps[i]) <= budgetBps) {
                return i;
            }
        }
        return -1;
    }

    /** The lowest layer that sends, or -1 when none does (or none was measured yet). */
    static int lowestSending(long[] layerBps) {
        for (int i = 0; i < layerBps.length; i++) {
            if (layerBps[i] > 0) {
                return i;
            }
        }
        return -1;
    }
}
