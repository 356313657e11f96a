package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.citizenreception.media.rtcp.TransportCcRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A probe step's padding judged on the arrivals the viewer reports: the feedback is written by the
 * bridge's own transport-cc encoder (as a libwebrtc viewer would write it) from the arrival times
 * each case gives, 100 packets sent 10 ms apart.
 */
class ProbeArrivalsTest {
    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS;
    private static final int PACKETS = 100;

    private final ProbeArrivals arrivals = new ProbeArrivals();
    private final TransportCcRecorder viewer = new TransportCcRecorder(1, 2, 100, () -> 0L);
    private final ByteBuf feedback = Unpooled.buffer();

    @AfterEach
    void release() {
        feedback.release();
    }

    @Test
    void paddingThatArrivesAsSpacedAsItWasSentIsCarriedOnceAllOfItIsReported() {
        int first = arrivals.nextSequence();
        long[] sent = send(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            // a constant 40 ms on the way, give or take 5 ms of the receiving machine's scheduling
            arrive(first + i, sent[i] + 40 * MS + (i % 3) * 5 * MS + 700_000_000_000L);
            if (i == PACKETS / 2) {
                report();
                assertThat(arrivals.judge(first, false, sent[i])).as("half reported, the step still sending").isEqualTo(ProbeArrivals.Verdict.PENDING);
            }
        }
        assertThat(arrivals.judge(first, true, sent[PACKETS - 1])).as("the last half not reported yet").isEqualTo(ProbeArrivals.Verdict.PENDING);
        report();
        assertThat(arrivals.judge(first, true, sent[PACKETS - 1] + 50 * MS)).isEqualTo(ProbeArrivals.Verdict.CARRIED);
    }

    @Test
    void aQueueGrowingBehindTheProbeRefusesItBeforeTheStepEnds() {
        int first = arrivals.nextSequence();
        long[] sent = send(PACKETS / 2);
        for (int i = 0; i < PACKETS / 2; i++) {
            // a 300 kbit/s line probed at 450: the queue grows by half of each interval
            arrive(first + i, sent[i] + 20 * MS + i * 5 * MS);
        }
        report();
        assertThat(arrivals.judge(first, false, sent[PACKETS / 2 - 1])).isEqualTo(ProbeArrivals.Verdict.REFUSED);
    }

    @Test
    void aStepWithMoreThanATenthOfItsPacketsLostIsRefused() {
        int first = arrivals.nextSequence();
        long[] sent = send(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            if (i % 8 != 0) {
                arrive(first + i, sent[i] + 30 * MS);
            }
        }
        report();
        assertThat(arrivals.judge(first, false, sent[PACKETS - 1])).isEqualTo(ProbeArrivals.Verdict.REFUSED);
    }

    @Test
    void packetsNeverReportedCountAsLostHalfASecondAfterTheStepsLastWasSent() {
        int first = arrivals.nextSequence();
        long[] sent = send(PACKETS);
        for (int i = 0; i < 90; i++) {
            arrive(first + i, sent[i] + 30 * MS);
        }
        report();
        long last = sent[PACKETS - 1];
        assertThat(arrivals.judge(first, true, last + ProbeArrivals.REPORT_WITHIN_NANOS - MS)).isEqualTo(ProbeArrivals.Verdict.PENDING);
        assertThat(arrivals.judge(first, true, last + ProbeArrivals.REPORT_WITHIN_NANOS))
                .as("10 of 100 lost: over the 5 % a clean line may lose").isEqualTo(ProbeArrivals.Verdict.REFUSED);
    }

    @Test
    void aPacketReportedLostThenReportedArrivedCountsAsArrived() {
        int first = arrivals.nextSequence();
        long[] sent = send(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            if (i != 10) {
                arrive(first + i, sent[i] + 30 * MS);
            }
        }
        report(); // 10 reported lost: the recorder saw a gap
        ByteBuf late = Unpooled.buffer();
        TransportCcRecorder again = new TransportCcRecorder(1, 2, 100, () -> 0L);
        again.onPacket((first + 10) & 0xFFFF, sent[10] + 35 * MS);
        again.writeFeedback(late);
        arrivals.onFeedback(late, 0, late.readableBytes());
        late.release();
        assertThat(arrivals.judge(first, true, sent[PACKETS - 1] + 10 * MS)).isEqualTo(ProbeArrivals.Verdict.CARRIED);
    }

    @Test
    void feedbackForSequenceNumbersNeverSentIsIgnoredAndAStepWithoutPaddingIsNotProven() {
        int first = arrivals.nextSequence();
        assertThat(arrivals.judge(first, true, START)).isEqualTo(ProbeArrivals.Verdict.REFUSED);
        long[] sent = send(20);
        for (int i = 0; i < 20; i++) {
            arrive(first + i, sent[i] + 30 * MS);
        }
        arrive(first + 500, sent[19] + 40 * MS);
        report();
        assertThat(arrivals.judge(first, true, sent[19] + 10 * MS)).as("sequence numbers 20-499 were never sent")
                .isEqualTo(ProbeArrivals.Verdict.CARRIED);
        assertThat(arrivals.stamped()).isEqualTo(20);
    }

    private long[] send(int count) {
        long[] sent = new long[count];
        for (int i = 0; i < count; i++) {
            sent[i] = START + i * 10 * MS;
            arrivals.stamp(sent[i]);
        }
        return sent;
    }

    private void arrive(int sequence, long arrivalNanos) {
        viewer.onPacket(sequence & 0xFFFF, arrivalNanos);
    }

    private void report() {
        feedback.clear();
        viewer.writeFeedback(feedback);
        int at = 0;
        while (at < feedback.writerIndex()) {
            int length = (feedback.getUnsignedShort(at + 2) + 1) * 4;
            arrivals.onFeedback(feedback, at, length);
            at += length;
        }
    }
}
