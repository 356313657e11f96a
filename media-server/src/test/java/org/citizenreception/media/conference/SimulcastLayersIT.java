package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.ThrottlingUdpRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, simulcast: a libwebrtc host publishes three layers; three libwebrtc viewers (real
 * decoders) behind downlinks of about 300 kbit/s, 1 Mbit/s and no limit ({@link ThrottlingUdpRelay},
 * a token bucket with a router's queue) are each sent the layer their line carries, judged from
 * the arrivals of the bridge's probe padding their transport-cc feedback reports (and their REMB),
 * and the two throttled ones climb when their line is freed.
 *
 * <p>What is asserted: within 10 s of decoding its first frame each viewer has an estimate (its own
 * REMB: the layer is judged, not the middle one it starts with), is sent its layer (lowest,
 * middle, top: the bridge forwards that layer's SSRC) and decodes it (the decoded widths rise from
 * the first viewer to the third); no viewer pauses longer than the unthrottled viewer's own longest
 * pause (the machine's, which switches nothing) plus 1 s; within 15 s of the throttles being lifted
 * both throttled viewers are sent, and decode, a higher layer.
 */
class SimulcastLayersIT {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    /** Half the camera's rate: the three encodings then fit a loaded machine without libwebrtc shrinking the top layer. */
    private static final int FPS = 15;
    private static final long[] DOWNLINKS_BPS = {300_000, 1_000_000, ThrottlingUdpRelay.UNLIMITED};
    private static final long LAYER_WITHIN_MILLIS = 10_000;
    private static final long CLIMB_WITHIN_MILLIS = 15_000;
    private static final long CONNECT_WITHIN_MILLIS = 60_000;
    /** Three one-second measurements of the layers in a row, each with all three sending. */
    private static final long LAYERS_STEADY_MILLIS = 2_500;
    private static final String VIDEO_MID = "1";

    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();
    private final List<ThrottlingUdpRelay> relays = new ArrayList<>();

    @BeforeEach
    void start() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        relays.forEach(ThrottlingUdpRelay::close);
        bridge.close();
        factory.dispose();
    }

    @Test
    void eachViewerGetsTheLayerItsLineCarriesAndClimbsWhenTheLineIsFreed() throws Exception {
        Conference conference = bridge.createConference("simulcast");
        LibwebrtcPeer host = track(LibwebrtcPeer.simulcastPublisher(factory, "host", WIDTH, HEIGHT, FPS));
        host.setAnswer(conference.publish("host", host.createOffer(), SlotName.MAIN).sdpAnswer());
        host.startMedia();
        SimulcastLayers layers = conference.stage().slot(SlotName.MAIN, MediaKind.VIDEO).source().layers();
        assertThat(layers).as("the host's video arrives as simulcast layers").isNotNull();
        assertThat(layers.count()).isEqualTo(3);

        // libwebrtc pauses its top layer while its own estimate ramps up or the CPU is short (a first
        // keyframe on all three, then the top paused for 9 s in one CI run): the viewers' clock starts
        // once all three have flowed for LAYERS_STEADY_MILLIS
        long[] allFlowingSince = {-1};
        await("the host sends all three layers steadily", CONNECT_WITHIN_MILLIS, () -> {
            if (!java.util.Arrays.stream(layers.bitratesBps()).allMatch(bps -> bps > 0)) {
                allFlowingSince[0] = -1;
                return false;
            }
            long now = System.currentTimeMillis();
            if (allFlowingSince[0] < 0) {
                allFlowingSince[0] = now;
            }
            return now - allFlowingSince[0] >= LAYERS_STEADY_MILLIS;
        }, conference);
        List<LibwebrtcPeer> viewers = new ArrayList<>();
        for (int i = 0; i < DOWNLINKS_BPS.length; i++) {
            ThrottlingUdpRelay relay = new ThrottlingUdpRelay(bridge.localAddress(), DOWNLINKS_BPS[i]);
            relays.add(relay);
            LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, "viewer" + i, 1));
            viewer.setAnswer(relay.rewriteAnswer(conference.subscribe("viewer-" + i, viewer.createOffer()).sdpAnswer()));
            viewers.add(viewer);
        }
        await("every viewer decodes video", CONNECT_WITHIN_MILLIS, () -> viewers.stream()
                .allMatch(v -> v.track(VIDEO_MID) != null && v.track(VIDEO_MID).frames() > 0), conference);
        viewers.forEach(v -> v.track(VIDEO_MID).resetGap());

        // judged, not started there: the viewer's own estimate (its first REMB) has come in
        await("each viewer is judged by its estimate, sent and decodes the layer its line carries", LAYER_WITHIN_MILLIS, () -> {
            for (int i = 0; i < viewers.size(); i++) {
                if (!forwards(conference, i, layers, i)
                        || conference.endpoint("viewer-" + i).orElseThrow().estimatedBandwidthBps() < 0) {
                    return false;
                }
            }
            return width(viewers, 0) < width(viewers, 1) && width(viewers, 1) < width(viewers, 2);
        }, conference);
        long machinePauseMillis = viewers.get(2).track(VIDEO_MID).maxGapMillis();
        System.out.printf("simulcast: longest pauses %d / %d / %d ms (300 kbit/s, 1 Mbit/s, unlimited)%n",
                viewers.get(0).track(VIDEO_MID).maxGapMillis(), viewers.get(1).track(VIDEO_MID).maxGapMillis(), machinePauseMillis);
        for (int i = 0; i < 2; i++) {
            assertThat(viewers.get(i).track(VIDEO_MID).maxGapMillis())
                    .as("longest pause at viewer %d, beside the unthrottled viewer's own %d ms", i, machinePauseMillis)
                    .isLessThanOrEqualTo(machinePauseMillis + 1000);
        }

        int[] widthsBefore = {width(viewers, 0), width(viewers, 1)};
        relays.get(0).setRateBps(ThrottlingUdpRelay.UNLIMITED);
        relays.get(1).setRateBps(ThrottlingUdpRelay.UNLIMITED);
        await("both freed viewers are sent and decode a higher layer", CLIMB_WITHIN_MILLIS, () ->
                forwardsAbove(conference, 0, layers, 0) && forwardsAbove(conference, 1, layers, 1)
                        && width(viewers, 0) > widthsBefore[0] && width(viewers, 1) > widthsBefore[1], conference);
    }

    /** Whether viewer {@code i} is sent layer {@code layer} (chosen and switched: its SSRC is forwarded). */
    private static boolean forwards(Conference conference, int viewer, SimulcastLayers layers, int layer) {
        Subscription video = video(conference, viewer);
        return video.forwardedLayer() == layer
                && video.forwardedSourceSsrc() == Integer.toUnsignedLong(layers.layer(layer).ssrc());
    }

    private static boolean forwardsAbove(Conference conference, int viewer, SimulcastLayers layers, int layer) {
        for (int above = layer + 1; above < layers.count(); above++) {
            if (forwards(conference, viewer, layers, above)) {
                return true;
            }
        }
        return false;
    }

    private static Subscription video(Conference conference, int viewer) {
        return conference.endpoint("viewer-" + viewer).orElseThrow().subscriptions().stream()
                .filter(s -> s.slot().kind() == MediaKind.VIDEO).findFirst().orElseThrow();
    }

    private static int width(List<LibwebrtcPeer> viewers, int i) {
        return viewers.get(i).track(VIDEO_MID).lastWidth();
    }

    private static void await(String what, long withinMillis, BooleanSupplier condition, Conference conference)
            throws InterruptedException {
        long start = System.currentTimeMillis();
        long nextTrace = start;
        while (!condition.getAsBoolean()) {
            long now = System.currentTimeMillis();
            if (now >= nextTrace) {
                trace(conference, now - start);
                nextTrace = now + 1000;
            }
            if (now - start > withinMillis) {
                trace(conference, now - start);
                throw new AssertionError(what + ": not within " + withinMillis + " ms");
            }
            Thread.sleep(50);
        }
        System.out.printf("simulcast: %s after %d ms%n", what, System.currentTimeMillis() - start);
    }

    private static void trace(Conference conference, long elapsedMillis) {
        StringBuilder line = new StringBuilder("simulcast +" + elapsedMillis + " ms:");
        SimulcastLayers layers = conference.stage().slot(SlotName.MAIN, MediaKind.VIDEO).source().layers();
        line.append(" layers kbit/s");
        for (long bps : layers.bitratesBps()) {
            line.append(' ').append(bps / 1000);
        }
        for (int i = 0; i < DOWNLINKS_BPS.length; i++) {
            int viewer = i;
            conference.endpoint("viewer-" + i).ifPresent(e -> line.append(" | viewer ").append(viewer)
                    .append(" estimate ").append(e.estimatedBandwidthBps() / 1000)
                    .append(" layer ").append(video(conference, viewer).forwardedLayer())
                    .append(" padding kB ").append(video(conference, viewer).paddingBytesSent() / 1000));
        }
        System.out.println(line);
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }
}
