package org.citizenreception.client.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TransportCcReceiverTest {
    private static final long T0 = 5_000_000_000L;

    @Test
    void aFeedbackReportsEachPacketSinceTheLastOneWithItsArrivalDeltaIn250MicrosecondTicks() {
        TransportCcReceiver receiver = new TransportCcReceiver();
        receiver.onPacket(100, T0);
        receiver.onPacket(101, T0 + 1_000_000);
        receiver.onPacket(103, T0 + 2_500_000); // 102 lost
        byte[] out = new byte[TransportCcReceiver.maxFeedbackBytes()];

        int length = receiver.writeFeedback(out, 0x11223344L, 0x55667788L);

        // RTPFB/15, 7 words; SSRCs; base 100, 4 statuses, reference 0, count 0; one-bit vector
        // received, received, lost, received (0xB400); deltas 0, 4, 6 ticks; three bytes of padding to the word.
        assertThat(HexFormat.of().formatHex(out, 0, length))
                .isEqualTo("8fcd0006" + "11223344" + "55667788" + "0064" + "0004" + "000000" + "00" + "b400" + "000406" + "000000");
    }

    @Test
    void theNextFeedbackStartsWhereTheLastEndedAndCountsFeedbacks() {
        TransportCcReceiver receiver = new TransportCcReceiver();
        byte[] out = new byte[TransportCcReceiver.maxFeedbackBytes()];
        receiver.onPacket(65_535, T0);
        receiver.writeFeedback(out, 1, 2);
        assertThat(receiver.hasPending()).isFalse();
        receiver.onPacket(0, T0 + 70_000_000); // wraps; 70 ms later: reference 1 (64 ms), 6 ms = 24 ticks after it
        receiver.onPacket(65_534, T0 + 71_000_000); // already reported: not again

        int length = receiver.writeFeedback(out, 1, 2);

        assertThat(length).isEqualTo(24);
        assertThat(HexFormat.of().formatHex(out, 12, 20)).isEqualTo("0000" + "0001" + "000001" + "01");
        assertThat(out[20] & 0xFF).isEqualTo(0x80 | 0x20); // one-bit vector: one received packet
        assertThat(out[22]).isEqualTo((byte) 24);
    }

    @Test
    void longRunsUseRunLengthChunksAndLargeGapsTwoBitSymbols() {
        TransportCcReceiver receiver = new TransportCcReceiver();
        for (int i = 0; i < 20; i++) {
            receiver.onPacket(i, T0 + i * 250_000L); // one tick apart: 20 small deltas
        }
        receiver.onPacket(20, T0 + 19 * 250_000L + 100_000_000L); // 100 ms later: a large delta (400 ticks)
        byte[] out = new byte[TransportCcReceiver.maxFeedbackBytes()];

        receiver.writeFeedback(out, 1, 2);

        assertThat(((out[20] & 0xFF) << 8) | (out[21] & 0xFF)).isEqualTo((1 << 13) | 20); // run of 20 "small"
        assertThat(out[22] & 0xC0).isEqualTo(0xC0); // then a two-bit vector for the large one
        assertThat(((out[22] & 0x3F) >> 4)).isEqualTo(2);
    }

    @Test
    void theIntervalFollowsLibwebrtcs5PercentRuleWithin50To250Milliseconds() {
        assertThat(TransportCcReceiver.intervalNanos(2_500_000)).isEqualTo(TransportCcReceiver.MIN_INTERVAL_NANOS);
        assertThat(TransportCcReceiver.intervalNanos(20_000)).isEqualTo(TransportCcReceiver.MAX_INTERVAL_NANOS);
        assertThat(TransportCcReceiver.intervalNanos(0)).isEqualTo(100_000_000L);
    }
}
