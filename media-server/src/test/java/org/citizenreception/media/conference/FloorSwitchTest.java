package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The floor moves between two rooms while viewers watch both slots: the guest video keeps
 * decoding across each switch (no pause over a second) and nobody renegotiates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FloorSwitchTest {
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

    @Test
    void guestVideoKeepsDecodingWhenTheFloorMovesToAnotherRoomAndBack() throws Exception {
        Conference conference = bridge.createConference("floor");
        publish(conference, "host", SlotName.MAIN);
        publish(conference, "room-a", SlotName.GUEST);
        publish(conference, "room-b", null);
        List<LibwebrtcPeer> viewers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, "viewer" + i, 2));
            viewer.setAnswer(conference.subscribe("viewer-" + i, viewer.createOffer()).sdpAnswer());
            viewers.add(viewer);
        }
        awaitGuestFrames(viewers, 20_000);
        Thread.sleep(1000);

        for (String room : List.of("room-b", "room-a", "room-b")) {
            viewers.forEach(v -> v.track("3").resetGap());
            int[] before = viewers.stream().mapToInt(v -> v.track("3").frames()).toArray();
            conference.setGuest(room);
            Thread.sleep(3000);
            for (int i = 0; i < viewers.size(); i++) {
                LibwebrtcPeer.TrackFrames guest = viewers.get(i).track("3");
                System.out.printf("switch to %s: viewer %d guest track %d frames in 3 s, longest pause %d ms%n",
                        room, i, guest.frames() - before[i], guest.maxGapMillis());
                assertThat(guest.maxGapMillis()).as("longest guest pause at viewer %d after switching to %s", i, room)
                        .isLessThan(1000);
                assertThat(guest.frames() - before[i]).isGreaterThan(60);
                assertThat(viewers.get(i).track("1").maxGapMillis()).as("program pause").isLessThan(1000);
            }
            Source guestVideo = conference.stage().slot(SlotName.GUEST, "video").source();
            assertThat(guestVideo.id()).isEqualTo(room + "-video");
            for (int i = 0; i < viewers.size(); i++) {
                Subscription guest = conference.endpoint("viewer-" + i).orElseThrow().subscriptions().stream()
                        .filter(s -> s.slot().name() == SlotName.GUEST && s.slot().kind().equals("video"))
                        .findFirst().orElseThrow();
                assertThat(guest.forwardedSourceSsrc()).as("source forwarded to viewer %d", i)
                        .isEqualTo(Integer.toUnsignedLong(guestVideo.ssrc()));
            }
        }
    }

    private void publish(Conference conference, String id, SlotName slot) throws Exception {
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, id));
        // room-b connects without a slot: it is published into GUEST and the floor then given back to room-a
        SlotName into = slot == null ? SlotName.GUEST : slot;
        publisher.setAnswer(conference.publish(id, publisher.createOffer(), into).sdpAnswer());
        publisher.startMedia();
        if (slot == null) {
            conference.setGuest("room-a");
        }
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static void awaitGuestFrames(List<LibwebrtcPeer> viewers, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (viewers.stream().allMatch(v -> v.track("3") != null && v.track("3").frames() > 10
                    && v.track("1") != null && v.track("1").frames() > 10)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("viewers did not decode both slots within " + timeoutMillis + " ms");
    }
}
