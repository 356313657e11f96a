package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.stats.TimedWorkMeter;
import org.citizenreception.media.testing.LightweightViewer;
import org.junit.jupiter.api.Test;

/**
 * The sender reports a viewer gets from the bridge's one-second tick over real SRTCP: one a second
 * for a stream that carries packets, none for a stream that carried nothing since its last report
 * (RFC 3550 §6.4), and again once packets flow. Time is counted in the bridge's own ticks, never slept.
 */
class SenderReportsToViewersTest {
    @Test
    void aViewerGetsSenderReportsWhileItsStreamCarriesPacketsAndNoneWhileItIsSilent() throws Exception {
        try (MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                new SimpleMeterRegistry());
             LightweightViewer host = new LightweightViewer(true);
             LightweightViewer viewer = new LightweightViewer()) {
            Conference conference = bridge.createConference("reports");
            host.connect(conference.publish("host", host.offer(), SlotName.MAIN).sdpAnswer());
            viewer.connect(conference.subscribe("room", viewer.offer()).sdpAnswer());
            Endpoint hostEndpoint = conference.endpoint("host").orElseThrow();
            host.startAudio(127);
            awaitTrue(() -> hostEndpoint.stats().packetsReceived() > 0, "the host's audio at the bridge");
            host.sendSenderReport();
            awaitTrue(() -> viewer.senderReportsReceived() >= 2, "two sender reports while audio flows");

            TimedWorkMeter tick = bridge.metrics().timedWork("tick");
            host.pauseAudio(true);
            long viewerPackets = viewer.packetsReceived();
            awaitTicks(tick, 3); // what was in flight, its report, and a tick for that report to arrive
            assertThat(viewer.packetsReceived()).as("the audio stopped").isLessThanOrEqualTo(viewerPackets + 10);
            long reportsWhenSilent = viewer.senderReportsReceived();
            awaitTicks(tick, 3);
            assertThat(viewer.senderReportsReceived()).as("no report for a stream that sent nothing since the last")
                    .isEqualTo(reportsWhenSilent);

            host.pauseAudio(false);
            awaitTrue(() -> viewer.senderReportsReceived() > reportsWhenSilent, "reports once audio flows again");
        }
    }

    /** Waits for {@code count} more runs of the bridge's one-second tick to end. */
    private static void awaitTicks(TimedWorkMeter tick, int count) {
        long target = tick.runs() + count;
        awaitTrue(() -> tick.runs() >= target, count + " ticks");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for " + what).isLessThan(deadline);
            try {
                TimeUnit.MILLISECONDS.sleep(20); // polling a condition, not synchronising on time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
