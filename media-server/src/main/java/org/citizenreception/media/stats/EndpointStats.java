package org.citizenreception.media.stats;

/**
 * A snapshot of one endpoint's traffic, handed to the embedding application.
 *
 * @param packetsReceived   SRTP/SRTCP packets received and authenticated
 * @param bytesReceived     their bytes
 * @param packetsSent       packets sent to the endpoint
 * @param bytesSent         their bytes
 * @param packetsLost       for a viewer, packets it reported lost in its RTCP receiver reports
 *                          (summed over its streams); 0 for a publisher (not measured yet)
 * @param roundTripMillis   the last RTT measured, or -1: not measured yet (needs sender reports to viewers)
 * @param bitrateReceivedBps average receive bitrate since the previous snapshot
 * @param bitrateSentBps     average send bitrate since the previous snapshot
 */
public record EndpointStats(long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
                            long packetsLost, long roundTripMillis, long bitrateReceivedBps, long bitrateSentBps) {
}
