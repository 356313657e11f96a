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
