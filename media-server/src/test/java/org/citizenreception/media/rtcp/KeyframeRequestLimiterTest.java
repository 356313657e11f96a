package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.junit.jupiter.api.Test;

class KeyframeRequestLimiterTest {
    private static final int SOURCE = 0x1234;
    private final FakeNanoClock clock = new FakeNanoClock();
    private final KeyframeRequestLimiter limiter = new KeyframeRequestLimiter(500, clock);

    @Test
    void aJoinStormOf200ViewersInOneSecondCostsAtMostThreeUpstreamRequests() {
        int upstream = 0;
        long keyframeDueAtMillis = -1;
        for (int millis = 0; millis < 1000; millis++) {
            if (millis == keyframeDueAtMillis) {
                limiter.onKeyframe(SOURCE);
            }
            boolean sent = false;
            if (millis % 5 == 0) { // a viewer joins every 5 ms: 200 in the second
                sent = limiter.onRequest(SOURCE);
            }
            if (millis % 100 == 0) { // the RTCP timer
                sent |= limiter.isOwedRequestDue(SOURCE);
            }
            if (sent) {
                upstream++;
                keyframeDueAtMillis = millis + 80; // the encoder answers in 80 ms
            }
            clock.advanceMillis(1);
        }
        assertThat(limiter.requestsReceived()).isEqualTo(200);
        assertThat(upstream).isBetween(1, 3);
        assertThat(limiter.requestsSent()).isEqualTo(upstream);
    }

    @Test
    void viewersOnManyEventLoopsAtOnceStillCauseOneRequest() throws InterruptedException {
        ExecutorService loops = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger sent = new AtomicInteger();
        for (int viewer = 0; viewer < 200; viewer++) {
            loops.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (limiter.onRequest(SOURCE)) {
                    sent.incrementAndGet();
                }
            });
        }
        start.countDown();
        loops.shutdown();
        assertThat(loops.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sent.get()).isEqualTo(1);
        assertThat(limiter.requestsReceived()).isEqualTo(200);
    }

    @Test
    void aRequestAfterTheKeyframeArrivedIsOwedAndSentWhenTheIntervalEnds() {
        assertThat(limiter.onRequest(SOURCE)).isTrue();
        clock.advanceMillis(50);
        limiter.onKeyframe(SOURCE);
        clock.advanceMillis(50);
        assertThat(limiter.onRequest(SOURCE)).as("inside the interval").isFalse();
        assertThat(limiter.isOwedRequestDue(SOURCE)).isFalse();
        clock.advanceMillis(400);
        assertThat(limiter.isOwedRequestDue(SOURCE)).isTrue();
        assertThat(limiter.isOwedRequestDue(SOURCE)).as("only once").isFalse();
    }

    @Test
    void aRequestWhileTheKeyframeIsPendingIsServedByThatKeyframe() {
        assertThat(limiter.onRequest(SOURCE)).isTrue();
        clock.advanceMillis(100);
        assertThat(limiter.onRequest(SOURCE)).isFalse();
        limiter.onKeyframe(SOURCE);
        clock.advanceMillis(500);
        assertThat(limiter.isOwedRequestDue(SOURCE)).isFalse();
    }

    @Test
    void aLostKeyframeIsRequestedAgainAfterTheInterval() {
        assertThat(limiter.onRequest(SOURCE)).isTrue();
        clock.advanceMillis(499);
        assertThat(limiter.onRequest(SOURCE)).isFalse();
        clock.advanceMillis(1);
        assertThat(limiter.onRequest(SOURCE)).isTrue();
    }

    @Test
    void sourcesAreLimitedIndependentlyAndFirSequenceNumbersCountPerSource() {
        assertThat(limiter.onRequest(1)).isTrue();
        assertThat(limiter.onRequest(2)).isTrue();
        assertThat(limiter.firSequenceNumber(1)).isEqualTo(1);
        clock.advanceMillis(500);
        assertThat(limiter.onRequest(1)).isTrue();
        assertThat(limiter.firSequenceNumber(1)).isEqualTo(2);
        assertThat(limiter.firSequenceNumber(2)).isEqualTo(1);
        limiter.remove(1);
        assertThat(limiter.isOwedRequestDue(1)).isFalse();
    }
}
