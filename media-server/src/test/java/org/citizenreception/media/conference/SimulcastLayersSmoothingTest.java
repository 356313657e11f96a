package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A layer's bitrate over successive one-second windows, as the layer policy reads it. */
class SimulcastLayersSmoothingTest {
    @Test
    void aWindowSwollenByKeyframesDoesNotCountButARiseThatLastsDoesASecondLater() {
        assertThat(SimulcastLayers.smoothed(1_100_000, 2_030_000)).isEqualTo(1_100_000);
        assertThat(SimulcastLayers.smoothed(2_030_000, 1_100_000)).as("and back next window").isEqualTo(1_100_000);
        assertThat(SimulcastLayers.smoothed(1_500_000, 1_600_000)).isEqualTo(1_500_000);
    }

    @Test
    void aLayerThatStopsReadsZeroAtOnceAndOneThatStartsReadsItsFirstWindow() {
        assertThat(SimulcastLayers.smoothed(1_500_000, 0)).as("no viewer waits on a paused layer").isZero();
        assertThat(SimulcastLayers.smoothed(0, 700_000)).isEqualTo(700_000);
    }
}
