package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The recorder's subscription to a slot, with a real libwebrtc publisher: the muxer's sockets
 * (plain UDP here, as ffmpeg would bind them) get a sender report before any media, then
 * unencrypted RTP on one SSRC per kind with the SDP's payload types, video starting at a keyframe
 * and sequence numbers without a step back; the slot's floor change keeps the same SSRC. Closing
 * the recording stops the packets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageRecordingTest {
    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        bridge.close();
        factory.dispose();
    }

    /** A muxer's two ports (RTP and the RTCP above it) for one kind, bound by the test like ffmpeg binds them. */
    private static final class MuxerPorts implements AutoCloseable {
        final DatagramSocket rtp;
        final DatagramSocket rtcp;

        MuxerPorts() throws Exception {
            DatagramSocket first = null;
            DatagramSocket second = null;
            // the RTCP port must be RTP + 1: bind the RTP port at 0, then try its neighbour, moving on if it is taken
            while (second == null) {
                first = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                try {
                    second = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), first.getLocalPort() + 1));
                } catch (java.net.BindException taken) {
                    first.close();
                }
            }
            rtp = first;
            rtcp = second;
            rtp.setSoTimeout(200);
            rtcp.setSoTimeout(200);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), rtp.getLocalPort());
        }

        @Override
        public void close() {
            rtp.close();
            rtcp.close();
        }
    }

    @Test
    void theRecorderGetsPlainRtpOnFixedSsrcsAfterASenderReportAndKeepsItAcrossAFloorChange() throws Exception {
        Conference conference = bridge.createConference("recorded");
        LibwebrtcPeer host = publisher(conference, "host", SlotName.MAIN);
        LibwebrtcPeer roomA = publisher(conference, "room-a", SlotName.GUEST);
        try (MuxerPorts video = new MuxerPorts(); MuxerPorts audio = new MuxerPorts()) {
            waitForMedia(conference, "room-a");
            conference.setGuest("room-a");
            SlotRecording recording = conference.record(SlotName.GUEST, audio.address(), video.address());

            byte[] report = receive(video.rtcp, 5_000);
            assertThat(report).as("a sender report before any media").isNotNull();
            assertThat(report[1] & 0xFF).as("RTCP packet type SR").isEqualTo(200);

            List<byte[]> videoPackets = receiveAtLeast(video.rtp, 31, 15_000);
            List<byte[]> audioPackets = receiveAtLeast(audio.rtp, 11, 5_000);
            assertThat(videoPackets).hasSizeGreaterThan(30);
            assertThat(audioPackets).hasSizeGreaterThan(10);
            assertThat(payloadTypes(videoPackets)).containsExactly(SlotRecording.VIDEO_PAYLOAD_TYPE);
            assertThat(payloadTypes(audioPackets)).containsExactly(SlotRecording.AUDIO_PAYLOAD_TYPE);
            assertThat(ssrcs(videoPackets)).hasSize(1);
            int videoSsrc = ssrcs(videoPackets).iterator().next();
            byte[] first = videoPackets.get(0);
            assertThat(first[12] & 0x10).as("VP8 descriptor S bit: the first packet starts a frame").isNotZero();
            assertThat(recording.hasVideo()).isTrue();

            // the floor moves to room B: same SSRC, sequence numbers go on
            LibwebrtcPeer roomB = publisher(conference, "room-b", SlotName.GUEST);
            waitForMedia(conference, "room-b");
            conference.setGuest("room-b");
            List<byte[]> afterSwitch = receiveAtLeast(video.rtp, 60, 15_000);
            assertThat(ssrcs(afterSwitch)).containsExactly(videoSsrc);
            // a repair of the publisher's own loss may come late (the bridge NACKs upstream); nothing else steps back
            assertThat(steppedBack(afterSwitch)).as("sequence numbers stepping back").isLessThan(afterSwitch.size() / 20 + 1);
            assertThat(roomA).isNotNull();
            assertThat(roomB).isNotNull();
            assertThat(host).isNotNull();

            recording.close();
            receiveFor(video.rtp, 300); // drain what was in flight
            assertThat(receiveFor(video.rtp, 1_000)).as("nothing after close").isEmpty();
        }
    }

    private LibwebrtcPeer publisher(Conference conference, String id, SlotName slot) throws Exception {
        LibwebrtcPeer peer = LibwebrtcPeer.publisher(factory, id);
        peers.add(peer);
        peer.setAnswer(conference.publish(id, peer.createOffer(), slot).sdpAnswer());
        peer.startMedia();
        return peer;
    }

    private static void waitForMedia(Conference conference, String endpointId) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (conference.endpoint(endpointId).map(e -> e.stats().packetsReceived() > 50).orElse(false)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(endpointId + " sent no media");
    }

    private static byte[] receive(DatagramSocket socket, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        byte[] buffer = new byte[2048];
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
                return java.util.Arrays.copyOf(p.getData(), p.getLength());
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            }
        }
        return null;
    }

    /** Packets until {@code count} arrived or {@code timeoutMillis} passed (a loaded machine sends slowly at first). */
    private static List<byte[]> receiveAtLeast(DatagramSocket socket, int count, long timeoutMillis) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (packets.size() < count && System.nanoTime() < deadline) {
            byte[] p = receive(socket, 200);
            if (p != null) {
                packets.add(p);
            }
        }
        return packets;
    }

    private static List<byte[]> receiveFor(DatagramSocket socket, long millis) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] buffer = new byte[2048];
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
                packets.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            } catch (SocketTimeoutException e) {
                // nothing this instant
            }
        }
        return packets;
    }

    private static Set<Integer> payloadTypes(List<byte[]> packets) {
        Set<Integer> types = new HashSet<>();
        packets.forEach(p -> types.add(p[1] & 0x7F));
        return types;
    }

    private static Set<Integer> ssrcs(List<byte[]> packets) {
        Set<Integer> ssrcs = new HashSet<>();
        packets.forEach(p -> ssrcs.add(ByteBuffer.wrap(p, 8, 4).getInt()));
        return ssrcs;
    }

    /** Packets whose sequence number is older than the highest before them (a repair from NACK may be: counted apart). */
    private static int steppedBack(List<byte[]> packets) {
        int steps = 0;
        int highest = -1;
        for (byte[] p : packets) {
            int seq = ByteBuffer.wrap(p, 2, 2).getShort() & 0xFFFF;
            if (highest >= 0 && ((seq - highest) & 0xFFFF) > 0x8000) {
                steps++;
            } else {
                highest = seq;
            }
        }
        return steps;
    }
}
