package org.citizenreception.control.bridge;

import java.util.List;

/** The JSON bodies between control-api and its bridges, one record per message. */
public final class BridgeWire {
    private BridgeWire() {
    }

    /** Control-api asks a bridge for an endpoint: a publisher ({@code slot} "main" or "guest") or a viewer (no slot). */
    public record EndpointRequest(String endpointId, String offer, String slot) {
    }

    public record EndpointAnswer(String endpointId, String answer) {
    }

    public record IceRestartRequest(String fragment) {
    }

    public record IceRestartAnswer(String answer) {
    }

    /** A viewer's simulcast pin: a layer index (0 the lowest) or -1 to let its bandwidth choose. */
    public record LayerRequest(Integer layer) {
    }

    /** {@code endpointId} null empties the guest slot. */
    public record GuestRequest(String endpointId) {
    }

    /**
     * What a viewer is sent of the host's simulcast: the layer index (null when none is chosen yet)
     * and the bandwidth its line is judged to carry (-1 when not yet estimated).
     */
    public record LayerReading(Integer layer, long estimateBps) {
    }

    /**
     * A downstream bridge opens cascade link {@code linkId} on the upstream bridge: {@code downOffer}
     * subscribes to every stage slot, {@code upOffer} publishes its guest slot (see CascadeUpstream).
     */
    public record LinkRequest(String downOffer, String upOffer) {
    }

    public record LinkAnswers(String down, String up) {
    }

    /**
     * Control-api tells a bridge to cascade a conference from another bridge's: link {@code linkId}
     * to the conference of the same id on bridge {@code upstreamBridgeId}, whose API is at
     * {@code upstreamApiUrl}. The bridge opens the link itself with a token it mints for that bridge.
     */
    public record UpstreamRequest(String linkId, String upstreamBridgeId, String upstreamApiUrl) {
    }

    /** Plain RTP of one slot to a muxer; addresses as {@code host:port}. */
    public record RecordingRequest(String slot, String audioRtp, String videoRtp) {
    }

    /**
     * A recording feed's counters; {@code lastPacketAgoMillis} rather than the bridge's monotonic
     * clock, which means nothing in another process (-1 before any packet).
     */
    public record RecordingStatus(String recordingId, long packetsSent, long firstPacketUnixMillis, boolean hasVideo,
                                  long lastPacketAgoMillis) {
    }

    public record ConferenceStatus(String conferenceId, boolean open, List<String> endpoints) {
    }

    /**
     * A bridge's registration, repeated as its heartbeat every ~2 s.
     *
     * @param apiUrl           where control-api reaches the bridge's API ({@code http://host:port})
     * @param mediaAddress     the UDP address clients send media to ({@code host:port})
     * @param region           a room code: the bridge serves that room and the rooms below it; empty takes anyone
     * @param capacity         endpoints it is sized for
     * @param endpoints        endpoints open now
     * @param packetsPerSecond RTP/RTCP packets received per second over the last interval
     * @param cpuLoad          the process's recent CPU use, 0..1 of the machine (-1 when unknown)
     */
    public record Heartbeat(String apiUrl, String mediaAddress, String region, int capacity, int endpoints,
                            long packetsPerSecond, double cpuLoad) {
    }

    /**
     * One media event ({@link org.citizenreception.media.MediaEventListener}) of a remote bridge. {@code type}:
     * connected, interrupted, resumed, disconnected, stats, dominant-speaker. Fields a type does not use are null.
     */
    public record Event(String type, String conferenceId, String endpointId, String remote, String reason,
                        Long silentMillis, Stats stats) {
    }

    public record Stats(long packetsReceived, long bytesReceived, long packetsSent, long bytesSent, long packetsLost,
                        long roundTripMillis, long bitrateReceivedBps, long bitrateSentBps) {
    }

    public record Events(List<Event> events) {
    }
}
