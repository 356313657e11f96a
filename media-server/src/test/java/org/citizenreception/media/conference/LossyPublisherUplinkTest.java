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
        LossyUdpRelay uplink = new LossyUdpRelay(bridge.localAddress(), 20, 11, true); // 5 %
        LibwebrtcPeer publisher = LibwebrtcPeer.publisher(factory, "commune");
        LibwebrtcPeer viewer = LibwebrtcPeer.viewer(factory, "district", 1);
        try {
            Conference conference = bridge.createConference("uplink");
            String offer = publisher.createOffer();
            long videoSsrc = org.citizenreception.media.sdp.SdpParser.parse("v=0\r\n" + offer.substring(offer.indexOf("m=video")))
                    .media().get(0).rtxSsrcs().keySet().iterator().next();
            String answer = conference.publish("commune", offer, SlotName.MAIN).sdpAnswer();
            publisher.setAnswer(uplink.rewriteAnswer(answer));
            publisher.startMedia();
            viewer.setAnswer(conference.subscribe("district", viewer.createOffer()).sdpAnswer());
            long deadline = System.currentTimeMillis() + 60_000; // bounds the wait for the first frame only
            while (viewer.framesDecoded() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2000);

            // Frames the publisher's encoder sent, not frames pushed into it: on a loaded machine the encoder
            // skips frames it has no CPU for, which says nothing of the bridge.
            long pushedBefore = framesSent(publisher);
            int decodedBefore = viewer.framesDecoded();
            Thread.sleep(10_000);
            int pushed = (int) (framesSent(publisher) - pushedBefore);
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

            // One in 20 of the publisher's video packets is lost (by construction), and each frame the viewer
            // decoded in the window crossed the relay in at least one packet.
            System.out.printf("uplink: video SSRC %d lost %d of %d%n", videoSsrc, uplink.dropped(videoSsrc), uplink.seen(videoSsrc));
            assertThat(uplink.dropped(videoSsrc)).as("video packets lost on the uplink").isGreaterThanOrEqualTo(decoded / 20);
            assertThat(decoded / 20).as("a window long enough to lose packets").isGreaterThanOrEqualTo(5);
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

    private static long framesSent(LibwebrtcPeer publisher) throws Exception {
        return publisher.outbound("video").getOrDefault("framesSent", 0L);
    }
}
