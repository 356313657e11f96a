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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A libwebrtc publisher sends 640x360 VP8 + Opus through {@link Conference#publish}; libwebrtc
 * viewers play through {@link Conference#subscribe}. Real ICE, DTLS, SRTP on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConferenceWithLibwebrtcPeersTest {
    private static final int VIEWERS = 5;
    private static final long WINDOW_MILLIS = 10_000;

    private PeerConnectionFactory factory;
    private MediaBridge bridge;
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
        bridge.close();
        factory.dispose();
    }

    @Test
    void fiveViewersEachDecodeAtLeastNinetyPercentOfThePublishersFramesAndReceiveAudio() throws Exception {
        Conference conference = bridge.createConference("session-1");
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host"));
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();

        List<LibwebrtcPeer> viewers = new ArrayList<>();
        for (int i = 0; i < VIEWERS; i++) {
            LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, "room" + i, 1));
            viewer.setAnswer(conference.subscribe("room-" + i, viewer.createOffer()).sdpAnswer());
            viewers.add(viewer);
        }
        awaitFirstFrames(viewers, 15_000);

        int pushedBefore = publisher.framesPushed();
        int[] decodedBefore = viewers.stream().mapToInt(LibwebrtcPeer::framesDecoded).toArray();
        Thread.sleep(WINDOW_MILLIS);
        int pushed = publisher.framesPushed() - pushedBefore;
        for (int i = 0; i < VIEWERS; i++) {
            int decoded = viewers.get(i).framesDecoded() - decodedBefore[i];
            System.out.printf("viewer %d decoded %d of %d frames pushed (%.1f%%)%n", i, decoded, pushed, 100.0 * decoded / pushed);
            assertThat(decoded).as("frames decoded by viewer %d of %d pushed", i, pushed)
                    .isGreaterThanOrEqualTo((int) Math.ceil(0.9 * pushed));
            Map<String, Long> audio = viewers.get(i).inbound("audio");
            assertThat(audio.getOrDefault("packetsReceived", 0L)).as("audio packets at viewer %d", i).isGreaterThan(400);
        }
        assertThat(connected).contains("host", "room-0", "room-4");
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
}
