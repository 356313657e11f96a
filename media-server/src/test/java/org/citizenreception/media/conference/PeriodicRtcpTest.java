package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.citizenreception.media.rtcp.TransportCcRecorder;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.junit.jupiter.api.Test;

/**
 * The transport-cc cadence a publisher gets from the bridge's 100 ms timer: a tick that comes a
 * little early after a late one still sends, so a loaded event loop does not halve the feedback
 * rate the sender's bandwidth probes are judged on.
 */
class PeriodicRtcpTest {
    @Test
    void aTimerTickFiveMillisecondsEarlyAfterALateOneStillSendsTransportCcFeedback() {
        FakeNanoClock clock = new FakeNanoClock();
        TransportCcRecorder recorder = new TransportCcRecorder(1, 2, PeriodicRtcp.TRANSPORT_CC_INTERVAL_MILLIS, clock);
        recorder.onPacket(1);
        clock.advanceMillis(105); // a late tick
        assertThat(recorder.isFeedbackDue()).isTrue();
        ByteBuf out = Unpooled.buffer();
        try {
            recorder.writeFeedback(out);
            recorder.onPacket(2);
            clock.advanceMillis(95); // the next tick, on its fixed-rate schedule again
            assertThat(recorder.isFeedbackDue()).as("due 95 ms after the last feedback").isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void feedbackIsNotSentTwiceWithinOneTimerPeriod() {
        FakeNanoClock clock = new FakeNanoClock();
        TransportCcRecorder recorder = new TransportCcRecorder(1, 2, PeriodicRtcp.TRANSPORT_CC_INTERVAL_MILLIS, clock);
        recorder.onPacket(1);
        clock.advanceMillis(100);
        ByteBuf out = Unpooled.buffer();
        try {
            recorder.writeFeedback(out);
            recorder.onPacket(2);
            clock.advanceMillis(50);
            assertThat(recorder.isFeedbackDue()).as("due 50 ms after the last feedback").isFalse();
        } finally {
            out.release();
        }
    }
}
