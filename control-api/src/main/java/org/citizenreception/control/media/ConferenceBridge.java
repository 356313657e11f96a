package org.citizenreception.control.media;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.conference.SdpAnswerResult;
import org.citizenreception.media.conference.SlotName;

/**
 * Where the sessions' conferences run, as control-api drives them: the bridge embedded in this
 * process ({@link EmbeddedConferenceBridge}, the default) or bridge processes of their own reached
 * over their HTTP API ({@link RemoteConferenceBridges}). Everything control-api asks of media goes
 * through here, so the two are interchangeable; the events come back through one
 * {@link MediaEventListener} whichever bridge an endpoint is on.
 *
 * <p>Conferences and endpoints are named by control-api's ids; a conference comes into being with
 * its first endpoint. Calls for a conference or endpoint that has gone are answered as "absent"
 * (empty, false), never by an exception, since a bridge can lose them at any time.
 */
public interface ConferenceBridge extends AutoCloseable {
    /**
     * The disconnect reason of the endpoints of a bridge that died: their clients must connect again
     * (to another bridge), and the room's gap is already recorded by the interruption reported first.
     */
    String BRIDGE_LOST = "bridge lost";

    /** The one listener for every bridge's endpoint events; replaces the previous one. */
    void setEventListener(MediaEventListener listener);

    /**
     * A new publishing endpoint of {@code conferenceId} (created when absent), its media going into
     * {@code slot}.
     *
     * @throws IllegalArgumentException when the offer cannot be answered (unsupported, malformed)
     * @throws BridgeUnavailableException when no bridge can take the endpoint
     */
    SdpAnswerResult publish(String conferenceId, String endpointId, EndpointPlacement placement, String offer, SlotName slot);

    /**
     * A new viewer of {@code conferenceId} (created when absent): the program and, when offered, the guest slot.
     *
     * @param offerReceivedNanos {@link System#nanoTime()} when the offer reached control-api (join timeline)
     */
    SdpAnswerResult subscribe(String conferenceId, String endpointId, EndpointPlacement placement, String offer,
                              long offerReceivedNanos);

    /** Whether the conference exists and is open. */
    boolean isOpen(String conferenceId);

    /** Whether the endpoint exists and has not closed. */
    boolean hasEndpoint(String conferenceId, String endpointId);

    /** ICE restart: the answer fragment, or empty when the endpoint is gone. */
    Optional<String> restartIce(String conferenceId, String endpointId, String offerFragment);

    /** The answer to the endpoint's offer has gone back to the client (its join timeline's second step). */
    void answerSent(String conferenceId, String endpointId);

    /** Closes the endpoint (its disconnect event follows); false when it was already gone. */
    boolean closeEndpoint(String conferenceId, String endpointId);

    /** Maps a publishing endpoint's sources into the guest slot, or empties it ({@code null}). */
    void setGuest(String conferenceId, String endpointIdOrNull);

    /**
     * The recorder's feed of one slot as plain RTP to a muxer's ports; empty when the conference is
     * not open.
     */
    Optional<SlotFeed> record(String conferenceId, SlotName slot, InetSocketAddress audioRtp, InetSocketAddress videoRtp);

    /** Closes the conference and every endpoint in it; nothing when it is absent. */
    void closeConference(String conferenceId);

    /**
     * Pins a viewer's video to a simulcast layer of the host's (0 the lowest), or lets its bandwidth
     * choose again ({@code -1}); nothing when the endpoint is gone.
     */
    void pinLayer(String conferenceId, String endpointId, int layerIndex);

    /**
     * The simulcast layer a viewer is sent and its bandwidth estimate, as the host's wall shows them;
     * empty when the endpoint is gone or its bridge does not report them here.
     */
    Optional<LayerReading> layerOf(String conferenceId, String endpointId);

    /** @param layer the layer sent (empty when the slot has no layers), @param estimateBps -1 before the first estimate */
    record LayerReading(java.util.OptionalInt layer, long estimateBps) {
    }

    /** The bridge an endpoint runs on, as the host's room wall names it; empty when embedded or unknown. */
    default Optional<String> bridgeOf(String conferenceId, String endpointId) {
        return Optional.empty();
    }

    @Override
    void close();
}
