package org.citizenreception.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.client.signal.Signaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our client against libwebrtc (webrtc-java), both directions, over real loopback UDP: the
 * evidence that the client speaks WebRTC as browsers do, not merely as our own bridge does.
 */
class LibWebRtcInteropTest {
    private static HeadlessAudioDeviceModule audioModule;
    private static PeerConnectionFactory factory;
    private static ClientGroup group;

    @BeforeAll
    static void start() {
        audioModule = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audioModule);
        group = ClientGroup.create(2);
    }

    @AfterAll
    static void stop() {
        group.close();
        factory.dispose();
        audioModule.dispose();
    }

    @Test
    void libwebrtcReceivesOurPublishersVideoAndAudio() throws Exception {
        try (LibWebRtcPeer remote = new LibWebRtcPeer(factory)) {
            Publisher publisher = group.publisher(PeerOptions.defaults().videoBitrateBps(1_000_000));
            publisher.connect(Signaller.direct(remote::answer)).get(60, TimeUnit.SECONDS);

            await(() -> remote.inbound("video", "packetsReceived") > 100
                    && remote.inbound("audio", "packetsReceived") > 20, 10_000);
            long video = remote.inbound("video", "packetsReceived");
            long audio = remote.inbound("audio", "packetsReceived");
            // still flowing: wait for more of both (a fixed pause could see none on a loaded machine)
            await(() -> remote.inbound("video", "packetsReceived") > video
                    && remote.inbound("audio", "packetsReceived") > audio, 10_000);
            PublisherStats stats = publisher.stats();
            assertThat(stats.srtpAuthFailures()).isZero();
            assertThat(stats.rtcpReceived()).isPositive(); // libwebrtc's receiver reports decrypt with our keys
            publisher.close();
        }
    }

    @Test
    void aPublisherStopsSendingWhenLibwebrtcStopsAnsweringConsentChecks() throws Exception {
        LibWebRtcPeer remote = new LibWebRtcPeer(factory);
        Publisher publisher = group.publisher(PeerOptions.defaults().videoBitrateBps(500_000)
                .consentIntervalMillis(250).consentTimeoutMillis(1_500));
        publisher.connect(Signaller.direct(remote::answer)).get(60, TimeUnit.SECONDS);
        await(() -> remote.inbound("video", "packetsReceived") > 20, 10_000);
        assertThat(publisher.consentExpired()).isFalse();

        remote.close(); // libwebrtc's socket goes away: no more consent responses
        await(publisher::consentExpired, 5_000);
        long before = publisher.datagramsSent();
        Thread.sleep(1_000);
        assertThat(publisher.datagramsSent() - before).as("only consent checks after expiry").isLessThan(10);
        publisher.close();
    }

    @Test
    void ourViewerReceivesLibwebrtcsVp8AndSeesAKeyframe() throws Exception {
        CustomVideoSource source = new CustomVideoSource();
        VideoTrack video = factory.createVideoTrack("video", source);
        AudioTrackSource audioSource = factory.createAudioSource(new AudioOptions());
        AudioTrack audio = factory.createAudioTrack("audio", audioSource);
        ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor();
        try (LibWebRtcPeer remote = new LibWebRtcPeer(factory)) {
            remote.pc.addTrack(audio, List.of("stream"));
            remote.pc.addTrack(video, List.of("stream"));
            camera.scheduleAtFixedRate(() -> pushFrame(source), 0, 33, TimeUnit.MILLISECONDS);

            Viewer viewer = group.viewer(PeerOptions.defaults().nack(true));
            viewer.connect(Signaller.direct(remote::answer)).get(60, TimeUnit.SECONDS);

            await(() -> {
                ViewerStats s = viewer.stats();
                return s.packets("video") > 50 && s.keyframesComplete() > 0;
            }, 10_000);
            ViewerStats stats = viewer.stats();
            assertThat(stats.srtpAuthFailures()).isZero();
            assertThat(stats.joinToKeyframeNanos()).isPositive();
            assertThat(remote.outbound("video", "packetsSent")).isPositive();
            viewer.close();
        } finally {
            camera.shutdownNow();
            camera.awaitTermination(2, TimeUnit.SECONDS);
            disposeQuietly(video::dispose);
            disposeQuietly(audio::dispose);
            disposeQuietly(source::dispose);
        }
    }

    @Test
    void ourViewerAnswersAnOfferFromLibwebrtcAsTheControlledAgentAndDtlsClient() throws Exception {
        CustomVideoSource source = new CustomVideoSource();
        VideoTrack video = factory.createVideoTrack("video", source);
        ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor();
        try (LibWebRtcPeer remote = new LibWebRtcPeer(factory)) {
            dev.onvoid.webrtc.RTCRtpTransceiverInit init = new dev.onvoid.webrtc.RTCRtpTransceiverInit();
            init.direction = dev.onvoid.webrtc.RTCRtpTransceiverDirection.SEND_ONLY;
            init.streamIds = List.of("stream");
            remote.pc.addTransceiver(video, init);
            camera.scheduleAtFixedRate(() -> pushFrame(source), 0, 33, TimeUnit.MILLISECONDS);

            Viewer viewer = group.viewer(PeerOptions.defaults());
            String answer = viewer.answer(remote.offer());
            assertThat(answer).contains("a=setup:active", "a=recvonly");
            remote.accept(answer);
            viewer.ready().get(60, TimeUnit.SECONDS);

            await(() -> {
                ViewerStats s = viewer.stats();
                return s.packets("video") > 50 && s.keyframesComplete() > 0;
            }, 10_000);
            assertThat(viewer.stats().srtpAuthFailures()).isZero();
            viewer.close();
        } finally {
            camera.shutdownNow();
            camera.awaitTermination(2, TimeUnit.SECONDS);
            disposeQuietly(video::dispose);
            disposeQuietly(source::dispose);
        }
    }

    /** libwebrtc refuses to delete a track its closed connection still references; the factory frees it later. */
    private static void disposeQuietly(Runnable dispose) {
        try {
            dispose.run();
        } catch (Error e) {
            // "Native object was not deleted": harmless once the peer connection is closed
        }
    }

    private static int frameNumber;

    private static void pushFrame(CustomVideoSource source) {
        NativeI420Buffer buffer = NativeI420Buffer.allocate(640, 360);
        ByteBuffer y = buffer.getDataY();
        int shift = frameNumber++ * 4;
        for (int row = 0; row < 360; row++) {
            for (int col = 0; col < 640; col++) {
                y.put(row * buffer.getStrideY() + col, (byte) ((row + col + shift) & 0xFF));
            }
        }
        VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
        source.pushFrame(frame);
        frame.release();
    }

    private static void await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMillis + " ms");
            }
            Thread.sleep(100);
        }
    }
}
