package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The estimate from constructed REMB and receiver-report sequences: deterministic, no clock but the one passed. */
class ViewerBandwidthTest {
    private static final long SECOND = 1_000_000_000L;
    private final ViewerBandwidth bandwidth = new ViewerBandwidth();

    @Test
    void thereIsNoEstimateBeforeTheViewersFirstRembAndThenItIsTheRemb() {
        assertThat(bandwidth.estimateBps()).isEqualTo(-1);
        assertThat(bandwidth.rembBps()).isEqualTo(-1);
        bandwidth.onFractionLost(0, SECOND);
        assertThat(bandwidth.estimateBps()).as("a report without a REMB says nothing of the rate").isEqualTo(-1);
        bandwidth.onRemb(1_200_000, 2 * SECOND);
        assertThat(bandwidth.estimateBps()).isEqualTo(1_200_000);
        assertThat(bandwidth.lastRembRose()).as("a first REMB is no rise").isFalse();
        assertThat(bandwidth.lastRembNanos()).isEqualTo(2 * SECOND);
        bandwidth.onRemb(1_300_000, 3 * SECOND);
        assertThat(bandwidth.estimateBps()).isEqualTo(1_300_000);
        assertThat(bandwidth.lastRembRose()).isTrue();
        bandwidth.onRemb(1_300_000, 4 * SECOND);
        assertThat(bandwidth.lastRembRose()).as("repeated, not risen").isFalse();
        assertThat(bandwidth.lastRembNanos()).isEqualTo(4 * SECOND);
    }

    @Test
    void heavyLossCapsTheEstimateUntilTheLineIsCleanAgain() {
        bandwidth.onRemb(1_000_000, SECOND);
        bandwidth.onFractionLost(64, 2 * SECOND); // 25 %: the estimate times (1 - 0.25 / 2)
        assertThat(bandwidth.estimateBps()).isEqualTo(875_000);
        bandwidth.onRemb(1_100_000, 3 * SECOND);
        assertThat(bandwidth.estimateBps()).as("a REMB does not lift the loss cap").isEqualTo(875_000);
        bandwidth.onFractionLost(10, 4 * SECOND); // 4 %: neither caps further nor clears
        assertThat(bandwidth.estimateBps()).isEqualTo(875_000);
        bandwidth.onFractionLost(2, 5 * SECOND);
        assertThat(bandwidth.estimateBps()).isEqualTo(1_100_000);
    }

    @Test
    void reportsInQuickSuccessionLowerTheCapOnceASecondNotEachTime() {
        bandwidth.onRemb(300_000, SECOND);
        bandwidth.onFractionLost(128, 2 * SECOND); // 50 %: times 0.75
        assertThat(bandwidth.estimateBps()).isEqualTo(225_000);
        for (long t = 2 * SECOND + SECOND / 5; t < 3 * SECOND; t += SECOND / 5) {
            bandwidth.onFractionLost(128, t); // the next reports still count the loss the first one did
        }
        assertThat(bandwidth.estimateBps()).as("one step within the second").isEqualTo(225_000);
        bandwidth.onFractionLost(128, 3 * SECOND);
        assertThat(bandwidth.estimateBps()).as("loss that lasts lowers it again").isEqualTo(168_750);
        assertThat(bandwidth.rembBps()).as("the REMB itself is kept apart").isEqualTo(300_000);
    }

    @Test
    void lightLossLeavesTheEstimateToTheDelayBasedRemb() {
        bandwidth.onRemb(800_000, SECOND);
        bandwidth.onFractionLost(ViewerBandwidth.LOSS_CAP_ABOVE, 2 * SECOND);
        assertThat(bandwidth.estimateBps()).isEqualTo(800_000);
    }

    @Test
    void aFallOfMoreThanATenthIsNotedWithItsTimeAndASmallerOneIsNot() {
        bandwidth.onRemb(1_000_000, SECOND);
        assertThat(bandwidth.lastFallNanos()).isEqualTo(Long.MIN_VALUE);
        bandwidth.onRemb(920_000, 2 * SECOND);
        assertThat(bandwidth.lastFallNanos()).isEqualTo(Long.MIN_VALUE);
        bandwidth.onRemb(700_000, 3 * SECOND);
        assertThat(bandwidth.lastFallNanos()).isEqualTo(3 * SECOND);
        bandwidth.onRemb(2_000_000, 4 * SECOND);
        assertThat(bandwidth.lastFallNanos()).as("a rise is no fall").isEqualTo(3 * SECOND);
    }
}
