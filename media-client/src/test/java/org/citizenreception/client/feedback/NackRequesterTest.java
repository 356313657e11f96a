package org.citizenreception.client.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NackRequesterTest {
    private static final long RTT = 100_000_000L;
    private final NackRequester nacks = new NackRequester(RTT);
    private final int[] out = new int[64];

    @Test
    void aGapIsNackedAtOnceThenOncePerRoundTrip() {
        nacks.onPacket(10);
        assertThat(nacks.onPacket(13)).isTrue();

        assertThat(nacks.due(0, out)).isEqualTo(2);
        assertThat(out[0]).isEqualTo(11);
        assertThat(out[1]).isEqualTo(12);
        assertThat(nacks.due(RTT - 1, out)).isZero();
        assertThat(nacks.due(RTT, out)).isEqualTo(2);
    }

    @Test
    void aRepairedPacketIsNoLongerRequested() {
        nacks.onPacket(10);
        nacks.onPacket(13);
        nacks.due(0, out);
        nacks.onPacket(11);

        assertThat(nacks.due(RTT, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(12);
        assertThat(nacks.takeKeyframeNeeded()).isFalse();
    }

    @Test
    void afterTenTriesTheLossIsGivenUpAndAKeyframeIsNeeded() {
        nacks.onPacket(1);
        nacks.onPacket(3);
        for (int i = 0; i < NackRequester.MAX_RETRIES; i++) {
            assertThat(nacks.due(i * RTT, out)).isEqualTo(1);
        }
        assertThat(nacks.takeKeyframeNeeded()).isFalse();

        assertThat(nacks.due(NackRequester.MAX_RETRIES * RTT, out)).isZero();

        assertThat(nacks.takeKeyframeNeeded()).isTrue();
        assertThat(nacks.takeKeyframeNeeded()).isFalse();
        assertThat(nacks.pending()).isZero();
        assertThat(nacks.givenUp()).isEqualTo(1);
    }

    @Test
    void aGapLargerThanTheListClearsItAndNeedsAKeyframe() {
        nacks.onPacket(0);
        nacks.onPacket(NackRequester.MAX_LIST + 10L);

        assertThat(nacks.takeKeyframeNeeded()).isTrue();
        assertThat(nacks.pending()).isLessThan(NackRequester.MAX_LIST);
    }
}
