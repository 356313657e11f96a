package org.citizenreception.media.stats;

/**
 * A snapshot of one endpoint's traffic, handed to the embedding application.
 *
 * @param packetsReceived   SRTP/SRTCP packets received and authenticated
 * @param bytesReceived     their bytes
 * @param packetsSent       packets sent to the endpoint
 * @param bytesSent         their bytes
 * @param packetsLost       packets the endpoint reported lost (RTCP receiver reports), or the
 *                          bridge detected lost from a publisher
 * @param roundTripMillis   the last RTT measured, or -1 when none yet
 * @param bitrateReceivedBps average receive bitrate since the previous snapshot
 * @param bitrateSentBps     average send bitrate since the previous snapshot
 */
public record EndpointStats(long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
                            long packetsLost, long roundTripMillis, long bitrateReceivedBps, long bitrateSentBps) {
}
