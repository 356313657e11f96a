package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.citizenreception.media.rtcp.TransportCcRecorder;
import org.junit.jupiter.api.Test;

/** Probing, pinning and audio only, ticked by hand every 100 ms with constructed REMBs and receiver reports. */
class LayerControlTest {
    private static final long TICK = 100_000_000L;
    private static final long HOLD_TICKS = LayerControl.PROBE_HOLD_NANOS / TICK;
    /** Needs (with the audio allowance): 214, 564 and 1,564 kbit/s. */
    private static final long[] LAYERS = {150_000, 500_000, 1_500_000};

    private final ViewerBandwidth bandwidth = new ViewerBandwidth();
    private final LayerControl control = new LayerControl(0);
    private long now = 1_000_000_000L;

    @Test
    void aNewViewerIsSentTwoProbeBurstsSoItsFirstEstimateComesFromThem() {
        assertThat(control.takeInitialBurst()).isTrue();
        assertThat(control.takeInitialBurst()).isTrue();
        assertThat(control.takeInitialBurst()).isFalse();
        assertThat(control.paddingBytes(bandwidth, LAYERS, now)).as("no estimate yet: no probing").isZero();
    }

    @Test
    void probeStepsTheLineCarriesWithARisingRembAreProvenUntilTheNextLayersNeedIsAndTheViewerClimbs() {
        skipInitialBursts();
        bandwidth.onRemb(300_000, now);
        int firstStepBytes = tick();
        assertThat(control.isProbing()).isTrue();
        assertThat(control.probeTargetBps()).as("half above the estimate").isEqualTo(450_000);
        // padding fills from the layer's need (214 kbit/s) to the step: 236 kbit/s, 2,950 bytes a tick
        assertThat(firstStepBytes).isEqualTo(2_950);
        long remb = 300_000;
        for (int i = 0; i < HOLD_TICKS; i++) {
            remb += 1_000; // a free line: the estimator adds about 8 % a second
            bandwidth.onRemb(remb, now);
            tick();
        }
        assertThat(control.provenBps()).isEqualTo(450_000);
        assertThat(control.probeTargetBps()).as("the next step stops a tenth above the middle layer's need (564 kbit/s)")
                .isEqualTo(620_400);
        assertThat(control.forwardedLayer()).isZero();
        for (int i = 0; i <= HOLD_TICKS; i++) {
            remb += 1_000;
            bandwidth.onRemb(remb, now);
            tick();
        }
        assertThat(control.forwardedLayer()).as("the line carried the middle layer's need").isEqualTo(1);
    }

    @Test
    void aProbeStepOverWhichTheRembStayedFlatIsNoProofAndProbingPausesForTheBackOff() {
        skipInitialBursts();
        bandwidth.onRemb(200_000, now);
        tick();
        assertThat(control.probeTargetBps()).isEqualTo(300_000);
        for (int i = 0; i < HOLD_TICKS; i++) {
            // a line already full: the estimator holds its estimate on overuse instead of lowering it
            bandwidth.onRemb(201_000, now);
            tick();
        }
        assertThat(control.provenBps()).isZero();
        assertThat(control.isProbing()).isFalse();
        assertThat(control.forwardedLayer()).isZero();
        for (int i = 1; i < LayerControl.BACKOFF_NANOS / TICK - 1; i++) {
            assertThat(tick()).as("tick %d of the back-off", i).isZero();
        }
        tick();
        assertThat(tick()).as("probing again after the back-off").isPositive();
    }

    @Test
    void aRembRisingByAFewKilobitsAReportStillProvesAStep() {
        // an estimator that met the line's capacity before (a freed line's) adds a few kbit/s a report, not 8 % a second
        skipInitialBursts();
        bandwidth.onRemb(200_000, now);
        tick();
        long remb = 200_000;
        for (int i = 0; i < HOLD_TICKS; i++) {
            if (i % 2 == 1) {
                remb += 1_000;
                bandwidth.onRemb(remb, now);
            }
            tick();
        }
        assertThat(control.provenBps()).isEqualTo(300_000);
    }

    @Test
    void aStepIsJudgedOnTheFirstReportFromItsSecondHalfOnEvenWhenReportsAreSparse() {
        skipInitialBursts();
        bandwidth.onRemb(160_000, now);
        tick();
        for (int i = 0; i < 2 * HOLD_TICKS; i++) {
            if (i == 14) {
                bandwidth.onRemb(163_000, now); // a freed line's estimator near a capacity it met: a report every 1.5 s
            }
            tick();
            if (i < 14) {
                assertThat(control.isProbing()).as("tick %d: waiting for a report", i).isTrue();
            }
        }
        assertThat(control.provenBps()).isEqualTo(240_000);
    }

    @Test
    void aStepWithoutAReportWithinThreeHoldsIsNotProven() {
        skipInitialBursts();
        bandwidth.onRemb(160_000, now);
        tick();
        for (int i = 0; i < LayerControl.PROBE_VERDICT_WITHIN_NANOS / TICK; i++) {
            tick();
        }
        assertThat(control.isProbing()).isFalse();
        assertThat(control.provenBps()).isZero();
    }

    @Test
    void aProbeStepAtTheEndOfWhichTheRembIsLowerThanAtItsStartIsNoProof() {
        skipInitialBursts();
        bandwidth.onRemb(213_000, now);
        tick();
        for (int i = 0; i < HOLD_TICKS; i++) {
            bandwidth.onRemb(i == HOLD_TICKS - 3 ? 200_000 : i < HOLD_TICKS - 3 ? 215_000 : 203_000 + i, now);
            tick();
        }
        assertThat(control.provenBps()).as("rising at the end, but under where it started").isZero();
    }

    @Test
    void aProbeStepOverWhichTheRembStoppedRisingIsNoProof() {
        skipInitialBursts();
        bandwidth.onRemb(540_000, now);
        tick();
        long remb = 540_000;
        for (int i = 0; i < HOLD_TICKS; i++) {
            if (i < HOLD_TICKS / 2) {
                remb += 6_000; // rising at first, then held: the queue the probe built was noticed
            }
            bandwidth.onRemb(remb, now);
            tick();
        }
        assertThat(control.provenBps()).isZero();
        assertThat(control.isProbing()).isFalse();
    }

    @Test
    void aProbeThatMakesTheEstimateFallStopsProbingForAWhileAndForgetsWhatWasProven() {
        skipInitialBursts();
        bandwidth.onRemb(300_000, now);
        tick();
        long remb = 300_000;
        for (int i = 0; i < HOLD_TICKS; i++) {
            remb += 1_000;
            bandwidth.onRemb(remb, now);
            tick();
        }
        assertThat(control.provenBps()).isEqualTo(450_000);
        bandwidth.onRemb(200_000, now);
        assertThat(tick()).isZero();
        assertThat(control.provenBps()).isZero();
        assertThat(control.isProbing()).isFalse();
        long backoffTicks = LayerControl.BACKOFF_NANOS / TICK;
        for (int i = 1; i < backoffTicks - 1; i++) {
            assertThat(tick()).as("tick %d of the back-off", i).isZero();
        }
        tick();
        assertThat(tick()).as("probing again after the back-off").isPositive();
    }

    @Test
    void withoutAnEstimateAfterTwoSecondsTheViewerIsPaddedInProbeStepsUpToTheTopLayersNeedAtMost() {
        skipInitialBursts();
        assertThat(tick()).as("the first 2 s: its line may be reporting overuse already").isZero();
        for (int i = 1; i < LayerControl.PRE_ESTIMATE_WAIT_NANOS / TICK; i++) {
            assertThat(tick()).isZero();
        }
        // on layer 0 (need 214 kbit/s): a step half above it, 107 kbit/s of padding, 1,337.5 bytes a tick
        assertThat(tick() + tick()).isEqualTo(2_675);
        for (int i = 2; i < HOLD_TICKS; i++) {
            tick();
        }
        // 214 * 1.5^2 = 481.5: 267.5 kbit/s of padding, 3,343.75 bytes a tick
        assertThat(tick() + tick() + tick() + tick()).isEqualTo(13_375);
        for (int i = 0; i < 6 * HOLD_TICKS; i++) {
            tick();
        }
        // capped at the top layer's need: 1,564 - 214 = 1,350 kbit/s, 16,875 bytes a tick
        assertThat(tick()).isEqualTo(16_875);
        bandwidth.onRemb(430_000, now);
        assertThat(tick()).as("with an estimate the probe steps take over").isEqualTo(probeStepBytes(430_000));
    }

    @Test
    void theFallAFailedProbeCausedDoesNotMoveTheViewerDownButALaterFallDoes() {
        skipInitialBursts();
        LayerControl middle = new LayerControl(1);
        bandwidth.onRemb(600_000, now);
        middle.decide(bandwidth, LAYERS, now);
        middle.paddingBytes(bandwidth, LAYERS, now);
        now += TICK;
        bandwidth.onRemb(420_000, now); // the probe overloaded the line: 564 > 420 * 1.25
        assertThat(middle.decide(bandwidth, LAYERS, now)).as("shielded after the failed probe").isEqualTo(1);
        now += TICK;
        bandwidth.onRemb(300_000, now);
        assertThat(middle.decide(bandwidth, LAYERS, now)).as("a fall of its own").isEqualTo(0);
    }

    @Test
    void lossOnAThinLineLowersTheLayerButNeverCutsVideoWhileTheRembSaysTheLineCarriesIt() {
        // the 4 Dec failure: a 300 kbit/s viewer, REMB 287 kbit/s, its receiver reports counting heavy loss
        skipInitialBursts();
        LayerControl middle = new LayerControl(1);
        bandwidth.onRemb(287_000, now);
        for (int i = 0; i < 100; i++) {
            now += TICK;
            if (i % 2 == 0) {
                bandwidth.onFractionLost(128, now);
            }
            assertThat(middle.decide(bandwidth, LAYERS, now)).as("tick %d", i).isNotEqualTo(LayerSelection.AUDIO_ONLY);
            middle.paddingBytes(bandwidth, LAYERS, now);
        }
        assertThat(middle.forwardedLayer()).as("the lowest layer").isZero();
    }

    @Test
    void aViewerBelowTheAudioOnlyThresholdGetsAudioOnlyAndVideoBackWhenItsLineRecovers() {
        skipInitialBursts();
        bandwidth.onRemb(80_000, now);
        tick();
        assertThat(control.forwardedLayer()).as("one report is not enough").isZero();
        for (int i = 0; i < LayerSelection.AUDIO_ONLY_HOLD_NANOS / TICK; i++) {
            tick();
        }
        assertThat(control.forwardedLayer()).as("thin for the hold: audio only").isEqualTo(LayerSelection.AUDIO_ONLY);
        bandwidth.onRemb(140_000, now);
        tick();
        assertThat(control.forwardedLayer()).as("not yet above 150 kbit/s").isEqualTo(LayerSelection.AUDIO_ONLY);
        bandwidth.onRemb(400_000, now);
        tick();
        assertThat(control.forwardedLayer()).as("the line recovered: video again, on the lowest layer").isZero();
    }

    @Test
    void aPinnedViewerIsNeitherProbedNorMoved() {
        skipInitialBursts();
        control.pin(2);
        bandwidth.onRemb(300_000, now);
        assertThat(tick()).isZero();
        assertThat(control.forwardedLayer()).isEqualTo(2);
        control.pin(-1);
        bandwidth.onRemb(290_000, now);
        tick();
        assertThat(control.forwardedLayer()).as("unpinned: the estimate decides again").isEqualTo(0);
    }

    @Test
    void aViewerOnTheTopLayerIsNotPadded() {
        skipInitialBursts();
        LayerControl top = new LayerControl(2);
        bandwidth.onRemb(3_000_000, now);
        top.decide(bandwidth, LAYERS, now);
        assertThat(top.paddingBytes(bandwidth, LAYERS, now)).isZero();
    }

    @Test
    void aFreedLineClimbsOnTheArrivalsOfItsProbePaddingWhileItsRembBarelyMoves() {
        LayerControl measured = new LayerControl(0, true);
        SimulatedLine line = new SimulatedLine(ThrottledLine.FREE);
        measured.takeInitialBurst();
        measured.takeInitialBurst();
        bandwidth.onRemb(250_000, now);
        int ticks = 0;
        while (measured.forwardedLayer() < 2 && ticks < 60) {
            line.tick(measured);
            ticks++;
            if (ticks % 10 == 0) {
                bandwidth.onRemb(250_000 + ticks * 200L, now); // the REMB a free line's estimator reports: a few kbit/s a second
            }
        }
        assertThat(measured.forwardedLayer()).as("proven by arrivals: steps of 500, 1,000 and 1,720 kbit/s").isEqualTo(2);
        assertThat(ticks).as("three steps of a second, each judged as its last arrivals are reported").isLessThanOrEqualTo(33);
        assertThat(bandwidth.probeArrivals().stamped()).as("the steps' padding was stamped").isPositive();
    }

    @Test
    void aThinLineQueueingTheProbeRefusesItEarlyAndTheViewerStaysWhereItIs() {
        LayerControl measured = new LayerControl(0, true);
        SimulatedLine line = new SimulatedLine(300_000);
        measured.takeInitialBurst();
        measured.takeInitialBurst();
        bandwidth.onRemb(300_000, now);
        line.tick(measured);
        assertThat(measured.isProbing()).isTrue();
        int ticks = 1;
        while (measured.isProbing() && ticks < 20) {
            line.tick(measured);
            ticks++;
        }
        assertThat(measured.isProbing()).as("the step was refused").isFalse();
        assertThat(ticks).as("refused within half a step, before its queue overflowed").isLessThan((int) HOLD_TICKS / 2 + 2);
        assertThat(measured.provenBps()).isZero();
        assertThat(measured.forwardedLayer()).isZero();
        for (int i = 0; i < LayerControl.BACKOFF_NANOS / TICK - 1; i++) {
            assertThat(line.tick(measured)).as("no padding during the back-off").isZero();
        }
    }

    @Test
    void beforeItsFirstRembAMeasuredViewerIsProbedFromWhatItIsSentAndClimbsOnTheArrivals() {
        LayerControl measured = new LayerControl(0, true);
        SimulatedLine line = new SimulatedLine(ThrottledLine.FREE);
        measured.takeInitialBurst();
        measured.takeInitialBurst();
        for (int i = 0; i < LayerControl.MEASURED_START_NANOS / TICK; i++) {
            assertThat(line.tick(measured)).as("the start layer's keyframe goes first").isZero();
        }
        assertThat(line.tick(measured)).isPositive();
        assertThat(measured.stampsPadding()).isTrue();
        assertThat(measured.probeTargetBps()).as("twice the start layer's need (214 kbit/s)").isEqualTo(428_000);
        int ticks = 0;
        while (measured.forwardedLayer() < 2 && ticks < 60) {
            line.tick(measured);
            ticks++;
        }
        assertThat(measured.forwardedLayer()).as("steps of 428, 856 and 1,720 kbit/s, no REMB needed").isEqualTo(2);
        assertThat(bandwidth.estimateBps()).isEqualTo(-1);
    }

    @Test
    void aFallOfTheRembTheBridgeDidNotCauseCutsWhatWasProvenToJustUnderWhatTheViewerIsSent() {
        LayerControl measured = new LayerControl(0, true);
        SimulatedLine line = new SimulatedLine(ThrottledLine.FREE);
        bandwidth.onRemb(400_000, now);
        for (int i = 0; i < 40 && measured.forwardedLayer() < 2; i++) {
            line.tick(measured);
        }
        assertThat(measured.forwardedLayer()).isEqualTo(2);
        bandwidth.onRemb(300_000, now);
        line.tick(measured);
        assertThat(measured.provenBps()).as("steps of 800 and 1,600 kbit/s; a fall just after the switch up is the keyframe's")
                .isEqualTo(1_600_000);
        for (int i = 0; i < LayerControl.OWN_FALL_WITHIN_NANOS / TICK + 1; i++) {
            line.tick(measured);
        }
        bandwidth.onRemb(250_000, now); // the queue grew under the top layer alone
        line.tick(measured);
        assertThat(measured.provenBps()).as("0.85 of the top layer's need").isEqualTo(1_564_000 * 85 / 100);
        assertThat(measured.forwardedLayer()).as("which its need is within a quarter of: it stays").isEqualTo(2);
    }

    @Test
    void anUnmeasuredViewerIsPaddedUnstampedBeforeItsFirstEstimateForItsRembToCountIt() {
        LayerControl unmeasured = new LayerControl(0, false);
        for (int i = 0; i < 25; i++) {
            now += TICK;
            unmeasured.decide(bandwidth, LAYERS, now);
            unmeasured.paddingBytes(bandwidth, LAYERS, now);
        }
        assertThat(unmeasured.paddingBytes(bandwidth, LAYERS, now)).as("padded for its REMB").isPositive();
        assertThat(unmeasured.stampsPadding()).as("which must see the padding: not stamped").isFalse();
    }

    /** The sentinel for a line with no limit. */
    private interface ThrottledLine {
        long FREE = Long.MAX_VALUE;
    }

    /**
     * A downlink of {@code capacityBps} carrying the viewer's layer and the probe padding, with a
     * router's queue of 300 ms (dropping beyond it): each tick sends the padding the control asks for
     * as stamped packets, and the viewer's transport-cc feedback for them comes back (written by the
     * bridge's own encoder) before the next tick.
     */
    private final class SimulatedLine {
        private final long capacityBps;
        private final TransportCcRecorder viewerSide = new TransportCcRecorder(1, 2, 100, () -> now);
        private long backlogBits;

        SimulatedLine(long capacityBps) {
            this.capacityBps = capacityBps;
        }

        int tick(LayerControl measured) {
            now += TICK;
            report();
            int layer = measured.decide(bandwidth, LAYERS, now);
            int padding = measured.paddingBytes(bandwidth, LAYERS, now);
            if (capacityBps == ThrottledLine.FREE) {
                backlogBits = 0;
            } else {
                long mediaBits = LayerSelection.need(LAYERS[Math.max(0, layer)]) * TICK / 1_000_000_000L;
                backlogBits = Math.max(0, backlogBits + mediaBits - capacityBps * TICK / 1_000_000_000L);
            }
            for (int left = padding; left > 0; left -= 255) {
                assertThat(measured.stampsPadding()).isTrue();
                int sequence = bandwidth.probeArrivals().stamp(now);
                long delayNanos = capacityBps == ThrottledLine.FREE ? 0 : backlogBits * 1_000_000_000L / capacityBps;
                if (delayNanos <= 300_000_000L) {
                    backlogBits += 255 * 8;
                    viewerSide.onPacket(sequence, now + 20_000_000L + delayNanos);
                }
            }
            return padding;
        }

        private void report() {
            ByteBuf feedback = Unpooled.buffer();
            try {
                viewerSide.writeFeedback(feedback);
                for (int at = 0; at < feedback.writerIndex(); at += (feedback.getUnsignedShort(at + 2) + 1) * 4) {
                    bandwidth.probeArrivals().onFeedback(feedback, at, (feedback.getUnsignedShort(at + 2) + 1) * 4);
                }
            } finally {
                feedback.release();
            }
        }
    }

    /** A probe step's padding per tick from layer 0 (need 214 kbit/s) with the given estimate. */
    private static int probeStepBytes(long estimateBps) {
        long target = Math.min(620_400, (long) (estimateBps * LayerControl.PROBE_STEP));
        return (int) ((target - 214_000) * TICK / 1_000_000_000L / 8);
    }

    private void skipInitialBursts() {
        control.takeInitialBurst();
        control.takeInitialBurst();
    }

    /** One 100 ms tick: decide, then the padding it asks for. */
    private int tick() {
        now += TICK;
        control.decide(bandwidth, LAYERS, now);
        return control.paddingBytes(bandwidth, LAYERS, now);
    }
}
