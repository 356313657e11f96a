package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.ViewerStats;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.Endpoint;
import org.citizenreception.media.conference.SlotName;
import org.junit.jupiter.api.Test;

/**
 * A generator viewer in libwebrtc mode against a real bridge in this JVM (real UDP on loopback):
 * the bridge authenticates and counts every feedback packet it sent, answers its NACKs with
 * retransmissions (its own counter), and the viewer's loss is repaired.
 */
class GeneratorFeedbackReachesTheServerTest {
    @Test
    void theBridgeCountsEveryFeedbackPacketAndServesTheViewersNacks() throws Exception {
        try (MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                new SimpleMeterRegistry()); ClientGroup group = ClientGroup.create(2, 4)) {
            Conference conference = bridge.createConference("feedback");
            Publisher publisher = group.publisher(PeerOptions.defaults().videoBitrateBps(1_000_000));
            publisher.connect(Signaller.direct(offer -> conference.publish("host", offer, SlotName.MAIN).sdpAnswer()))
                    .get(30, TimeUnit.SECONDS);
            Viewer viewer = group.viewer(PeerOptions.defaults().libwebrtcFeedback(true).dropEveryNthVideoPacket(40));
            viewer.connect(Signaller.direct(offer -> conference.subscribe("room-1", offer).sdpAnswer()))
                    .get(30, TimeUnit.SECONDS);
            Endpoint endpoint = conference.endpoint("room-1").orElseThrow();

            // 30 s: jitsi-srtp benchmarks its AES providers on first use, seconds on a loaded machine.
            waitUntil(() -> viewer.rtcpPacketsSent() >= 8 && bridge.metrics().nacksServedCount() > 0
                    && retransmissions(viewer.stats()) > 0, 30_000);
            long sentSoFar = viewer.rtcpPacketsSent();
            // The viewer's endpoint receives nothing but this feedback over SRTCP (STUN is not counted there).
            waitUntil(() -> endpoint.stats().packetsReceived() >= sentSoFar, 10_000);
            ViewerStats stats = viewer.stats();
            System.out.printf("viewer sent %d feedback packets (%d transport-cc, %d with REMB), %d NACKs, %d PLIs;"
                            + " bridge counted %d from it and served %.0f NACKed packets; repaired %d%n",
                    viewer.rtcpPacketsSent(), viewer.transportCcFeedbackSent(), viewer.rembSent(), stats.nacksSent(),
                    stats.plisSent(), endpoint.stats().packetsReceived(), bridge.metrics().nacksServedCount(),
                    retransmissions(stats));

            assertThat(endpoint.stats().packetsReceived()).as("feedback packets the bridge authenticated")
                    .isGreaterThanOrEqualTo(sentSoFar);
            assertThat(viewer.srtpAuthFailures()).isZero();
            assertThat(stats.nacksSent()).isPositive();
            assertThat(viewer.transportCcFeedbackSent() + viewer.rembSent())
                    .as("a bandwidth feedback of either kind (transport-cc when the bridge stamps it, else REMB)").isPositive();
            assertThat(retransmissions(stats)).as("lost packets repaired by the bridge's retransmissions").isPositive();
        }
    }

    private static long retransmissions(ViewerStats stats) {
        return stats.streams().stream().mapToLong(ViewerStats.Stream::retransmissions).sum();
    }

    private static void waitUntil(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
