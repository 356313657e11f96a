package org.citizenreception.client;

import java.util.List;
import org.citizenreception.client.stats.LatencyHistogram;

/**
 * A consistent snapshot of one viewer, taken on its event loop.
 *
 * @param joinToKeyframeNanos from {@code connect} to the first complete VP8 keyframe, or -1
 * @param readyToKeyframeNanos from SRTP ready to the first complete keyframe, or -1
 * @param latency forwarding latency of video packets (send stamp, or abs-send-time as fallback)
 */
public record ViewerStats(String id, long srtpAuthFailures, long otherDrops, List<Stream> streams,
        LatencyHistogram latency, long connectNanos, long joinToKeyframeNanos, long readyToKeyframeNanos,
        long keyframesComplete, long keyframeStarts, long plisSent, long nacksSent, long bytesIn) {

    /** One received SSRC. */
    public record Stream(long ssrc, String kind, long packets, long bytes, long expected, long lost,
            long duplicates, long reordered, long retransmissions) {
    }

    public long packets(String kind) {
        return streams.stream().filter(s -> s.kind().equals(kind)).mapToLong(Stream::packets).sum();
    }

    public long packets() {
        return streams.stream().mapToLong(Stream::packets).sum();
    }

    public long lost() {
        return streams.stream().mapToLong(Stream::lost).sum();
    }

    public long expected() {
        return streams.stream().mapToLong(Stream::expected).sum();
    }

    public long bytes() {
        return streams.stream().mapToLong(Stream::bytes).sum();
    }
}
