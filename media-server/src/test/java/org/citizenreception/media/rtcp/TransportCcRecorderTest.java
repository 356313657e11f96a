package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.rtp.Bytes;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.citizenreception.media.rtp.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TransportCcRecorderTest {
    private static final long MS = 1_000_000L;
    private final FakeNanoClock clock = new FakeNanoClock();
    private final TransportCcRecorder recorder = new TransportCcRecorder(1, 0x11223344, 100, clock);
    private final ByteBuf out = Bytes.buffer();

    @AfterEach
    void release() {
        assertThat(out.release()).isTrue();
    }

    @Test
    void reportsArrivalsAndLossesRelativeToA64MillisecondReferenceTime() {
        long t0 = 640 * MS; // exactly reference tick 10
        recorder.onPacket(100, t0 + 1 * MS);
        recorder.onPacket(102, t0 + 3 * MS);
        recorder.onPacket(103, t0 + 3 * MS + 250_000);

        assertThat(recorder.writeFeedback(out)).isEqualTo(1);
        assertThat(TransportCcFeedback.baseSequenceNumber(out, 0)).isEqualTo(100);
        assertThat(TransportCcFeedback.packetStatusCount(out, 0)).isEqualTo(4);
        assertThat(TransportCcFeedback.referenceTime64ms(out, 0)).isEqualTo(10);
        assertThat(TransportCcFeedback.feedbackPacketCount(out, 0)).isZero();
        assertThat(FeedbackHeader.mediaSsrc(out, 0)).isEqualTo(0x11223344);
        assertThat(visit(0)).containsExactly("100:4", "101:lost", "102:8", "103:1");
        assertThat(recorder.hasUnreported()).isFalse();
    }

    @Test
    void feedbackIsDueEveryIntervalOnlyWhenThereIsSomethingToReport() {
        assertThat(recorder.isFeedbackDue()).isFalse();
        recorder.onPacket(1);
        assertThat(recorder.isFeedbackDue()).isFalse();
        clock.advanceMillis(100);
        assertThat(recorder.isFeedbackDue()).isTrue();
        recorder.writeFeedback(out);
        clock.advanceMillis(100);
        assertThat(recorder.isFeedbackDue()).isFalse();
    }

    @Test
    void continuesAcrossTheWrapAndCountsFeedbackPackets() {
        recorder.onPacket(65534, 0);
        recorder.writeFeedback(out);
        int second = out.writerIndex();
        recorder.onPacket(65535, MS);
        recorder.onPacket(0, 2 * MS);
        recorder.writeFeedback(out);
        assertThat(TransportCcFeedback.baseSequenceNumber(out, second)).isEqualTo(65535);
        assertThat(TransportCcFeedback.feedbackPacketCount(out, second)).isEqualTo(1);
        assertThat(visit(second)).containsExactly("65535:4", "0:4");
    }

    @Test
    void aPacketArrivingAfterItWasReportedLostIsNotReportedAgain() {
        recorder.onPacket(10, 0);
        recorder.onPacket(12, MS);
        recorder.writeFeedback(out);
        recorder.onPacket(11, 2 * MS);
        assertThat(recorder.hasUnreported()).isFalse();
    }

    @Test
    void reorderedArrivalsGetNegativeDeltas() {
        recorder.onPacket(1, 10 * MS);
        recorder.onPacket(3, 12 * MS);
        recorder.onPacket(2, 13 * MS);
        recorder.writeFeedback(out);
        // 64 ms tick 0: packet 1 at 10 ms (40 ticks), 2 at 13 ms (+12), 3 at 12 ms (-4, a large delta)
        assertThat(visit(0)).containsExactly("1:40", "2:12", "3:-4");
    }

    @Test
    void manyPacketsOrALongGapSplitIntoSeveralFeedbackPackets() {
        for (int seq = 0; seq < 450; seq++) {
            recorder.onPacket(seq, seq * MS);
        }
        recorder.onPacket(450, 450 * MS + 10_000 * MS); // 10 s later: beyond a 16-bit delta
        assertThat(recorder.writeFeedback(out)).isEqualTo(3);
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(out);
        List<Integer> counts = new ArrayList<>();
        while (cursor.next()) {
            counts.add(TransportCcFeedback.packetStatusCount(out, cursor.offset()));
        }
        assertThat(cursor.isMalformed()).isFalse();
        assertThat(counts).containsExactly(400, 50, 1);
    }

    private List<String> visit(int at) {
        List<String> seen = new ArrayList<>();
        int length = RtcpHeader.packetLength(out, at);
        assertThat(TransportCcFeedback.visitPackets(out, at, length,
                (seq, received, delta) -> seen.add(seq + ":" + (received ? String.valueOf(delta) : "lost")))).isTrue();
        return seen;
    }
}
