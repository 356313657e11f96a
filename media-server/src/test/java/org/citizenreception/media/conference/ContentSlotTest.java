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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The content slot (a shared screen) is a third pair a viewer negotiates once at join: shares start,
 * replace each other and stop while viewers keep their one offer, and a viewer that offered only the
 * program never sees any of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentSlotTest {
    /** Bounds the waits only: connecting and decoding take seconds on a loaded machine. */
    private static final long TIMEOUT_MILLIS = 60_000;
    /** Mids of a three-pair viewer: audio and video of main (0, 1), guest (2, 3), content (4, 5). */
    private static final String PROGRAM_VIDEO = "1";
    private static final String CONTENT_VIDEO = "5";

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
    void aViewerOfferingThreePairsGetsTheContentSlotOnTheThirdAndAProgramOnlyViewerDoesNot() throws Exception {
        Conference conference = bridge.createConference("content-negotiation");
        LibwebrtcPeer stageViewer = track(LibwebrtcPeer.viewer(factory, "stage", 3));
        String answer = conference.subscribe("stage", stageViewer.createOffer()).sdpAnswer();
        LibwebrtcPeer programViewer = track(LibwebrtcPeer.viewer(factory, "program", 1));
        conference.subscribe("program", programViewer.createOffer());

        assertThat(slotsOf(conference, "stage", MediaKind.VIDEO)).containsExactly(SlotName.MAIN, SlotName.GUEST, SlotName.CONTENT);
        assertThat(slotsOf(conference, "stage", MediaKind.AUDIO)).containsExactly(SlotName.MAIN, SlotName.GUEST, SlotName.CONTENT);
        assertThat(slotsOf(conference, "program", MediaKind.VIDEO)).containsExactly(SlotName.MAIN);
        assertThat(answer).contains("msid:content content-video");
        assertThat(conference.stage().slot(SlotName.CONTENT, MediaKind.VIDEO).source()).as("empty until someone shares").isNull();
    }

    @Test
    void aShareReachesViewersWithoutRenegotiationANewShareReplacesItAndStoppingEmptiesTheSlot() throws Exception {
        Conference conference = bridge.createConference("content-share");
        LibwebrtcPeer host = track(LibwebrtcPeer.publisher(factory, "host"));
        host.setAnswer(conference.publish("host", host.createOffer(), SlotName.MAIN).sdpAnswer());
        host.startMedia();
        LibwebrtcPeer stageViewer = track(LibwebrtcPeer.viewer(factory, "stage", 3));
        stageViewer.setAnswer(conference.subscribe("stage", stageViewer.createOffer()).sdpAnswer());
        LibwebrtcPeer programViewer = track(LibwebrtcPeer.viewer(factory, "program", 1));
        programViewer.setAnswer(conference.subscribe("program", programViewer.createOffer()).sdpAnswer());
        await("both viewers decode the program", () -> frames(stageViewer, PROGRAM_VIDEO) > 10 && frames(programViewer, PROGRAM_VIDEO) > 10);
        assertThat(frames(stageViewer, CONTENT_VIDEO)).as("frames on the content pair before a share").isZero();

        // The host shares a screen with its sound.
        LibwebrtcPeer first = track(LibwebrtcPeer.publisher(factory, "share-1"));
        first.setAnswer(conference.publish("share-1", first.createOffer(), SlotName.CONTENT).sdpAnswer());
        first.startMedia();
        await("the stage viewer decodes the first share", () -> frames(stageViewer, CONTENT_VIDEO) > 10);
        assertForwarded(conference, "share-1");
        assertThat(conference.stage().slot(SlotName.CONTENT, MediaKind.AUDIO).source().id()).isEqualTo("share-1-audio");

        // A room shares a window without sound: its picture replaces the first, and the first share's sound goes too.
        LibwebrtcPeer second = track(LibwebrtcPeer.videoOnlyPublisher(factory, "share-2"));
        second.setAnswer(conference.publish("share-2", second.createOffer(), SlotName.CONTENT).sdpAnswer());
        second.startMedia();
        await("the content pair forwards the second share", () -> forwardedContentSsrc(conference)
                == Integer.toUnsignedLong(conference.stage().slot(SlotName.CONTENT, MediaKind.VIDEO).source().ssrc()));
        int atSwitch = frames(stageViewer, CONTENT_VIDEO);
        await("the stage viewer decodes the second share", () -> frames(stageViewer, CONTENT_VIDEO) > atSwitch + 30);
        assertForwarded(conference, "share-2");
        assertThat(conference.stage().slot(SlotName.CONTENT, MediaKind.AUDIO).source()).as("the first share's sound").isNull();

        // The share stops (its endpoint leaves): the slot empties, the program plays on, no viewer renegotiated.
        conference.endpoint("share-2").orElseThrow().close();
        conference.endpoint("share-1").orElseThrow().close();
        await("the content slot is empty", () -> conference.stage().slot(SlotName.CONTENT, MediaKind.VIDEO).source() == null
                && forwardedContentSsrc(conference) == 0);
        int programAfterStop = frames(programViewer, PROGRAM_VIDEO);
        await("the program viewer keeps decoding", () -> frames(programViewer, PROGRAM_VIDEO) > programAfterStop + 30);
        assertThat(programViewer.track(CONTENT_VIDEO)).isNull();
        assertThat(conference.endpoint("stage")).isPresent();
        assertThat(conference.endpoint("program")).isPresent();
    }

    private static void assertForwarded(Conference conference, String publisher) {
        Source video = conference.stage().slot(SlotName.CONTENT, MediaKind.VIDEO).source();
        assertThat(video.id()).isEqualTo(publisher + "-video");
        assertThat(forwardedContentSsrc(conference)).isEqualTo(Integer.toUnsignedLong(video.ssrc()));
    }

    private static long forwardedContentSsrc(Conference conference) {
        return conference.endpoint("stage").orElseThrow().subscriptions().stream()
                .filter(s -> s.slot().name() == SlotName.CONTENT && s.slot().kind() == MediaKind.VIDEO)
                .findFirst().orElseThrow().forwardedSourceSsrc();
    }

    private static List<SlotName> slotsOf(Conference conference, String viewer, MediaKind kind) {
        return conference.endpoint(viewer).orElseThrow().subscriptions().stream()
                .filter(s -> s.slot().kind() == kind).map(s -> s.slot().name()).toList();
    }

    private static int frames(LibwebrtcPeer viewer, String mid) {
        LibwebrtcPeer.TrackFrames track = viewer.track(mid);
        return track == null ? 0 : track.frames();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within " + TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(20);
        }
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }
}
