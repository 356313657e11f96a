package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.citizenreception.media.rtp.Bytes;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.citizenreception.media.rtp.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ReceptionStatisticsTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final ReceptionStatistics stats = new ReceptionStatistics(0x11223344, 90_000, clock);

    @Test
    void lossIsCountedCumulativelyAndAsAFractionOfTheInterval() {
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 4) {
                stats.onPacket(seq, seq * 3000);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(2);
        assertThat(block()).startsWith("11223344" + "33" + "000002" + "00000009"); // 2/10 * 256 = 51
        for (int seq = 10; seq < 20; seq++) {
            stats.onPacket(seq, seq * 3000);
        }
        assertThat(block()).as("no loss in the second interval").startsWith("11223344" + "00" + "000002" + "00000013");
    }

    @Test
    void theExtendedHighestSequenceNumberCountsWraps() {
        for (int seq = 65530; seq < 65536 + 5; seq++) {
            stats.onPacket(seq & 0xFFFF, 0);
        }
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(65536 + 4);
        assertThat(stats.cumulativeLost()).isZero();
        stats.onPacket(65535, 0); // a late duplicate from before the wrap
        assertThat(stats.extendedHighestSequenceNumber()).isEqualTo(65536 + 4);
        assertThat(stats.cumulativeLost()).isEqualTo(-1);
    }

    @Test
    void jitterIsZeroForEvenArrivalsAndGrowsWithUnevenOnes() {
        for (int seq = 0; seq < 50; seq++) {
            stats.onPacket(seq, seq * 900);
            clock.advanceMillis(10);
        }
        assertThat(stats.jitter()).isZero();
        for (int seq = 50; seq < 100; seq++) {
            stats.onPacket(seq, seq * 900);
            clock.advanceMillis(seq % 2 == 0 ? 5 : 15); // +-5 ms = 450 ticks of deviation
        }
        assertThat(stats.jitter()).isBetween(300L, 450L);
    }

    @Test
    void echoesTheLastSenderReportWithTheDelaySinceIt() {
        stats.onPacket(1, 0);
        stats.onSenderReport(0xe54f0e1a80000000L);
        clock.advanceMillis(500);
        assertThat(block()).endsWith("0e1a8000" + "00008000");
    }

    @Test
    void aJumpBeyondTheDropoutRestartsTheSequence() {
        stats.onPacket(100, 0);
        stats.onPacket(100 + ReceptionStatistics.MAX_DROPOUT + 1, 0);
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.packetsReceived()).isEqualTo(1);
    }

    private String block() {
        ByteBuf out = Bytes.buffer();
        try {
            stats.writeReportBlock(out);
            assertThat(out.readableBytes()).isEqualTo(ReportBlock.LENGTH);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }
}
