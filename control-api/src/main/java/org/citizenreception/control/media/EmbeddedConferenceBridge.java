package org.citizenreception.control.media;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.conference.CascadeLink;
import org.citizenreception.media.conference.CascadeUpstream;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.Endpoint;
import org.citizenreception.media.conference.JoinTimeline;
import org.citizenreception.media.conference.SdpAnswerResult;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.conference.SlotRecording;

/**
 * The default: the conferences run on the {@link MediaBridge} inside this process, called directly.
 * Placement is moot (there is one bridge). Also what a standalone bridge process serves its HTTP API
 * with, so the remote path runs the same calls.
 */
public final class EmbeddedConferenceBridge implements ConferenceBridge {
    private final MediaBridge bridge;

    public EmbeddedConferenceBridge(MediaBridge bridge) {
        this.bridge = bridge;
    }

    public MediaBridge mediaBridge() {
        return bridge;
    }

    @Override
    public void setEventListener(MediaEventListener listener) {
        bridge.setEventListener(listener);
    }

    @Override
    public SdpAnswerResult publish(String conferenceId, String endpointId, EndpointPlacement placement, String offer,
                                   SlotName slot) {
        return inConference(conferenceId, c -> c.publish(endpointId, offer, slot));
    }

    @Override
    public SdpAnswerResult subscribe(String conferenceId, String endpointId, EndpointPlacement placement, String offer,
                                     long offerReceivedNanos) {
        return inConference(conferenceId, c -> c.subscribe(endpointId, offer, offerReceivedNanos));
    }

    /** Joins the conference, creating it for the first endpoint; a first endpoint refused leaves no empty conference behind. */
    private SdpAnswerResult inConference(String conferenceId, java.util.function.Function<Conference, SdpAnswerResult> join) {
        boolean[] created = new boolean[1];
        Conference conference = conferenceFor(conferenceId, created);
        try {
            return join.apply(conference);
        } catch (RuntimeException e) {
            if (created[0] && conference.endpoints().isEmpty()) {
                conference.close();
            }
            throw e;
        }
    }

    /** Two first endpoints of one session may race here; one creates, the other finds it. */
    private synchronized Conference conferenceFor(String conferenceId, boolean[] created) {
        Optional<Conference> existing = bridge.conference(conferenceId);
        if (existing.isPresent() && !existing.get().isClosed()) {
            return existing.get();
        }
        created[0] = true;
        return bridge.createConference(conferenceId);
    }

    private Optional<Conference> open(String conferenceId) {
        return bridge.conference(conferenceId).filter(c -> !c.isClosed());
    }

    private Optional<Endpoint> endpoint(String conferenceId, String endpointId) {
        return bridge.conference(conferenceId).flatMap(c -> c.endpoint(endpointId));
    }

    @Override
    public boolean isOpen(String conferenceId) {
        return open(conferenceId).isPresent();
    }

    @Override
    public boolean hasEndpoint(String conferenceId, String endpointId) {
        return endpoint(conferenceId, endpointId).filter(e -> !e.isClosed()).isPresent();
    }

    @Override
    public Optional<String> restartIce(String conferenceId, String endpointId, String offerFragment) {
        return endpoint(conferenceId, endpointId).map(e -> e.restartIce(offerFragment));
    }

    @Override
    public void answerSent(String conferenceId, String endpointId) {
        endpoint(conferenceId, endpointId).ifPresent(e -> e.joinTimeline().reach(JoinTimeline.Milestone.ANSWER_SENT));
    }

    @Override
    public boolean closeEndpoint(String conferenceId, String endpointId) {
        Optional<Endpoint> endpoint = endpoint(conferenceId, endpointId);
        endpoint.ifPresent(Endpoint::close);
        return endpoint.isPresent();
    }

    @Override
    public void pinLayer(String conferenceId, String endpointId, int layerIndex) {
        endpoint(conferenceId, endpointId).ifPresent(e -> e.pinLayer(layerIndex));
    }

    @Override
    public Optional<LayerReading> layerOf(String conferenceId, String endpointId) {
        return endpoint(conferenceId, endpointId).map(e -> new LayerReading(e.simulcastLayer(), e.estimatedBandwidthBps()));
    }

    @Override
    public void setGuest(String conferenceId, String endpointIdOrNull) {
        open(conferenceId).ifPresent(c -> c.setGuest(endpointIdOrNull));
    }

    @Override
    public Optional<SlotFeed> record(String conferenceId, SlotName slot, InetSocketAddress audioRtp, InetSocketAddress videoRtp) {
        return open(conferenceId).map(c -> new RecordingFeed(c.record(slot, audioRtp, videoRtp)));
    }

    @Override
    public void closeConference(String conferenceId) {
        bridge.conference(conferenceId).ifPresent(Conference::close);
    }

    /** Opens the conference (the root of a cascade, before any endpoint of it is here); true when it was new. */
    public boolean openConference(String conferenceId) {
        boolean[] created = new boolean[1];
        conferenceFor(conferenceId, created);
        return created[0];
    }

    /** Closes the conference's link to its upstream bridge (this bridge became the root); false when it had none. */
    public boolean closeUpstream(String conferenceId) {
        Optional<CascadeLink> link = open(conferenceId).flatMap(Conference::upstreamLink);
        link.ifPresent(CascadeLink::close);
        return link.isPresent();
    }

    /**
     * The upstream end of cascade link {@code linkId} from another bridge; empty when the conference
     * is not open here (the downstream bridge's link then fails and control-api places it again).
     */
    public Optional<CascadeUpstream.Answers> acceptLink(String conferenceId, String linkId, String downOffer, String upOffer) {
        return open(conferenceId).map(c -> c.acceptLink(linkId, downOffer, upOffer));
    }

    /** Closes the upstream end of link {@code linkId}; false when the conference is not open here. */
    public boolean closeLink(String conferenceId, String linkId) {
        Optional<Conference> conference = open(conferenceId);
        conference.ifPresent(c -> c.closeLink(linkId));
        return conference.isPresent();
    }

    /**
     * Cascades conference {@code conferenceId} (created here if it is not yet) from {@code upstream}
     * over link {@code linkId}. The same link again is a no-op; another one replaces the old link (its
     * upstream bridge died and control-api chose a new root), so local viewers stay connected.
     */
    public void linkUpstream(String conferenceId, String linkId, CascadeUpstream upstream) {
        boolean[] created = new boolean[1];
        Conference conference = conferenceFor(conferenceId, created);
        synchronized (conference) {
            Optional<CascadeLink> current = conference.upstreamLink();
            if (current.isPresent() && current.get().id().equals(linkId)) {
                return;
            }
            current.ifPresent(CascadeLink::close);
            try {
                bridge.linkUpstream(conferenceId, linkId, upstream);
            } catch (RuntimeException e) {
                if (created[0] && conference.endpoints().isEmpty()) {
                    conference.close();
                }
                throw e;
            }
        }
    }

    /** The media bridge is closed by whoever started it (it outlives the adapter at shutdown). */
    @Override
    public void close() {
    }

    /** The bridge's own recording subscription; its clock is this process's {@link System#nanoTime()}. */
    private record RecordingFeed(SlotRecording recording) implements SlotFeed {
        @Override
        public long packetsSent() {
            return recording.packetsSent();
        }

        @Override
        public long firstPacketUnixMillis() {
            return recording.firstPacketUnixMillis();
        }

        @Override
        public boolean hasVideo() {
            return recording.hasVideo();
        }

        @Override
        public long lastPacketNanos() {
            return recording.lastPacketNanos();
        }

        @Override
        public void requestKeyframe() {
            recording.requestKeyframe();
        }

        @Override
        public void close() {
            recording.close();
        }
    }
}
