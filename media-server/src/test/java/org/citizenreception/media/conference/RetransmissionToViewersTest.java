package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LightweightViewer;
import org.citizenreception.media.testing.LightweightViewer.SimulatedLoss;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Repairs toward viewers, one libwebrtc publisher for the class. A viewer's NACK is answered in
 * the form it negotiated: RTX (RFC 4588) when its offer had rtx for VP8, the original packet on
 * the media SSRC when it had not. A viewer's PLI is answered at once with the keyframe the bridge
 * holds, without waiting for the publisher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetransmissionToViewersTest {
    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private LibwebrtcPeer publisher;
    private Conference conference;

    @BeforeAll
    void start() throws Exception {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
        conference = bridge.createConference("repairs");
        publisher = LibwebrtcPeer.publisher(factory, "host");
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();
    }

    @AfterAll
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        bridge.close();
        factory.dispose();
    }

    /** Both viewers lose one live packet, past any fast-start burst, so the plain repair is within our SRTP replay window. */
    @Test
    void aNackIsAnsweredAsRtxWhenTheViewerOfferedRtxAndOnTheMediaSsrcWhenItDidNot() throws Exception {
        try (LightweightViewer withRtx = new LightweightViewer(); LightweightViewer withoutRtx = LightweightViewer.withoutRtx()) {
            withRtx.simulate(SimulatedLoss.LIVE_PACKET);
            withoutRtx.simulate(SimulatedLoss.LIVE_PACKET);
            String rtxAnswer = conference.subscribe("room-rtx", withRtx.offer()).sdpAnswer();
            String plainAnswer = conference.subscribe("room-plain", withoutRtx.offer()).sdpAnswer();
            withRtx.connect(rtxAnswer);
            withoutRtx.connect(plainAnswer);

            // generous: jitsi-srtp benchmarks its AES providers on first use, 4-5 s on a loaded machine
            waitUntil(() -> withRtx.rtxReceived() > 0 && withoutRtx.lateVideoPackets() > 0, 20_000);
            System.out.printf("with rtx: %d packets, NACKed %d, RTX %d, late on media SSRC %d; without: %d packets, NACKed %d,"
                            + " RTX %d, late %d; bridge served %.0f%n", withRtx.packetsReceived(), withRtx.nackedPackets(),
                    withRtx.rtxReceived(), withRtx.lateVideoPackets(), withoutRtx.packetsReceived(),
                    withoutRtx.nackedPackets(), withoutRtx.rtxReceived(), withoutRtx.lateVideoPackets(),
                    bridge.metrics().nacksServedCount());

            assertThat(rtxAnswer).contains("a=ssrc-group:FID ", " rtx/90000\r\n");
            assertThat(plainAnswer).doesNotContain("rtx/", "FID");
            assertThat(withRtx.keyframePacketsDropped()).isEqualTo(1);
            assertThat(withoutRtx.keyframePacketsDropped()).isEqualTo(1);
            assertThat(withRtx.nackedPackets()).isPositive();
            assertThat(withoutRtx.nackedPackets()).isPositive();
            assertThat(withRtx.rtxReceived()).as("RTX packets at the viewer that offered rtx").isPositive();
            assertThat(withoutRtx.rtxReceived()).as("RTX packets at the viewer that did not").isZero();
            assertThat(withoutRtx.lateVideoPackets()).as("repairs on the media SSRC at the viewer without rtx").isPositive();
            assertThat(withRtx.undecryptable() + withoutRtx.undecryptable()).isZero();
        } finally {
            conference.endpoint("room-rtx").ifPresent(Endpoint::close);
            conference.endpoint("room-plain").ifPresent(Endpoint::close);
        }
    }

    /**
     * The publisher's answer to a PLI takes its encoder and, in a join storm, up to the limiter's
     * 400 ms: the viewer that asked is sent the keyframe the bridge holds meanwhile.
     */
    @Test
    void aViewersPliIsAnsweredAtOnceWithTheKeyframeTheBridgeHolds() throws Exception {
        try (LightweightViewer viewer = new LightweightViewer()) {
            viewer.connect(conference.subscribe("room-pli", viewer.offer()).sdpAnswer());
            waitUntil(() -> viewer.connectedToKeyframeNanos() >= 0, 15_000);
            assertThat(viewer.connectedToKeyframeNanos()).as("a first keyframe before asking for another").isNotNegative();
            long resentBefore = viewer.rtxKeyframeStarts();

            long askedNanos = System.nanoTime();
            viewer.requestKeyframe();
            waitUntil(() -> viewer.rtxKeyframeStarts() > resentBefore, 5_000);
            long answeredMillis = (System.nanoTime() - askedNanos) / 1_000_000;
            System.out.printf("PLI answered with the held keyframe (as RTX) after %d ms%n", answeredMillis);

            assertThat(viewer.plisSent()).isPositive();
            assertThat(viewer.rtxKeyframeStarts()).as("keyframe starts resent as RTX").isGreaterThan(resentBefore);
            assertThat(answeredMillis).as("ms from the PLI to the resent keyframe").isLessThan(1000);
        } finally {
            conference.endpoint("room-pli").ifPresent(Endpoint::close);
        }
    }

    private static void waitUntil(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
