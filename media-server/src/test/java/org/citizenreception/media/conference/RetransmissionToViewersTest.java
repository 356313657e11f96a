package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LightweightViewer;
import org.citizenreception.media.testing.LightweightViewer.SimulatedLoss;
import org.junit.jupiter.api.Test;

/**
 * A viewer's NACK is answered in the form it negotiated: RTX (RFC 4588) when its offer had rtx
 * for VP8, the original packet on the media SSRC when it had not. Both viewers lose one live
 * packet (past any fast-start burst, so the plain repair is within our SRTP replay window).
 */
class RetransmissionToViewersTest {
    @Test
    void aNackIsAnsweredAsRtxWhenTheViewerOfferedRtxAndOnTheMediaSsrcWhenItDidNot() throws Exception {
        PeerConnectionFactory factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                new SimpleMeterRegistry());
        LibwebrtcPeer publisher = LibwebrtcPeer.publisher(factory, "host");
        LightweightViewer withRtx = new LightweightViewer();
        LightweightViewer withoutRtx = LightweightViewer.withoutRtx();
        try {
            Conference conference = bridge.createConference("repairs");
            publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
            publisher.startMedia();
            withRtx.simulate(SimulatedLoss.LIVE_PACKET);
            withoutRtx.simulate(SimulatedLoss.LIVE_PACKET);
            String rtxAnswer = conference.subscribe("room-rtx", withRtx.offer()).sdpAnswer();
            String plainAnswer = conference.subscribe("room-plain", withoutRtx.offer()).sdpAnswer();
            withRtx.connect(rtxAnswer);
            withoutRtx.connect(plainAnswer);

            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                    && (withRtx.rtxReceived() == 0 || withoutRtx.lateVideoPackets() == 0)) {
                Thread.sleep(50);
            }
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
            withRtx.close();
            withoutRtx.close();
            publisher.close();
            bridge.close();
            factory.dispose();
        }
    }
}
