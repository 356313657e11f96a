package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.stats.TcpMetrics;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A libwebrtc viewer that cannot use UDP at all (its port allocator has UDP turned off, as a
 * firewall that lets only TCP out leaves it) joins over the bridge's passive ICE-TCP candidate and
 * decodes the publisher's video; a UDP viewer of the same conference keeps decoding beside it. Real
 * ICE, DTLS, SRTP; the TCP one framed per RFC 4571 both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IceTcpViewerTest {
    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")).withTcpPort(0),
                new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        bridge.close();
        factory.dispose();
    }

    @Test
    void aViewerWithoutUdpDecodesVideoOverIceTcpBesideAUdpViewer() throws Exception {
        Conference conference = bridge.createConference("session-tcp");
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host"));
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();

        RTCConfiguration tcpOnly = new RTCConfiguration();
        tcpOnly.portAllocatorConfig = new PortAllocatorConfig().setDisableUdp(true);
        LibwebrtcPeer tcpViewer = track(LibwebrtcPeer.viewer(factory, "room-tcp", 1, tcpOnly));
        String answer = conference.subscribe("room-tcp", tcpViewer.createOffer()).sdpAnswer();
        assertThat(answer).contains(" tcp ", " typ host tcptype passive");
        tcpViewer.setAnswer(answer);
        LibwebrtcPeer udpViewer = track(LibwebrtcPeer.viewer(factory, "room-udp", 1));
        udpViewer.setAnswer(conference.subscribe("room-udp", udpViewer.createOffer()).sdpAnswer());

        // bounds the wait only: ICE, DTLS and the first keyframe take seconds on a loaded machine
        awaitDecoded(tcpViewer, 60, 60_000);
        awaitDecoded(udpViewer, 60, 60_000);
        assertThat(tcpViewer.awaitSelectedPath(java.time.Duration.ofSeconds(10))).as("the TCP viewer's selected candidate pair").endsWith("host/tcp");
        assertThat(udpViewer.awaitSelectedPath(java.time.Duration.ofSeconds(10))).as("the UDP viewer's selected candidate pair").endsWith("host/udp");
        TcpMetrics tcp = bridge.tcpMetrics().orElseThrow();
        assertThat(tcp.openConnections()).as("open ICE-TCP connections").isGreaterThanOrEqualTo(1);
        assertThat(tcp.bytesSentCount()).as("bytes the bridge framed to the TCP viewer").isGreaterThan(50_000);
        assertThat(tcp.framingErrorCount()).as("framing errors").isZero();

        // and it keeps decoding: the path carries media, not just the first frames
        int before = tcpViewer.framesDecoded();
        awaitDecoded(tcpViewer, before + 60, 30_000);
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static void awaitDecoded(LibwebrtcPeer viewer, int frames, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (viewer.framesDecoded() < frames && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling a condition with a deadline, not a timing assumption
        }
        assertThat(viewer.framesDecoded()).as("frames decoded").isGreaterThanOrEqualTo(frames);
    }
}
