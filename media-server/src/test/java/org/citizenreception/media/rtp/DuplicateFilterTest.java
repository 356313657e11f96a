package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {
    private final DuplicateFilter filter = new DuplicateFilter();

    @Test
    void passesEachSequenceNumberOnceInAnyOrder() {
        filter.restartAt(65534);
        assertThat(filter.firstTimeSeen(65534)).isTrue();
        assertThat(filter.firstTimeSeen(1)).isTrue();
        assertThat(filter.firstTimeSeen(65535)).isTrue();
        assertThat(filter.firstTimeSeen(0)).isTrue();
        assertThat(filter.firstTimeSeen(0)).isFalse();
        assertThat(filter.firstTimeSeen(65534)).isFalse();
    }

    @Test
    void reorderedPacketsStillPassLongAfterTheStart() {
        filter.restartAt(10);
        for (int i = 0; i < 100_000; i++) {
            if (i != 99_990) {
                assertThat(filter.firstTimeSeen((10 + i) & 0xFFFF)).isTrue();
            }
        }
        assertThat(filter.firstTimeSeen((10 + 99_990) & 0xFFFF)).as("10 behind, after 100,000 packets").isTrue();
    }

    @Test
    void nothingBeforeTheStartPasses() {
        filter.restartAt(100);
        assertThat(filter.firstTimeSeen(99)).isFalse();
        assertThat(filter.firstTimeSeen(100)).isTrue();
    }

    @Test
    void packetsOlderThanTheWindowAreRefusedAndAJumpClearsIt() {
        filter.restartAt(0);
        assertThat(filter.firstTimeSeen(0)).isTrue();
        assertThat(filter.firstTimeSeen(1000)).isTrue();
        assertThat(filter.firstTimeSeen(1000 - DuplicateFilter.WINDOW)).isFalse();
        assertThat(filter.firstTimeSeen(1000 - DuplicateFilter.WINDOW + 1)).isTrue();
        assertThat(filter.firstTimeSeen(999)).isTrue();
    }
}
