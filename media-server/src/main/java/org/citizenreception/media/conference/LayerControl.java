package org.citizenreception.media.conference;

/**
 * One viewer's simulcast layer: the {@link LayerSelection} policy fed with the viewer's
 * {@link ViewerBandwidth} and the layers' measured bitrates every 100 ms, a pin set by the room,
 * and the probing that lets a viewer climb when its line can carry more.
 *
 * <p>Why probing: a REMB estimate grows only about 8 % a second over what the viewer receives, so
 * the viewer of a light layer would take a minute to be judged able to take the top one, and
 * forever if the bridge sent it nothing more. The bridge therefore pads (padding-only RTX packets,
 * which the viewer's estimator counts and its decoder drops) in steps: it sends what the viewer
 * receives plus padding up to {@link #PROBE_STEP} times the larger of its estimate and what its
 * line has been seen to carry, capped at the next layer's need. A step that the line carries for
 * {@link #PROBE_HOLD_NANOS} without the estimate falling is proven; a proven rate counts as the
 * estimate (so a layer whose need it covers is taken) until the estimate next falls. A step that
 * makes the estimate fall (queueing delay or loss at the viewer) ends the probing for
 * {@link #BACKOFF_NANOS} and forgets what was proven. So a thin line is pushed a half above its
 * estimate now and then, which its queue absorbs, and a freed line climbs a layer in a few steps.
 *
 * <p>The first estimate comes fast: until it has one, the viewer's libwebrtc reads bursts of
 * full-size packets as probes and starts its estimate at the rate they arrived at (else it waits
 * 5 s and starts from what it received), so once video flows the bridge resends the viewer's last
 * {@link #INITIAL_BURST_PACKETS} packets as RTX twice, 100 ms apart ({@link #takeInitialBurst}).
 *
 * <p>A viewer whose line carries what it is sent reports no estimate for its first 5 s (libwebrtc
 * then starts it at the rate received): after {@link #PRE_ESTIMATE_WAIT_NANOS} without one, the
 * bridge pads to {@link #PRE_ESTIMATE_FACTOR} times the viewer's need, so that first estimate
 * starts high enough for one or two probe steps to reach the top. A probe the line refused does not
 * move the viewer down for {@link #BACKOFF_NANOS}: its estimate fell because of the padding, which
 * stops at once; a fall after that one does.
 *
 * <p>Padding needs RTX negotiated (the caller checks). Event loop, except {@link #pin},
 * {@link #pinnedLayer} and {@link #forwardedLayer} (volatile).
 */
final class LayerControl {
    static final double PROBE_STEP = 1.5;
    static final long PROBE_HOLD_NANOS = 1_000_000_000L;
    static final long BACKOFF_NANOS = 4_000_000_000L;
    static final long PRE_ESTIMATE_WAIT_NANOS = 2_000_000_000L;
    static final int PRE_ESTIMATE_FACTOR = 2;
    /** Each of the two first bursts: 16 packets of the low layer, 8-16 KB, about a 300 kbit/s router's queue. */
    static final int INITIAL_BURST_PACKETS = 16;
    private static final int INITIAL_BURSTS = 2;
    private static final long TICK_NANOS = 100_000_000L;

    private final LayerSelection selection;
    private volatile int pinned = -1;
    private volatile int forwarded;
    private boolean probing;
    private long probeTargetBps;
    private long probeStartNanos;
    private long provenBps;
    private long backoffUntilNanos = Long.MIN_VALUE;
    /** When the last probe failed (the fall it caused does not move the viewer down), or Long.MIN_VALUE. */
    private long probeFailedNanos = Long.MIN_VALUE;
    private long firstTickNanos = Long.MIN_VALUE;
    private int initialBurstsLeft = INITIAL_BURSTS;
    /** Bits of padding owed from earlier ticks' fractions of a packet. */
    private long paddingCreditBits;

    LayerControl(int startLayer) {
        this.selection = new LayerSelection(startLayer);
        this.forwarded = startLayer;
    }

    /** Pins a layer (clamped to the top), or unpins with -1. Any thread; applied at the next tick. */
    void pin(int layer) {
        if (layer < -1) {
            throw new IllegalArgumentException("layer must be -1 (none) or a layer index: " + layer);
        }
        pinned = layer;
    }

    int pinnedLayer() {
        return pinned;
    }

    /** The layer the viewer is sent (or is switching to), or {@link LayerSelection#AUDIO_ONLY}. */
    int forwardedLayer() {
        return forwarded;
    }

    /** What the line has been seen to carry without the estimate falling, 0 when nothing is proven. */
    long provenBps() {
        return provenBps;
    }

    /** The estimate the layer is chosen by: the viewer's, or a proven rate above it; -1 before the first. */
    long effectiveEstimateBps(ViewerBandwidth bandwidth) {
        long estimate = bandwidth.estimateBps();
        return estimate < 0 ? -1 : Math.max(estimate, provenBps);
    }

    /** Chooses the layer for this tick (judging the probe in flight first). */
    int decide(ViewerBandwidth bandwidth, long[] layerBps, long nowNanos) {
        if (firstTickNanos == Long.MIN_VALUE) {
            firstTickNanos = nowNanos;
        }
        if (probing && bandwidth.lastFallNanos() >= probeStartNanos) {
            probing = false;
            provenBps = 0;
            backoffUntilNanos = nowNanos + BACKOFF_NANOS;
            probeFailedNanos = bandwidth.lastFallNanos();
        } else if (probing && nowNanos - probeStartNanos >= PROBE_HOLD_NANOS) {
            probing = false;
            provenBps = Math.max(provenBps, probeTargetBps);
        }
        if (!probing && bandwidth.lastFallNanos() != Long.MIN_VALUE && bandwidth.lastFallNanos() >= nowNanos - BACKOFF_NANOS) {
            provenBps = 0;
        }
        int next = nextLayer(layerBps);
        if (pinned < 0 && next >= 0 && provenBps >= LayerSelection.need(layerBps[next])) {
            selection.probeSucceeded(next);
        }
        long estimate = effectiveEstimateBps(bandwidth);
        boolean shielded = probeFailedNanos != Long.MIN_VALUE && bandwidth.lastFallNanos() == probeFailedNanos
                && nowNanos - probeFailedNanos < BACKOFF_NANOS;
        if (shielded && estimate >= LayerSelection.VIDEO_RESUMES_ABOVE_BPS && forwarded >= 0 && forwarded < layerBps.length) {
            estimate = Math.max(estimate, (long) (LayerSelection.need(layerBps[forwarded]) / LayerSelection.KEEP_MARGIN) + 1);
        }
        forwarded = selection.select(estimate, layerBps, pinned, nowNanos);
        return forwarded;
    }

    /** Padding bytes to send this tick (0 for none): see the class doc. Call after {@link #decide}. */
    int paddingBytes(ViewerBandwidth bandwidth, long[] layerBps, long nowNanos) {
        long estimate = effectiveEstimateBps(bandwidth);
        int next = nextLayer(layerBps);
        if (estimate < 0 && pinned < 0 && next >= 0 && forwarded >= 0 && firstTickNanos != Long.MIN_VALUE
                && nowNanos - firstTickNanos >= PRE_ESTIMATE_WAIT_NANOS) {
            return owedPadding((PRE_ESTIMATE_FACTOR - 1) * LayerSelection.need(layerBps[Math.min(forwarded, layerBps.length - 1)]));
        }
        if (pinned >= 0 || estimate < 0 || next < 0 || nowNanos < backoffUntilNanos) {
            probing = false;
            paddingCreditBits = 0;
            return 0;
        }
        if (!probing) {
            probing = true;
            probeStartNanos = nowNanos;
            probeTargetBps = Math.min(LayerSelection.need(layerBps[next]), (long) (estimate * PROBE_STEP));
        }
        long media = forwarded == LayerSelection.AUDIO_ONLY ? LayerSelection.AUDIO_ALLOWANCE_BPS
                : LayerSelection.need(layerBps[Math.min(forwarded, layerBps.length - 1)]);
        return owedPadding(Math.max(0, probeTargetBps - media));
    }

    /** This tick's share of {@code paddingBps}, carrying the fraction of a byte over. */
    private int owedPadding(long paddingBps) {
        paddingCreditBits += paddingBps * TICK_NANOS / 1_000_000_000L;
        int bytes = (int) Math.min(Integer.MAX_VALUE, paddingCreditBits / 8);
        paddingCreditBits -= bytes * 8L;
        return bytes;
    }

    /** Whether an initial burst is due (true twice, then never); call once video flows to the viewer. */
    boolean takeInitialBurst() {
        if (initialBurstsLeft > 0) {
            initialBurstsLeft--;
            return true;
        }
        return false;
    }

    /** The next layer up that sends (the lowest that sends in audio only), or -1. */
    private int nextLayer(long[] layerBps) {
        return forwarded == LayerSelection.AUDIO_ONLY ? LayerSelection.lowestSending(layerBps) : selection.nextUp(layerBps);
    }

    /** Whether a probe step is in flight, and its target. */
    boolean isProbing() {
        return probing;
    }

    long probeTargetBps() {
        return probeTargetBps;
    }
}
