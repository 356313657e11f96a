package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {
    @Test
    void zeroIsNewerThan65535() {
        assertThat(SequenceNumbers.isNewer(0, 65535)).isTrue();
        assertThat(SequenceNumbers.isNewer(65535, 0)).isFalse();
        assertThat(SequenceNumbers.delta(65530, 5)).isEqualTo(11);
        assertThat(SequenceNumbers.delta(5, 65530)).isEqualTo(-11);
    }

    @Test
    void addWrapsAround() {
        assertThat(SequenceNumbers.add(65535, 1)).isZero();
        assertThat(SequenceNumbers.add(0, -1)).isEqualTo(65535);
    }
}
