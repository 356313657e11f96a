package org.citizenreception.media.conference;

/**
 * One viewer's available bandwidth, as the bridge judges it from the viewer's own feedback.
 *
 * <p>The viewer measures it: the bridge stamps abs-send-time on what it sends and negotiates
 * {@code goog-remb}, so the viewer's libwebrtc runs its receive-side delay-based estimator (queueing
 * delay growing between send and arrival times means the line is full) and reports the result in
 * REMB about once a second, at once when it falls. (The probe padding it is sent to climb is
 * judged apart, on its transport-cc feedback: {@link ProbeArrivals}.) The bridge takes the REMB as the estimate and
 * caps it by loss, which a delay-based estimator does not see on a line that drops instead of
 * queueing: over {@link #LOSS_CAP_ABOVE} of the packets lost in a receiver report (fraction
 * lost, RFC 3550 6.4.1) holds the estimate at what it was times (1 - loss / 2) until the loss
 * falls under {@link #LOSS_CLEARS_BELOW}. A lossy report lowers the cap again only
 * {@link #LOSS_STEP_NANOS} after the last step, as libwebrtc's loss-based controller waits before
 * it backs off again: the viewer reports every stream several times a second, and the reports
 * that follow a step still count the loss from before it (a 300 kbit/s viewer's cap compounded
 * from 200 to 87 kbit/s in 600 ms on one episode of loss). The REMB itself ({@link #rembBps}) is
 * kept apart: it says what the line carries, which audio only is judged by.
 *
 * <p>Not thread-safe: one per viewing endpoint, fed and read on its event loop; the estimate is
 * volatile for stats read elsewhere.
 */
final class ViewerBandwidth {
    /** 10 % (of 256): libwebrtc's own loss-based controller backs off above this as well. */
    static final int LOSS_CAP_ABOVE = 26;
    /** 2 % (of 256): a line this clean is judged by delay alone again. */
    static final int LOSS_CLEARS_BELOW = 5;

    /** A lossy report lowers the cap at most once in this long (libwebrtc's sender waits 300 ms plus the round trip). */
    static final long LOSS_STEP_NANOS = 1_000_000_000L;

    private long rembBps = -1;
    private long lossCapBps = Long.MAX_VALUE;
    private volatile long estimateBps = -1;
    private long lastFallNanos = Long.MIN_VALUE;
    private long lastLossStepNanos = Long.MIN_VALUE;
    private long lastRembNanos = Long.MIN_VALUE;
    private boolean lastRembRose;
    private int lastFractionLost;
    private final ProbeArrivals probeArrivals = new ProbeArrivals();

    /** A REMB from the viewer: its receive-side estimate for everything the bridge sends it. */
    void onRemb(long bitrateBps, long nowNanos) {
        long before = rembBps;
        rembBps = Math.max(0, bitrateBps);
        lastRembRose = before >= 0 && rembBps > before;
        lastRembNanos = nowNanos;
        update(nowNanos);
    }

    /** The arrivals of this viewer's probe padding, from its transport-cc feedback. */
    ProbeArrivals probeArrivals() {
        return probeArrivals;
    }

    /** When the last REMB came, or Long.MIN_VALUE. */
    long lastRembNanos() {
        return lastRembNanos;
    }

    /**
     * Whether the last REMB reported more than the one before: the viewer's estimator raises its
     * estimate only while it sees no queue build up, and repeats it while it does.
     */
    boolean lastRembRose() {
        return lastRembRose;
    }

    /** A receiver report block of one of its streams: {@code fractionLost} of 256 since its last report. */
    void onFractionLost(int fractionLost, long nowNanos) {
        lastFractionLost = fractionLost;
        if (fractionLost > LOSS_CAP_ABOVE && estimateBps >= 0) {
            if (lastLossStepNanos != Long.MIN_VALUE && nowNanos - lastLossStepNanos < LOSS_STEP_NANOS) {
                return;
            }
            lastLossStepNanos = nowNanos;
            long capped = estimateBps * (512 - fractionLost) / 512;
            lossCapBps = Math.min(lossCapBps, capped);
            update(nowNanos);
        } else if (fractionLost < LOSS_CLEARS_BELOW && lossCapBps != Long.MAX_VALUE) {
            lossCapBps = Long.MAX_VALUE;
            update(nowNanos);
        }
    }

    /** The fraction of its video lost (of 256) in the viewer's last receiver report, 0 before the first. */
    int lastFractionLost() {
        return lastFractionLost;
    }

    /** Whether loss holds the estimate under the REMB now. */
    boolean isLossCapped() {
        return lossCapBps != Long.MAX_VALUE;
    }

    /** The estimate in bit/s, or -1 before the viewer's first REMB. */
    long estimateBps() {
        return estimateBps;
    }

    /** The viewer's last REMB as it reported it, without the loss cap, or -1 before the first. */
    long rembBps() {
        return rembBps;
    }

    /** When the estimate last fell by more than a tenth, or Long.MIN_VALUE: a probe that saw it fall failed. */
    long lastFallNanos() {
        return lastFallNanos;
    }

    private void update(long nowNanos) {
        if (rembBps < 0) {
            return;
        }
        long next = Math.min(rembBps, lossCapBps);
        long before = estimateBps;
        if (before > 0 && next < before * 9 / 10) {
            lastFallNanos = nowNanos;
        }
        estimateBps = next;
    }
}
