package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Probing and pinning, ticked by hand every 100 ms with constructed REMBs. */
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
    void probeStepsTheLineCarriesAreProvenUntilTheNextLayersNeedIsAndTheViewerClimbs() {
        skipInitialBursts();
        bandwidth.onRemb(300_000, now);
        int firstStepBytes = tick();
        assertThat(control.isProbing()).isTrue();
        assertThat(control.probeTargetBps()).as("half above the estimate").isEqualTo(450_000);
        // padding fills from the layer's need (214 kbit/s) to the step: 236 kbit/s, 2,950 bytes a tick
        assertThat(firstStepBytes).isEqualTo(2_950);
        for (int i = 0; i < HOLD_TICKS; i++) {
            tick();
        }
        assertThat(control.provenBps()).isEqualTo(450_000);
        assertThat(control.probeTargetBps()).as("the next step stops at the middle layer's need").isEqualTo(564_000);
        assertThat(control.forwardedLayer()).isZero();
        for (int i = 0; i <= HOLD_TICKS; i++) {
            tick();
        }
        assertThat(control.forwardedLayer()).as("the line carried the middle layer's need").isEqualTo(1);
    }

    @Test
    void aProbeThatMakesTheEstimateFallStopsProbingForAWhileAndForgetsWhatWasProven() {
        skipInitialBursts();
        bandwidth.onRemb(300_000, now);
        for (int i = 0; i <= HOLD_TICKS; i++) {
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
    void aViewerWithoutAnEstimateAfterTwoSecondsIsPaddedToTwiceItsNeedSoItsFirstEstimateStartsHigh() {
        skipInitialBursts();
        assertThat(tick()).as("the first 2 s: its line may be reporting overuse already").isZero();
        for (int i = 1; i < LayerControl.PRE_ESTIMATE_WAIT_NANOS / TICK; i++) {
            assertThat(tick()).isZero();
        }
        // on layer 0 (need 214 kbit/s): padding of another 214 kbit/s, 2,675 bytes a tick
        assertThat(tick()).isEqualTo(2_675);
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

    /** A probe step's padding per tick from layer 0 (need 214 kbit/s) with the given estimate. */
    private static int probeStepBytes(long estimateBps) {
        long target = Math.min(564_000, (long) (estimateBps * LayerControl.PROBE_STEP));
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
