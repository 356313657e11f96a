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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three bridges in one process on loopback, each with its own port: a root and two leaves cascaded
 * from it (and a chain root, mid, leaf), with real libwebrtc peers publishing and decoding. What a
 * host publishes on the root is decoded by viewers on the leaves; a room given the floor on a leaf
 * is decoded on the root and on the other leaf, and is not sent back down its own link.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CascadeTest {
    /** Bounds the waits only: connecting and the first keyframe take seconds on a loaded 2-core machine. */
    private static final long TIMEOUT_MILLIS = 60_000;
    private PeerConnectionFactory factory;
    private final List<MediaBridge> bridges = new ArrayList<>();
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void startFactory() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
    }

    @AfterEach
    void closeAll() {
        peers.forEach(LibwebrtcPeer::close);
        peers.clear();
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
    void viewersOnTwoLeavesDecodeTheHostOnTheRootAndAGuestOnALeafCrossesBothWays() throws Exception {
        MediaBridge root = bridge();
        MediaBridge leafA = bridge();
        MediaBridge leafB = bridge();
        Conference rootConference = root.createConference("s");
        Conference a = leafA.createConference("s");
        Conference b = leafB.createConference("s");
        CascadeLink linkA = leafA.linkUpstream("s", "a", CascadeUpstream.inProcess(rootConference));
        CascadeLink linkB = leafB.linkUpstream("s", "b", CascadeUpstream.inProcess(rootConference));

        publish(rootConference, "host", SlotName.MAIN);
        LibwebrtcPeer viewerA = view(a, "viewer-a");
        LibwebrtcPeer viewerB = view(b, "viewer-b");
        LibwebrtcPeer viewerRoot = view(rootConference, "viewer-root");
        await("leaf viewers decode the host", () -> frames(viewerA, "1") > 30 && frames(viewerB, "1") > 30);
        assertThat(linkA.isConnected()).isTrue();
        assertThat(linkA.stats().packetsDown()).isPositive();

        publish(a, "room-a", null);
        a.setGuest("room-a");
        await("the root and the other leaf decode the room on leaf a",
                () -> frames(viewerRoot, "3") > 30 && frames(viewerB, "3") > 30 && frames(viewerA, "3") > 30);
        Source rootGuest = rootConference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source();
        assertThat(rootGuest.owner().id()).isEqualTo("link:a:up");
        assertThat(a.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source().owner().id()).isEqualTo("room-a");
        assertThat(guestVideoSubscription(rootConference, "link:a:down").forwardedSourceSsrc())
                .as("the root sends leaf a's own guest stream back down its link").isZero();
        assertThat(guestVideoSubscription(rootConference, "link:b:down").forwardedSourceSsrc())
                .isEqualTo(Integer.toUnsignedLong(rootGuest.ssrc()));

        // the host takes the floor back at the root: leaf a's guest slot follows the root's again
        rootConference.setGuest(null);
        await("leaf a's guest slot follows the root's", () -> a.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source()
                .owner().id().equals("link:a:down"));
        linkB.close();
        await("the root closes link b's endpoints", () -> rootConference.endpoint("link:b:down").isEmpty()
                && rootConference.endpoint("link:b:up").isEmpty());
    }

    @Test
    void aTreeOfDepthTwoCarriesTheHostDownAndALeafRoomUpToTheRoot() throws Exception {
        MediaBridge root = bridge();
        MediaBridge mid = bridge();
        MediaBridge leaf = bridge();
        Conference rootConference = root.createConference("s");
        Conference midConference = mid.createConference("s");
        Conference leafConference = leaf.createConference("s");
        mid.linkUpstream("s", "province", CascadeUpstream.inProcess(rootConference));
        leaf.linkUpstream("s", "region", CascadeUpstream.inProcess(midConference));

        publish(rootConference, "host", SlotName.MAIN);
        LibwebrtcPeer viewerLeaf = view(leafConference, "viewer-leaf");
        LibwebrtcPeer viewerRoot = view(rootConference, "viewer-root");
        await("a viewer two hops down decodes the host", () -> frames(viewerLeaf, "1") > 30);

        publish(leafConference, "commune", null);
        leafConference.setGuest("commune");
        await("the root decodes the commune room two hops up", () -> frames(viewerRoot, "3") > 30);
        assertThat(midConference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source().owner().id())
                .isEqualTo("link:region:up");
        assertThat(rootConference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source().owner().id())
                .isEqualTo("link:province:up");
        assertThat(leafConference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source().owner().id())
                .as("the leaf keeps its room in its guest slot once the root said the floor is its")
                .isEqualTo("commune");
        assertThat(guestVideoSubscription(midConference, "link:region:down").forwardedSourceSsrc()).isZero();
    }

    private static Subscription guestVideoSubscription(Conference conference, String endpointId) {
        return conference.endpoint(endpointId).orElseThrow().subscriptions().stream()
                .filter(s -> s.slot().name() == SlotName.GUEST && s.slot().kind() == MediaKind.VIDEO)
                .findFirst().orElseThrow();
    }

    private LibwebrtcPeer publish(Conference conference, String id, SlotName slot) throws Exception {
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, id));
        publisher.setAnswer(conference.publish(id, publisher.createOffer(), slot == null ? SlotName.GUEST : slot).sdpAnswer());
        publisher.startMedia();
        return publisher;
    }

    private LibwebrtcPeer view(Conference conference, String id) throws Exception {
        LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, id, 2));
        viewer.setAnswer(conference.subscribe(id, viewer.createOffer()).sdpAnswer());
        return viewer;
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static int frames(LibwebrtcPeer viewer, String mid) {
        LibwebrtcPeer.TrackFrames track = viewer.track(mid);
        return track == null ? 0 : track.frames();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within " + TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(50);
        }
    }
}
