package org.citizenreception.client.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    @Test
    void countsLossAcrossTheSixteenBitWrap() {
        SequenceTracker t = new SequenceTracker();
        for (int s = 65_530; s < 65_536 + 10; s++) {
            if (s != 65_535 && s != 65_537) {
                t.record(s & 0xFFFF);
            }
        }
        assertThat(t.expected()).isEqualTo(16);
        assertThat(t.received()).isEqualTo(14);
        assertThat(t.lost()).isEqualTo(2);
        assertThat(t.highest()).isEqualTo(65_545);
    }

    @Test
    void aLatePacketIsReorderedAndFillsItsGapWhileARepeatIsADuplicate() {
        SequenceTracker t = new SequenceTracker();
        assertThat(t.record(10)).isEqualTo(SequenceTracker.Kind.NEW);
        assertThat(t.record(12)).isEqualTo(SequenceTracker.Kind.NEW);
        assertThat(t.lost()).isEqualTo(1);
        assertThat(t.record(11)).isEqualTo(SequenceTracker.Kind.REORDERED);
        assertThat(t.record(11)).isEqualTo(SequenceTracker.Kind.DUPLICATE);
        assertThat(t.record(12)).isEqualTo(SequenceTracker.Kind.DUPLICATE);
        assertThat(t.lost()).isZero();
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.duplicates()).isEqualTo(2);
    }

    @Test
    void aReorderAcrossTheWrapIsNotMistakenForAJumpForward() {
        SequenceTracker t = new SequenceTracker();
        t.record(65_534);
        t.record(0);
        assertThat(t.record(65_535)).isEqualTo(SequenceTracker.Kind.REORDERED);
        assertThat(t.lost()).isZero();
        assertThat(t.expected()).isEqualTo(3);
    }
}
