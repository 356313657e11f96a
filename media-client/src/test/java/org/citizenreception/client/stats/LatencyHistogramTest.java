package org.citizenreception.client.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesLandInTheRightBucketAndHistogramsMerge() {
        LatencyHistogram a = new LatencyHistogram();
        for (int i = 1; i <= 99; i++) {
            a.record(100);
        }
        LatencyHistogram b = new LatencyHistogram();
        b.record(5_555);
        a.add(b);
        assertThat(a.count()).isEqualTo(100);
        assertThat(a.percentileMicros(0.5)).isEqualTo(100);
        assertThat(a.percentileMicros(0.99)).isEqualTo(100);
        assertThat(a.percentileMicros(1.0)).isBetween(5_550L, 5_559L);
        assertThat(new LatencyHistogram().percentileMicros(0.5)).isEqualTo(-1);
    }
}
