package org.citizenreception.client;

/**
 * A snapshot of one publisher. {@code keyframeRequests} = PLIs + FIRs received for its video SSRC:
 * the number a bridge must keep small when many viewers join at once.
 */
public record PublisherStats(String id, long videoPackets, long audioPackets, long bytesSent, long framesSent,
        long keyframesSent, long plisReceived, long firsReceived, long nacksReceived, long retransmissionsSent,
        long rtcpReceived, long srtpAuthFailures, long otherDrops) {

    public long keyframeRequests() {
        return plisReceived + firsReceived;
    }
}
