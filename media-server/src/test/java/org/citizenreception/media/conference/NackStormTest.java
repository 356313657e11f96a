package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.RetransmissionLimits;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LightweightViewer;
import org.citizenreception.media.testing.LightweightViewer.SimulatedLoss;
import org.junit.jupiter.api.Test;

/**
 * A viewer's NACKs cannot make the bridge amplify: one SRTCP packet naming thousands of packets,
 * sent again and again, gets each packet at most once per resend interval and no more bytes than
 * the viewer's retransmission budget; the rest is dropped and counted, and another viewer of the
 * same stream keeps getting its media and its own repairs.
 *
 * <p>The limits are set small (16 kbit/s, a 4 KB burst, one resend per packet per minute) so that
 * a 640x360 stream's 3 s history is far more than the budget and every repeat falls in the interval.
 */
class NackStormTest {
    private static final long MAX_BITRATE_BPS = 16_000;
    private static final Duration BURST = Duration.ofSeconds(2);
    private static final RetransmissionLimits LIMITS = new RetransmissionLimits(MAX_BITRATE_BPS, BURST, Duration.ofSeconds(60));
    private static final int STORMS = 5;
    private static final int PACKETS_PER_STORM = 3000;
    /** SRTP tag (16 for GCM) and RTX OSN (2) per datagram, which the budget does not count. */
    private static final int OVERHEAD_PER_PACKET = 18;

    @Test
    void aViewerNackingThousandsOfPacketsRepeatedlyGetsAtMostItsBudgetWhileAnotherViewerIsServed() throws Exception {
        PeerConnectionFactory factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1"))
                .withRetransmissionLimits(LIMITS), new SimpleMeterRegistry());
        LibwebrtcPeer publisher = LibwebrtcPeer.publisher(factory, "host");
        try (LightweightViewer attacker = new LightweightViewer(); LightweightViewer bystander = new LightweightViewer()) {
            Conference conference = bridge.createConference("storm");
            publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
            publisher.startMedia();
            bystander.simulate(SimulatedLoss.LIVE_PACKET);
            long budgetStartNanos = System.nanoTime();
            attacker.connect(conference.subscribe("room-attacker", attacker.offer()).sdpAnswer());
            bystander.connect(conference.subscribe("room-bystander", bystander.offer()).sdpAnswer());
            // generous: jitsi-srtp benchmarks its AES providers on first use, seconds on a loaded machine
            waitUntil(() -> attacker.packetsReceived() > 150 && bystander.rtxReceived() > 0, 30_000);
            assertThat(attacker.packetsReceived()).as("video reached the attacker before its storm").isGreaterThan(150);

            for (int storm = 1; storm <= STORMS; storm++) {
                attacker.sendNackStorm(PACKETS_PER_STORM);
                int sent = storm;
                waitUntil(() -> attacker.nackStormsSent() >= sent, 5_000);
            }
            waitUntil(() -> bridge.metrics().retransmissionsRefusedAsRepeatCount() > 0
                    && bridge.metrics().retransmissionsRefusedOverRateCount() > 0, 10_000);
            long bystanderBefore = bystander.packetsReceived();
            waitUntil(() -> bystander.packetsReceived() > bystanderBefore + 100, 10_000);
            double elapsedSeconds = (System.nanoTime() - budgetStartNanos) / 1e9;
            long allowedBytes = LIMITS.burstBytes() + (long) (MAX_BITRATE_BPS / 8 * elapsedSeconds)
                    + OVERHEAD_PER_PACKET * attacker.rtxReceived();
            System.out.printf("storms %d x %d packets: attacker got %d RTX packets, %d bytes (allowed %d over %.1f s);"
                            + " bridge refused %.0f as repeats, %.0f over rate, served %.0f; bystander %d packets, %d repairs%n",
                    attacker.nackStormsSent(), PACKETS_PER_STORM, attacker.rtxReceived(), attacker.rtxBytesReceived(), allowedBytes,
                    elapsedSeconds, bridge.metrics().retransmissionsRefusedAsRepeatCount(),
                    bridge.metrics().retransmissionsRefusedOverRateCount(), bridge.metrics().nacksServedCount(),
                    bystander.packetsReceived(), bystander.rtxReceived());

            assertThat(attacker.nackStormsSent()).isEqualTo(STORMS);
            assertThat(attacker.rtxReceived()).as("some repairs within the budget").isPositive();
            assertThat(attacker.rtxBytesReceived()).as("RTX bytes to the storming viewer").isLessThanOrEqualTo(allowedBytes);
            assertThat(attacker.repeatedRepairs()).as("packets resent twice within the resend interval").isZero();
            assertThat(bridge.metrics().retransmissionsRefusedAsRepeatCount()).as("repeats dropped and counted").isPositive();
            assertThat(bridge.metrics().retransmissionsRefusedOverRateCount()).as("over-budget packets dropped and counted").isPositive();
            assertThat(bystander.packetsReceived()).as("the other viewer keeps receiving").isGreaterThan(bystanderBefore + 100);
            assertThat(bystander.rtxReceived()).as("the other viewer's own loss repaired").isPositive();
            assertThat(attacker.undecryptable() + bystander.undecryptable()).isZero();
        } finally {
            publisher.close();
            bridge.close();
            factory.dispose();
        }
    }

    private static void waitUntil(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
