package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LossyUdpRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A libwebrtc publisher sends 640x360 VP8 + Opus through {@link Conference#publish}; five libwebrtc
 * viewers play through {@link Conference#subscribe}. Real ICE, DTLS, SRTP on loopback. Each must
 * decode at least 90% of the frames pushed in a 10 s window; the one behind a 5%-loss relay 95%.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConferenceWithLibwebrtcPeersTest {
    private static final int VIEWERS = 5;
    private static final long WINDOW_MILLIS = 10_000;
    private static final int LOSSY = 4;

    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private LossyUdpRelay relay;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();
    private final List<String> connected = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
        bridge.setEventListener(new MediaEventListener() {
            @Override
            public void endpointConnected(String conferenceId, String endpointId, java.net.InetSocketAddress remote) {
                connected.add(endpointId);
            }
        });
    }

    @AfterAll
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        if (relay != null) {
            relay.close();
        }
        bridge.close();
        factory.dispose();
    }

    /**
     * One of the five watches through a relay that drops 5% of its media: NACKs answered from the
     * bridge's retransmission buffer keep it decoding, and none of them reaches the publisher.
     */
    @Test
    void fiveViewersDecodeTheFramesAndReceiveAudioEvenTheOneBehindALossyLink() throws Exception {
        Conference conference = bridge.createConference("session-1");
        relay = new LossyUdpRelay(bridge.localAddress(), 20, 42); // 5 %
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host"));
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();

        List<LibwebrtcPeer> viewers = new ArrayList<>();
        String lossyAnswer = null;
        for (int i = 0; i < VIEWERS; i++) {
            LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, "room" + i, 1));
            String answer = conference.subscribe("room-" + i, viewer.createOffer()).sdpAnswer();
            if (i == LOSSY) {
                lossyAnswer = answer;
            }
            viewer.setAnswer(i == LOSSY ? relay.rewriteAnswer(answer) : answer);
            viewers.add(viewer);
        }
        awaitFirstFrames(viewers, 60_000); // bounds the wait only: ICE, DTLS and jitsi-srtp's first use took 8 s at load 35
        Thread.sleep(2000); // let start-up backlogs drain, so the window compares steady-state rates

        // Frames the publisher's encoder sent, not frames pushed into it: on a loaded machine the encoder
        // skips frames it has no CPU for, which says nothing of the bridge.
        long pushedBefore = framesSent(publisher);
        int[] decodedBefore = viewers.stream().mapToInt(LibwebrtcPeer::framesDecoded).toArray();
        Thread.sleep(WINDOW_MILLIS);
        int pushed = (int) (framesSent(publisher) - pushedBefore);
        int lossyDecoded = 0;
        for (int i = 0; i < VIEWERS; i++) {
            int decoded = viewers.get(i).framesDecoded() - decodedBefore[i];
            if (i == LOSSY) {
                lossyDecoded = decoded;
            }
            System.out.printf("viewer %d decoded %d of %d frames pushed (%.1f%%)%n", i, decoded, pushed, 100.0 * decoded / pushed);
            double required = i == LOSSY ? 0.95 : 0.9;
            assertThat(decoded).as("frames decoded by viewer %d of %d pushed", i, pushed)
                    .isGreaterThanOrEqualTo((int) Math.ceil(required * pushed));
            Map<String, Long> audio = viewers.get(i).inbound("audio");
            assertThat(audio.getOrDefault("packetsReceived", 0L)).as("audio packets at viewer %d", i).isGreaterThan(400);
            // the bridge's sender reports (lip sync) arrived: libwebrtc has remote-outbound stats for both kinds
            assertThat(viewers.get(i).remoteOutbound("video").getOrDefault("reportsSent", 0L)).as("video SRs at viewer %d", i)
                    .isGreaterThan(0);
            assertThat(viewers.get(i).remoteOutbound("audio").getOrDefault("reportsSent", 0L)).as("audio SRs at viewer %d", i)
                    .isGreaterThan(0);
        }
        assertThat(connected).contains("host", "room-0", "room-4");
        long publisherNacks = publisher.outbound("video").getOrDefault("nackCount", 0L);
        System.out.printf("relay dropped %d of %d media packets to viewer %d; bridge served %.0f NACKed packets; publisher saw %d NACKs%n",
                relay.dropped(), relay.mediaPackets(), LOSSY, bridge.metrics().nacksServedCount(), publisherNacks);
        Map<String, Long> lossyVideo = viewers.get(LOSSY).inbound("video");
        long rtxSsrc = rtxSsrcOfVideo(lossyAnswer);
        System.out.printf("lossy viewer: libwebrtc NACKed %d, lost %d, retransmittedPacketsReceived %d (rtxSsrc %d);"
                        + " the relay passed %d packets on the answer's RTX SSRC %d%n",
                lossyVideo.getOrDefault("nackCount", 0L), lossyVideo.getOrDefault("packetsLost", 0L),
                lossyVideo.getOrDefault("retransmittedPacketsReceived", 0L), lossyVideo.getOrDefault("rtxSsrc", 0L),
                relay.deliveredToClient(rtxSsrc), rtxSsrc);
        long videoSsrc = videoSsrc(lossyAnswer);
        System.out.printf("relay: video SSRC %d lost %d of %d; RTX SSRC %d lost %d of %d%n", videoSsrc, relay.dropped(videoSsrc),
                relay.seen(videoSsrc), rtxSsrc, relay.dropped(rtxSsrc), relay.seen(rtxSsrc));
        // The relay drops exactly one in 20 of what it sees on an SSRC, and every frame the lossy viewer
        // decoded in the window came in at least one packet on the video SSRC: so at least 1/20 of those
        // frames were lost whatever the timing. Fewer means the video did not go through the relay.
        assertThat(relay.dropped(videoSsrc)).as("video packets the relay dropped on the answer's video SSRC")
                .isGreaterThanOrEqualTo(lossyDecoded / 20);
        assertThat(lossyDecoded / 20).as("a window long enough to lose packets").isGreaterThanOrEqualTo(5);
        // the viewer offered RTX: repairs travel on the RTX SSRC the answer announced, and libwebrtc counts them
        assertThat(lossyVideo.getOrDefault("rtxSsrc", 0L)).as("rtxSsrc in the lossy viewer's inbound-rtp").isEqualTo(rtxSsrc);
        // Each video packet the relay drops is NACKed at once and answered from the bridge's buffer; only
        // those lost in the last round trip before the stats were read can be pending, so at least half.
        assertThat(relay.deliveredToClient(rtxSsrc)).as("RTX packets passed to the lossy viewer, of %d video packets dropped",
                relay.dropped(videoSsrc)).isGreaterThanOrEqualTo(relay.dropped(videoSsrc) / 2);
        assertThat(lossyVideo.getOrDefault("retransmittedPacketsReceived", 0L)).as("retransmittedPacketsReceived")
                .isPositive();
        assertThat(bridge.metrics().nacksServedCount()).as("NACKed packets the bridge served, of %d video packets dropped",
                relay.dropped(videoSsrc)).isGreaterThanOrEqualTo(relay.dropped(videoSsrc) / 2.0);
        // The viewer's ~5 % losses cost it dozens of NACKs; none may reach the publisher. What may reach it
        // are the bridge's own NACKs for packets the publisher's uplink lost (on a loaded 2-core machine
        // the kernel sometimes drops one), which the bridge counts when it sends them.
        double bridgeOwnNacks = bridge.metrics().nacksRequestedCount();
        System.out.printf("bridge's own NACKs to the publisher: %.0f%n", bridgeOwnNacks);
        assertThat((double) publisherNacks).as("NACKs reaching the publisher beyond the bridge's own uplink repairs")
                .isLessThanOrEqualTo(bridgeOwnNacks);
        assertThat(lossyVideo.getOrDefault("nackCount", 0L)).as("NACKs the lossy viewer sent")
                .isGreaterThan((long) bridgeOwnNacks + 10);
    }

    /** The media SSRC of the ssrc-group FID line of an answer's video m-line. */
    private static long videoSsrc(String answer) {
        String video = answer.substring(answer.indexOf("m=video"));
        return org.citizenreception.media.sdp.SdpParser.parse("v=0\r\n" + video).media().get(0).rtxSsrcs()
                .keySet().iterator().next();
    }

    /** The RTX SSRC of the ssrc-group FID line of an answer's video m-line. */
    private static long rtxSsrcOfVideo(String answer) {
        String video = answer.substring(answer.indexOf("m=video"));
        return org.citizenreception.media.sdp.SdpParser.parse("v=0\r\n" + video).media().get(0).rtxSsrcs()
                .values().iterator().next();
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static void awaitFirstFrames(List<LibwebrtcPeer> viewers, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (viewers.stream().allMatch(v -> v.framesDecoded() > 0)) {
                return;
            }
            Thread.sleep(50);
        }
        List<String> states = viewers.stream().map(v -> v.state() + "/" + v.framesDecoded()).toList();
        throw new AssertionError("not every viewer decoded a frame within " + timeoutMillis + " ms: " + states);
    }

    private static long framesSent(LibwebrtcPeer publisher) throws Exception {
        return publisher.outbound("video").getOrDefault("framesSent", 0L);
    }
}
