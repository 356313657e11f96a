package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.conference.CascadeTest.await;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LightweightViewer;
import org.citizenreception.media.testing.LossyUdpRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Feedback crosses a cascade link once, not once per viewer below it: many viewers joining and
 * asking for keyframes on a leaf cost the root's host a handful of keyframe requests, and a
 * packet lost on the link (a seeded lossy relay between the bridges) is retransmitted by the root
 * once, whatever the viewers below; a packet lost between the leaf and one of its viewers is
 * repaired by the leaf from its own history and never asked of the root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CascadeFeedbackTest {
    private static final int LEAF_VIEWERS = 12;
    private PeerConnectionFactory factory;
    private final List<MediaBridge> bridges = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    void startFactory() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        closeables.clear();
        bridges.forEach(MediaBridge::close);
        bridges.clear();
    }

    @AfterAll
    void stopFactory() {
        factory.dispose();
    }

    private MediaBridge bridge() {
        MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                new SimpleMeterRegistry());
        bridges.add(bridge);
        return bridge;
    }

    @Test
    void viewersJoiningAndAskingForKeyframesOnALeafCostTheHostAHandfulOfRequests() throws Exception {
        MediaBridge root = bridge();
        MediaBridge leaf = bridge();
        Conference rootConference = root.createConference("s");
        Conference leafConference = leaf.createConference("s");
        CascadeLink link = leaf.linkUpstream("s", "leaf", CascadeUpstream.inProcess(rootConference));
        publishHost(rootConference);
        LightweightViewer first = join(leafConference, "first");
        await("the first leaf viewer gets a keyframe", () -> first.joinToKeyframeNanos() > 0);
        Thread.sleep(1500); // past the first viewer's own request, which the limiter may still owe

        double hostRequestsBefore = root.metrics().plisSentCount();
        long linkRequestsBefore = link.stats().keyframeRequestsUp();
        long windowStartNanos = System.nanoTime();
        List<LightweightViewer> viewers = new ArrayList<>();
        for (int i = 0; i < LEAF_VIEWERS; i++) {
            viewers.add(join(leafConference, "room-" + i));
        }
        viewers.forEach(LightweightViewer::requestKeyframe);
        await("every leaf viewer gets a keyframe", () -> viewers.stream().allMatch(v -> v.joinToKeyframeNanos() > 0));
        // each viewer's reader thread sends its request when it next runs
        await("every leaf viewer sent its keyframe request", () -> viewers.stream().allMatch(v -> v.plisSent() > 0));
        long viewerRequests = viewers.stream().mapToLong(LightweightViewer::plisSent).sum();
        Thread.sleep(1500); // a request the limiter merged comes due within its interval
        double hostRequests = root.metrics().plisSentCount() - hostRequestsBefore;
        long linkRequests = link.stats().keyframeRequestsUp() - linkRequestsBefore;
        // the limiter lets one request a source through per interval (400 ms by default), merged, however many asked
        long windowMillis = (System.nanoTime() - windowStartNanos) / 1_000_000;
        long limiterAllows = windowMillis / MediaBridgeConfig.DEFAULT_KEYFRAME_REQUEST_INTERVAL.toMillis() + 1;
        System.out.printf("%d leaf viewers joined and sent %d keyframe requests: %d went up the link, the host got %.0f"
                + " (in %d ms, where the limiter allows %d)%n", LEAF_VIEWERS, viewerRequests, linkRequests, hostRequests,
                windowMillis, limiterAllows);
        assertThat(viewerRequests).isGreaterThanOrEqualTo(LEAF_VIEWERS);
        assertThat(linkRequests).as("keyframe requests up the link").isLessThanOrEqualTo(Math.min(limiterAllows, LEAF_VIEWERS / 3));
        assertThat(hostRequests).as("keyframe requests the root sent its host, beyond what came up the link")
                .isLessThanOrEqualTo(linkRequests + 1);
    }

    @Test
    void aPacketLostOnTheLinkIsRetransmittedByTheRootOnceWhateverTheViewersBelow() throws Exception {
        MediaBridge root = bridge();
        MediaBridge leaf = bridge();
        Conference rootConference = root.createConference("s");
        Conference leafConference = leaf.createConference("s");
        LossyUdpRelay relay = new LossyUdpRelay(root.localAddress(), 40, 7);
        closeables.add(relay);
        CascadeUpstream direct = CascadeUpstream.inProcess(rootConference);
        CascadeUpstream lossy = new CascadeUpstream() {
            @Override
            public Answers open(String linkId, String downOffer, String upOffer) {
                Answers answers = direct.open(linkId, downOffer, upOffer);
                return new Answers(relay.rewriteAnswer(answers.down()), answers.up());
            }

            @Override
            public void close(String linkId) {
                direct.close(linkId);
            }
        };
        CascadeLink link = leaf.linkUpstream("s", "leaf", lossy);
        publishHost(rootConference);
        List<LightweightViewer> viewers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LightweightViewer viewer = new LightweightViewer();
            if (i % 2 == 0) {
                // lost between the leaf and this viewer, once: the viewer NACKs it of the leaf
                viewer.simulate(LightweightViewer.SimulatedLoss.PACKET_AFTER_KEYFRAME_START);
            }
            closeables.add(viewer);
            viewer.connect(leafConference.subscribe("room-" + i, viewer.offer()).sdpAnswer());
            viewers.add(viewer);
        }
        LibwebrtcPeer decoder = LibwebrtcPeer.viewer(factory, "decoder", 1);
        closeables.add(decoder::close);
        decoder.setAnswer(leafConference.subscribe("decoder", decoder.createOffer()).sdpAnswer());
        await("a libwebrtc viewer on the leaf decodes through the lossy link",
                () -> decoder.track("1") != null && decoder.track("1").frames() > 60);

        long linkVideoSsrc = Integer.toUnsignedLong(rootConference.endpoint("link:leaf:down").orElseThrow().subscriptions()
                .stream().filter(s -> s.slot().name() == SlotName.MAIN && s.slot().kind() == MediaKind.VIDEO)
                .findFirst().orElseThrow().outgoingSsrcBits());
        double servedBefore = root.metrics().nacksServedCount();
        long leafViewerNacksBefore = viewers.stream().mapToLong(LightweightViewer::nackedPackets).sum();
        long droppedBefore = relay.dropped(linkVideoSsrc);
        long lossesBefore = link.stats().lossesDown();
        int framesBefore = decoder.track("1").frames();
        await("the link loses 20 more video packets", () -> relay.dropped(linkVideoSsrc) - droppedBefore >= 20);
        // what the link lost so far must be found and resent by the root (a few may be lost again or
        // still in flight); the wait ends when that holds, and fails after its deadline if it never does
        long lostInWindow = relay.dropped(linkVideoSsrc) - droppedBefore;
        await("the leaf finds and the root resends the link's losses",
                () -> link.stats().lossesDown() - lossesBefore >= lostInWindow - 2
                        && root.metrics().nacksServedCount() - servedBefore >= lostInWindow * 0.8);
        long dropped = relay.dropped(linkVideoSsrc) - droppedBefore;
        double served = root.metrics().nacksServedCount() - servedBefore;
        long detected = link.stats().lossesDown() - lossesBefore;
        long leafViewerNacks = viewers.stream().mapToLong(LightweightViewer::nackedPackets).sum() - leafViewerNacksBefore;
        double leafServed = leaf.metrics().nacksServedCount();
        long droppedInAll = relay.dropped(linkVideoSsrc);
        double servedInAll = root.metrics().nacksServedCount();
        System.out.printf("link dropped %d video packets, the leaf found %d missing, the root resent %.0f;"
                        + " the leaf's %d viewers NACKed %d packets of the leaf meanwhile (the leaf forwards a repair from"
                        + " the root to them as it comes); the leaf resent %.0f from its own history in all;"
                        + " over the whole test the link dropped %d and the root resent %.0f; the decoder showed %d frames%n",
                dropped, detected, served, viewers.size(), leafViewerNacks, leafServed, droppedInAll, servedInAll,
                decoder.track("1").frames() - framesBefore);
        assertThat(detected).as("losses the leaf found on the link").isGreaterThanOrEqualTo(lostInWindow - 2);
        // each loss once, plus a repair the relay dropped in turn (1 in 40), a few in flight at either end, and
        // the leaf's own second NACK when a repair was late on a loaded machine; once per leaf viewer would be 4x
        assertThat(served).as("retransmissions by the root").isBetween(lostInWindow * 0.8, dropped * 1.5 + 4);
        assertThat(leafServed).as("repairs the leaf sent its viewers from its own history").isGreaterThanOrEqualTo(2);
        assertThat(servedInAll).as("the root's retransmissions over the whole test: the link's losses only, not the"
                + " viewers' (once per leaf viewer would be 4x)").isLessThanOrEqualTo(droppedInAll * 1.5 + 4);
        assertThat(decoder.track("1").frames() - framesBefore).isPositive();
    }

    private void publishHost(Conference conference) throws Exception {
        LibwebrtcPeer host = LibwebrtcPeer.publisher(factory, "host");
        closeables.add(host::close);
        host.setAnswer(conference.publish("host", host.createOffer(), SlotName.MAIN).sdpAnswer());
        host.startMedia();
    }

    private LightweightViewer join(Conference conference, String id) throws Exception {
        LightweightViewer viewer = new LightweightViewer();
        closeables.add(viewer);
        viewer.connect(conference.subscribe(id, viewer.offer()).sdpAnswer());
        return viewer;
    }
}
