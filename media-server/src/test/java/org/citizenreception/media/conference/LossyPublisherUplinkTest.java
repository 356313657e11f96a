package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LossyUdpRelay;
import org.junit.jupiter.api.Test;

/**
 * A room given the floor publishes from a commune over a weak uplink (a relay drops 5% of its
 * media before the bridge): the bridge NACKs the publisher for its own losses, accepts the RTX
 * answers, and the viewer keeps decoding.
 */
class LossyPublisherUplinkTest {
    @Test
    void theBridgeNacksAPublisherOnALossyUplinkAndForwardsWhatItResends() throws Exception {
        PeerConnectionFactory factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                new SimpleMeterRegistry());
        LossyUdpRelay uplink = new LossyUdpRelay(bridge.localAddress(), 0.05, 11, true);
        LibwebrtcPeer publisher = LibwebrtcPeer.publisher(factory, "commune");
        LibwebrtcPeer viewer = LibwebrtcPeer.viewer(factory, "district", 1);
        try {
            Conference conference = bridge.createConference("uplink");
            String answer = conference.publish("commune", publisher.createOffer(), SlotName.MAIN).sdpAnswer();
            publisher.setAnswer(uplink.rewriteAnswer(answer));
            publisher.startMedia();
            viewer.setAnswer(conference.subscribe("district", viewer.createOffer()).sdpAnswer());
            long deadline = System.currentTimeMillis() + 15_000;
            while (viewer.framesDecoded() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2000);

            int pushedBefore = publisher.framesPushed();
            int decodedBefore = viewer.framesDecoded();
            Thread.sleep(10_000);
            int pushed = publisher.framesPushed() - pushedBefore;
            int decoded = viewer.framesDecoded() - decodedBefore;
            Map<String, Long> sent = publisher.outbound("video");
            System.out.printf("uplink lost %d of %d media packets; publisher got %d NACKs and resent %d packets; "
                    + "viewer decoded %d of %d frames (%.1f%%)%n", uplink.dropped(), uplink.mediaPackets(),
                    sent.getOrDefault("nackCount", 0L), sent.getOrDefault("retransmittedPacketsSent", 0L),
                    decoded, pushed, 100.0 * decoded / pushed);
            Map<String, Long> received = viewer.inbound("video");
            System.out.printf("viewer: packetsLost %d, nackCount %d, retransmittedPacketsReceived %d, pliCount %d, "
                            + "keyFramesDecoded %d, freezeCount %d, framesDropped %d; bridge PLIs to the publisher %.0f%n",
                    received.getOrDefault("packetsLost", 0L), received.getOrDefault("nackCount", 0L),
                    received.getOrDefault("retransmittedPacketsReceived", 0L), received.getOrDefault("pliCount", 0L),
                    received.getOrDefault("keyFramesDecoded", 0L), received.getOrDefault("freezeCount", 0L),
                    received.getOrDefault("framesDropped", 0L), bridge.metrics().plisSentCount());

            assertThat(uplink.dropped()).isGreaterThan(20);
            assertThat(sent.getOrDefault("nackCount", 0L)).as("NACKs from the bridge").isGreaterThan(0);
            assertThat(sent.getOrDefault("retransmittedPacketsSent", 0L)).as("RTX packets sent").isGreaterThan(0);
            assertThat(decoded).as("frames the viewer decoded of %d pushed", pushed).isGreaterThanOrEqualTo((int) (0.9 * pushed));
        } finally {
            publisher.close();
            viewer.close();
            uplink.close();
            bridge.close();
            factory.dispose();
        }
    }
}
