package org.citizenreception.media.conference;

/**
 * One viewer's simulcast layer: the {@link LayerSelection} policy fed with the viewer's
 * {@link ViewerBandwidth} and the layers' measured bitrates every 100 ms, a pin set by the room,
 * and the probing that lets a viewer climb when its line can carry more.
 *
 * <p>Why probing: a REMB estimate grows only about 8 % a second over what the viewer receives, so
 * the viewer of a light layer would take a minute to be judged able to take the top one, and
 * forever if the bridge sent it nothing more.
 *
 * <p><b>Measured steps</b> (a viewer that negotiated transport-cc, as browsers and libwebrtc do):
 * each step pads for {@link #PROBE_HOLD_NANOS} towards a target and is judged on the arrivals the
 * viewer reports for that padding ({@link ProbeArrivals}): carried when the one-way delay did not
 * grow and next to nothing was lost, refused as soon as the queue shows (a few hundred ms into the
 * step, before a thin line's router overflows). A carried step's target is proven: every layer
 * whose need it covers may be taken at once, and the next step starts at once. Steps start
 * {@link #MEASURED_START_NANOS} after the viewer's first tick, from the larger of its estimate,
 * what was proven and what it is sent (no REMB is waited for), at {@link #FIRST_MEASURED_STEP}
 * times that until a step is first refused and {@link #PROBE_STEP} times after, never past 1.1 ×
 * the top layer's need; a refused step stops probing for {@link #BACKOFF_NANOS}. The padding is
 * invisible to the viewer's REMB estimator, so when a refused step (or a new layer's keyframe)
 * queued the line for a moment its REMB falls to 0.85 times the media alone: such a fall keeps
 * what was proven ({@link #fallIsOurs}); any other fall cuts it to 0.85 times what the viewer is
 * sent, and loss reported by the viewer sets it aside. A viewer without transport-cc is probed
 * as follows, judged on its REMB.
 *
 * <p>The bridge therefore pads (padding-only RTX packets,
 * which the viewer's estimator counts and its decoder drops) in steps: it sends what the viewer
 * receives plus padding up to {@link #PROBE_STEP} times the larger of its estimate and what its
 * line has been seen to carry, capped at the next layer's need plus {@link LayerSelection#UP_MARGIN}
 * (the need wobbles with the picture: without the margin a step proven at one second's need falls
 * short of the next second's). A step is proven when the line carried it for
 * {@link #PROBE_HOLD_NANOS}, judged on the viewer's first REMB from the second half of the step on
 * (it reports every 200 ms while its estimate climbs fast, but only every second or so once it has
 * met the line's capacity before, as a freed line's has; a step with no such report within
 * {@link #PROBE_VERDICT_WITHIN_NANOS} is not proven): that REMB must be no lower than the one the
 * step started with, and a rise over the one before it. The estimator raises its estimate only
 * while it sees no queue build up (by 8 % a second, or by a few kbit/s a report near a capacity it
 * has met: a size of rise cannot be asked), and repeats it while it does. A REMB that stopped rising is no
 * proof: an estimator whose estimate is already below 85 % of what it receives holds it on overuse
 * instead of lowering it, so a 300 kbit/s line overloaded by a probe kept its REMB and the probe
 * counted as carried (and a 1 Mbit/s one took the top layer it could not carry). A proven rate counts as the estimate (so a layer whose need it covers
 * is taken) until the estimate next falls. A step that makes the estimate fall (queueing delay or
 * loss at the viewer) ends the probing for {@link #BACKOFF_NANOS} and forgets what was proven; one
 * that left it flat ends it for as long and keeps what was proven before. So a thin line is pushed
 * a half above its estimate now and then, which its queue absorbs, and a freed line climbs a layer
 * in a few steps.
 *
 * <p>The first estimate comes fast: until it has one, the viewer's libwebrtc reads bursts of
 * full-size packets as probes and starts its estimate at the rate they arrived at (else it waits
 * 5 s and starts from what it received), so once video flows the bridge resends the viewer's last
 * {@link #INITIAL_BURST_PACKETS} packets as RTX twice, 100 ms apart ({@link #takeInitialBurst}).
 *
 * <p>A viewer whose line carries what it is sent reports no estimate for its first 5 s (libwebrtc
 * then starts it at the rate received). After {@link #PRE_ESTIMATE_WAIT_NANOS} without one the
 * bridge pads as it probes with one, from what the viewer is sent: {@link #PROBE_STEP} times the
 * need of its layer, one more step every {@link #PROBE_HOLD_NANOS}, never above the top layer's
 * need. So a good line's first estimate starts near what the layers above need, and a thin one is
 * pushed a step above what it is sent, then another, until its estimator reports the overuse (a
 * second or so after the first step beyond the line's rate): it used to be padded to twice the
 * middle layer's need at once, and its router's queue overflowed for as long as the estimate took.
 * A probe the line refused does not move the viewer down for {@link #BACKOFF_NANOS}: its estimate
 * fell because of the padding, which stops at once; a fall after that one does.
 *
 * <p>Padding needs RTX negotiated (the caller checks). Event loop, except {@link #pin},
 * {@link #pinnedLayer} and {@link #forwardedLayer} (volatile).
 */
final class LayerControl {
    static final double PROBE_STEP = 1.5;
    static final long PROBE_HOLD_NANOS = 1_000_000_000L;
    static final long BACKOFF_NANOS = 4_000_000_000L;
    static final long PRE_ESTIMATE_WAIT_NANOS = 2_000_000_000L;
    /** A fall of the estimate this soon after a refused measured step or a switch up is the bridge's own doing. */
    static final long OWN_FALL_WITHIN_NANOS = 2_000_000_000L;
    /**
     * A measured step's size until a step was first refused: twice the rate before it, as
     * libwebrtc's first probes are (a refused measured step costs a fraction of a second of queue).
     */
    static final double FIRST_MEASURED_STEP = 2.0;
    /** Measured steps start this long after the first tick, before any estimate: the start layer's keyframe goes first. */
    static final long MEASURED_START_NANOS = 1_000_000_000L;
    /** A measured step pads at least this much above the media (a few packets a tick), or does not start. */
    static final long MIN_MEASURED_PADDING_BPS = 50_000;
    /** A probe step without a REMB from its second half on within this long is not proven. */
    static final long PROBE_VERDICT_WITHIN_NANOS = 3 * PROBE_HOLD_NANOS;
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
    /** The viewer's REMB when the probe step in flight began. */
    private long probeStartRembBps;
    private long provenBps;
    private long backoffUntilNanos = Long.MIN_VALUE;
    /** When the last probe failed (the fall it caused does not move the viewer down), or Long.MIN_VALUE. */
    private long probeFailedNanos = Long.MIN_VALUE;
    private long firstTickNanos = Long.MIN_VALUE;
    private int initialBurstsLeft = INITIAL_BURSTS;
    /** Bits of padding owed from earlier ticks' fractions of a packet. */
    private long paddingCreditBits;
    private final boolean arrivalsReported;
    /** Until when a fall of the viewer's estimate is the bridge's own doing ({@link #fallIsOurs}), or Long.MIN_VALUE. */
    private long ownDisturbanceUntilNanos = Long.MIN_VALUE;
    /** When the rate now proven was proven, or Long.MIN_VALUE. */
    private long provenAtNanos = Long.MIN_VALUE;
    /** The video sent to the viewer lately, as {@link #decide} was told, or -1. */
    private long lastSentMediaBps = -1;
    /** What the arrivals of the last refused measured step showed, for the DEBUG line. */
    private String lastRefusal = "";
    /** Whether a measured step was refused yet: steps are {@link #PROBE_STEP} from then on. */
    private boolean measuredStepRefused;
    /** Whether the step in flight is judged on its arrivals (the viewer reported them when it began). */
    private boolean measuredStep;
    /** The transport-wide sequence number of the measured step's first padding packet. */
    private int stepFirstSequence;

    LayerControl(int startLayer) {
        this(startLayer, false);
    }

    /**
     * @param arrivalsReported whether the viewer reports its probe padding's arrivals (transport-cc
     *                         negotiated): its steps are then judged on them ({@link ProbeArrivals})
     */
    LayerControl(int startLayer, boolean arrivalsReported) {
        this.selection = new LayerSelection(startLayer);
        this.forwarded = startLayer;
        this.arrivalsReported = arrivalsReported;
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

    /**
     * The estimate the layer is chosen by: the viewer's, or a proven rate above it, except while
     * loss holds the viewer's estimate down (a line losing packets carries less than was proven);
     * -1 before the first.
     */
    long effectiveEstimateBps(ViewerBandwidth bandwidth) {
        long estimate = bandwidth.estimateBps();
        if (estimate < 0 || bandwidth.isLossCapped()) {
            return estimate;
        }
        return Math.max(estimate, provenBps);
    }

    /** Chooses the layer for this tick (judging the probe in flight first), without a measured media rate. */
    int decide(ViewerBandwidth bandwidth, long[] layerBps, long nowNanos) {
        return decide(bandwidth, layerBps, -1, nowNanos);
    }

    /**
     * Chooses the layer for this tick (judging the probe in flight first).
     *
     * @param sentMediaBps the layer's bitrate as sent to this viewer lately, or -1: less what the
     *                     viewer reports lost, its line carried that much, so it is no reason for audio only
     */
    int decide(ViewerBandwidth bandwidth, long[] layerBps, long sentMediaBps, long nowNanos) {
        if (firstTickNanos == Long.MIN_VALUE) {
            firstTickNanos = nowNanos;
        }
        if (probing && bandwidth.lastFallNanos() >= probeStartNanos) {
            probing = false;
            backoffUntilNanos = nowNanos + BACKOFF_NANOS;
            probeFailedNanos = bandwidth.lastFallNanos();
            if (measuredStep) {
                measuredStepRefused = true;
                ownDisturbanceUntilNanos = nowNanos + OWN_FALL_WITHIN_NANOS;
            } else {
                provenBps = 0;
            }
        } else if (probing && measuredStep) {
            ProbeArrivals.Verdict verdict = bandwidth.probeArrivals().judge(stepFirstSequence,
                    nowNanos - probeStartNanos >= PROBE_HOLD_NANOS, nowNanos);
            if (verdict == ProbeArrivals.Verdict.CARRIED) {
                probing = false;
                provenBps = Math.max(provenBps, probeTargetBps);
                provenAtNanos = nowNanos;
            } else if (verdict == ProbeArrivals.Verdict.REFUSED) {
                probing = false;
                lastRefusal = bandwidth.probeArrivals().lastJudgement();
                measuredStepRefused = true;
                backoffUntilNanos = nowNanos + BACKOFF_NANOS;
                ownDisturbanceUntilNanos = nowNanos + OWN_FALL_WITHIN_NANOS;
            }
        } else if (probing && nowNanos - probeStartNanos >= PROBE_HOLD_NANOS) {
            boolean reported = bandwidth.lastRembNanos() >= probeStartNanos + PROBE_HOLD_NANOS / 2;
            if (reported && bandwidth.rembBps() >= probeStartRembBps && bandwidth.lastRembRose()) {
                probing = false;
                provenBps = Math.max(provenBps, probeTargetBps);
            } else if (reported || nowNanos - probeStartNanos >= PROBE_VERDICT_WITHIN_NANOS) {
                probing = false;
                backoffUntilNanos = nowNanos + BACKOFF_NANOS;
            }
        }
        long lastFall = bandwidth.lastFallNanos();
        if (!probing && lastFall != Long.MIN_VALUE && lastFall >= nowNanos - BACKOFF_NANOS && !fallIsOurs(lastFall)) {
            if (arrivalsReported) {
                // the queue grew under the media alone: what was proven no longer holds, what is sent
                // nearly does (libwebrtc's estimators fall to 0.85 of the rate received, as this does)
                long media = forwarded < 0 || forwarded >= layerBps.length ? LayerSelection.AUDIO_ALLOWANCE_BPS
                        : LayerSelection.need(layerBps[forwarded]);
                provenBps = Math.min(provenBps, media * 85 / 100);
                provenAtNanos = nowNanos;
            } else {
                provenBps = 0;
            }
        }
        int next = nextLayer(layerBps);
        if (pinned < 0 && next >= 0) {
            int covered = highestCovered(provenBps, next, layerBps);
            if (covered >= 0) {
                selection.probeSucceeded(covered);
            }
        }
        long estimate = effectiveEstimateBps(bandwidth);
        boolean shielded = arrivalsReported
                ? lastFall != Long.MIN_VALUE && lastFall <= ownDisturbanceUntilNanos && nowNanos - lastFall < BACKOFF_NANOS
                : probeFailedNanos != Long.MIN_VALUE && lastFall == probeFailedNanos && nowNanos - probeFailedNanos < BACKOFF_NANOS
                        && estimate >= LayerSelection.VIDEO_RESUMES_ABOVE_BPS;
        if (shielded && (!arrivalsReported || !bandwidth.isLossCapped()) && forwarded >= 0 && forwarded < layerBps.length) {
            estimate = Math.max(estimate, (long) (LayerSelection.need(layerBps[forwarded]) / LayerSelection.KEEP_MARGIN) + 1);
        }
        long line = bandwidth.rembBps() < 0 ? -1 : Math.max(bandwidth.rembBps(), provenBps);
        lastSentMediaBps = sentMediaBps;
        if (line >= 0 && sentMediaBps > 0) {
            // what reached the viewer: the video sent less what it reports lost, and its audio
            line = Math.max(line, sentMediaBps * (256 - bandwidth.lastFractionLost()) / 256 + LayerSelection.AUDIO_ALLOWANCE_BPS);
        }
        int before = forwarded;
        forwarded = selection.select(estimate, line, layerBps, pinned, nowNanos);
        if (forwarded > before) {
            ownDisturbanceUntilNanos = Math.max(ownDisturbanceUntilNanos, nowNanos + OWN_FALL_WITHIN_NANOS);
        }
        return forwarded;
    }

    /**
     * Whether a fall of the viewer's estimate came from the bridge's own doing, for a viewer whose
     * probes are judged on their arrivals: it came before the rate now proven was (that proof is
     * newer), or within {@link #OWN_FALL_WITHIN_NANOS} of a refused step or a switch up (a new
     * layer's keyframe). Its REMB estimator does not see the probe padding, so on the queue a
     * refused step or a keyframe built it falls to 0.85 times the media alone (a 300 kbit/s
     * viewer's to 51 kbit/s): that says the bridge overfilled the line for a moment, not that the
     * line carries less than it was proven to.
     */
    private boolean fallIsOurs(long fallNanos) {
        return arrivalsReported && (fallNanos <= provenAtNanos || fallNanos <= ownDisturbanceUntilNanos);
    }

    /** Padding bytes to send this tick (0 for none): see the class doc. Call after {@link #decide}. */
    int paddingBytes(ViewerBandwidth bandwidth, long[] layerBps, long nowNanos) {
        long estimate = effectiveEstimateBps(bandwidth);
        int next = nextLayer(layerBps);
        if (!arrivalsReported && estimate < 0 && pinned < 0 && next >= 0 && forwarded >= 0 && firstTickNanos != Long.MIN_VALUE
                && nowNanos - firstTickNanos >= PRE_ESTIMATE_WAIT_NANOS) {
            return owedPadding(preEstimatePaddingBps(layerBps, nowNanos));
        }
        if (arrivalsReported && estimate < 0 && forwarded >= 0 && firstTickNanos != Long.MIN_VALUE
                && nowNanos - firstTickNanos >= MEASURED_START_NANOS) {
            // no REMB yet (it takes libwebrtc up to 5 s): measured steps start from what the viewer is sent
            estimate = Math.max(provenBps, sentBps(layerBps));
        } else if (arrivalsReported && estimate >= 0 && forwarded >= 0) {
            // what the viewer is sent it receives (or loss would cap the estimate): a step starts above it
            estimate = Math.max(estimate, sentBps(layerBps));
        }
        if (pinned >= 0 || estimate < 0 || next < 0 || nowNanos < backoffUntilNanos) {
            probing = false;
            paddingCreditBits = 0;
            return 0;
        }
        if (!probing && arrivalsReported
                && measuredTarget(estimate, layerBps) <= mediaBps(layerBps) + MIN_MEASURED_PADDING_BPS) {
            return 0; // the viewer is sent about what its line was judged to carry: nothing to probe yet
        }
        if (!probing) {
            probing = true;
            probeStartNanos = nowNanos;
            probeStartRembBps = bandwidth.rembBps();
            if (arrivalsReported) {
                probeTargetBps = measuredTarget(estimate, layerBps);
            } else {
                probeTargetBps = Math.min((long) (LayerSelection.need(layerBps[next]) * LayerSelection.UP_MARGIN),
                        (long) (estimate * PROBE_STEP));
            }
            measuredStep = arrivalsReported;
            stepFirstSequence = bandwidth.probeArrivals().nextSequence();
        }
        if (measuredStep && nowNanos - probeStartNanos >= PROBE_HOLD_NANOS) {
            return 0; // the step has sent its second: its last arrivals are being reported
        }
        return owedPadding(Math.max(0, probeTargetBps - mediaBps(layerBps)));
    }

    /** A measured step's target from {@code baseBps}: judged on its own arrivals, whatever layer it covers, it may aim at the top. */
    private long measuredTarget(long baseBps, long[] layerBps) {
        return Math.min((long) (LayerSelection.need(topSending(layerBps)) * LayerSelection.UP_MARGIN),
                (long) (baseBps * (measuredStepRefused ? PROBE_STEP : FIRST_MEASURED_STEP)));
    }

    /**
     * What the viewer's layer and audio take of the line: padding fills from there to the step's
     * target. For a measured viewer what it was sent (the start's keyframes swell a layer's figure).
     */
    private long mediaBps(long[] layerBps) {
        if (forwarded == LayerSelection.AUDIO_ONLY) {
            return LayerSelection.AUDIO_ALLOWANCE_BPS;
        }
        return arrivalsReported ? sentBps(layerBps) : LayerSelection.need(layerBps[Math.min(forwarded, layerBps.length - 1)]);
    }

    /**
     * Padding before the first estimate: the viewer's need times {@link #PROBE_STEP} to the power of
     * the seconds padded so far plus one, capped at the top layer's need; what is sent beyond the need.
     */
    private long preEstimatePaddingBps(long[] layerBps, long nowNanos) {
        long media = LayerSelection.need(layerBps[Math.min(forwarded, layerBps.length - 1)]);
        long steps = 1 + (nowNanos - firstTickNanos - PRE_ESTIMATE_WAIT_NANOS) / PROBE_HOLD_NANOS;
        double target = media * Math.pow(PROBE_STEP, Math.min(steps, 16));
        return Math.max(0, Math.min(LayerSelection.need(topSending(layerBps)), (long) target) - media);
    }

    /**
     * What the viewer is sent with its audio: the video as measured over the last 2 s when known
     * (a layer's bitrate measured over its first second counts the keyframes every new viewer asked
     * for, up to three times the layer's rate), else its layer's need.
     */
    private long sentBps(long[] layerBps) {
        long need = LayerSelection.need(layerBps[Math.min(forwarded, layerBps.length - 1)]);
        return lastSentMediaBps > 0 ? Math.min(need, lastSentMediaBps + LayerSelection.AUDIO_ALLOWANCE_BPS) : need;
    }

    /** The highest layer from {@code from} up that sends and whose need {@code provenBps} covers, or -1. */
    private static int highestCovered(long provenBps, int from, long[] layerBps) {
        for (int i = layerBps.length - 1; i >= from; i--) {
            if (layerBps[i] > 0 && LayerSelection.need(layerBps[i]) <= provenBps) {
                return i;
            }
        }
        return -1;
    }

    /** The bitrate of the highest layer that sends (0 when none does). */
    private static long topSending(long[] layerBps) {
        for (int i = layerBps.length - 1; i >= 0; i--) {
            if (layerBps[i] > 0) {
                return layerBps[i];
            }
        }
        return 0;
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

    /** Whether the padding sent now belongs to a step judged on its arrivals: it must carry a transport-wide sequence number. */
    boolean stampsPadding() {
        return probing && measuredStep;
    }

    long probeTargetBps() {
        return probeTargetBps;
    }

    /** What the last refused measured step's arrivals showed ("" before one). */
    String lastRefusal() {
        return lastRefusal;
    }
}
