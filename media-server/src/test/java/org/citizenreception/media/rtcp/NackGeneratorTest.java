package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final NackGenerator nacks = new NackGenerator(3, 10, 100, clock);
    private final int[] lost = new int[64];

    @Test
    void aGapIsNackedOnlyAfterTheReorderTolerance() {
        nacks.onPacket(100);
        nacks.onPacket(103);
        assertThat(nacks.missingCount()).isEqualTo(2);
        assertThat(due()).isEmpty();
        clock.advanceMillis(10);
        assertThat(due()).containsExactly(101, 102);
    }

    @Test
    void aReorderedPacketIsNeverNacked() {
        nacks.onPacket(100);
        nacks.onPacket(102);
        clock.advanceMillis(3);
        nacks.onPacket(101);
        clock.advanceMillis(20);
        assertThat(due()).isEmpty();
        assertThat(nacks.missingCount()).isZero();
    }

    @Test
    void retriesEveryIntervalThenGivesUp() {
        nacks.onPacket(1);
        nacks.onPacket(3);
        clock.advanceMillis(10);
        assertThat(due()).containsExactly(2);
        clock.advanceMillis(50);
        assertThat(due()).as("before the retry interval").isEmpty();
        clock.advanceMillis(50);
        assertThat(due()).containsExactly(2);
        clock.advanceMillis(100);
        assertThat(due()).containsExactly(2);
        clock.advanceMillis(100);
        assertThat(due()).as("three NACKs sent: give up").isEmpty();
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.abandonedCount()).isEqualTo(1);
    }

    @Test
    void aRetransmissionStopsTheRetries() {
        nacks.onPacket(1);
        nacks.onPacket(3);
        clock.advanceMillis(10);
        assertThat(due()).containsExactly(2);
        nacks.onPacket(2);
        clock.advanceMillis(200);
        assertThat(due()).isEmpty();
    }

    @Test
    void gapsAcrossTheWrapComeOutOldestFirst() {
        nacks.onPacket(65533);
        nacks.onPacket(2);
        clock.advanceMillis(10);
        assertThat(due()).containsExactly(65534, 65535, 0, 1);
    }

    @Test
    void aJumpBeyondTheWindowIsARestartNotAThousandLosses() {
        nacks.onPacket(10);
        nacks.onPacket(10 + 5000);
        assertThat(nacks.missingCount()).isZero();
        nacks.onPacket(10 + 5002);
        clock.advanceMillis(10);
        assertThat(due()).containsExactly(10 + 5001);
    }

    @Test
    void aBackwardJumpBeyondTheWindowIsARestartToo() {
        nacks.onPacket(30_000);
        nacks.onPacket(10);
        nacks.onPacket(12);
        clock.advanceMillis(10);
        assertThat(due()).containsExactly(11);
    }

    @Test
    void duplicatesAndOldPacketsChangeNothing() {
        nacks.onPacket(50);
        nacks.onPacket(50);
        nacks.onPacket(40);
        assertThat(nacks.missingCount()).isZero();
    }

    private int[] due() {
        return Arrays.copyOf(lost, nacks.collectDue(lost));
    }
}
