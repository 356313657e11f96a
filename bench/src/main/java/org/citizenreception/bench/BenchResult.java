package org.citizenreception.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.citizenreception.client.PublisherStats;
import org.citizenreception.client.ViewerStats;
import org.citizenreception.client.stats.LatencyHistogram;

/**
 * One run's numbers, computed from snapshots taken at the start and end of the measurement window
 * (after every viewer joined), except join times and keyframe requests, which belong to the join.
 * Units are in the names; -1 means "not measured".
 *
 * <p>{@code serverJoinPhases} is the server's own view of the same join, read from its /metrics
 * before the viewers came and after they joined: per {@code join_phase/<phase>} (see the bridge's
 * JoinPhase: answer, ice, client_hello, dtls, first_keyframe, server, total) and
 * {@code dtls_handshake/<part>} (core_wait, computing), the count and p50/p95/p99 in ms. The
 * viewers' join figures include the generator's own handshakes on the same cores; these do not.
 */
record BenchResult(
        String label,
        int viewers,
        int viewersConnected,
        int seconds,
        double packetsInPerSecond,
        double packetsOutPerSecond,
        double mbitOutPerSecond,
        double lossPercent,
        long latencyP50Micros,
        long latencyP99Micros,
        long joinP50Millis,
        long joinP95Millis,
        long connectP50Millis,
        long connectP95Millis,
        int viewersWithoutKeyframe,
        long keyframeRequestsDuringJoin,
        long keyframeRequestsTotal,
        double serverCpuMicrosPerPacket,
        double serverCpuPercent,
        long serverRssBytes,
        long rssBytesPerViewer,
        long serverHeapBytes,
        long srtpAuthFailures,
        long duplicates,
        long reordered,
        double generatorCpuPercent,
        long liveHeapBytesPerViewer,
        double minViewerReceivedPercent,
        Map<String, ServerProbe.Percentiles> serverJoinPhases,
        long serverKeyframeRequestsDuringJoin) {

    /** Viewer stats before/after the window are matched by position. */
    static BenchResult compute(BenchOptions o, int connected, List<ViewerStats> before, List<ViewerStats> after,
            PublisherStats pubBefore, PublisherStats pubAfter, PublisherStats pubBeforeJoin,
            PublisherStats pubAfterJoin, ServerProbe.Sample serverBefore, ServerProbe.Sample serverAfter,
            ServerProbe.Sample serverBeforeViewers, long generatorCpuMicros, long liveHeapBytesPerViewer) {
        double seconds = (serverAfter.nanos() - serverBefore.nanos()) / 1e9;
        long packetsOut = 0;
        long bytesOut = 0;
        long lost = 0;
        long expected = 0;
        long auth = 0;
        long dups = 0;
        long reorder = 0;
        LatencyHistogram latency = new LatencyHistogram();
        List<Long> joins = new ArrayList<>();
        List<Long> connects = new ArrayList<>();
        int withoutKeyframe = 0;
        long packetsIn = (pubAfter.videoPackets() + pubAfter.audioPackets())
                - (pubBefore.videoPackets() + pubBefore.audioPackets());
        double minViewerReceivedPercent = after.isEmpty() ? 0 : Double.MAX_VALUE;
        for (int i = 0; i < after.size(); i++) {
            ViewerStats a = after.get(i);
            ViewerStats b = before.get(i);
            packetsOut += a.packets() - b.packets();
            minViewerReceivedPercent = Math.min(minViewerReceivedPercent,
                    packetsIn == 0 ? 0 : 100.0 * (a.packets() - b.packets()) / packetsIn);
            bytesOut += a.bytesIn() - b.bytesIn();
            lost += a.lost() - b.lost();
            expected += a.expected() - b.expected();
            auth += a.srtpAuthFailures();
            dups += a.streams().stream().mapToLong(ViewerStats.Stream::duplicates).sum();
            reorder += a.streams().stream().mapToLong(ViewerStats.Stream::reordered).sum();
            latency.add(a.latency().since(b.latency()));
            if (a.connectNanos() > 0) {
                connects.add(a.connectNanos() / 1_000_000);
            }
            if (a.joinToKeyframeNanos() > 0) {
                joins.add(a.joinToKeyframeNanos() / 1_000_000);
            } else {
                withoutKeyframe++;
            }
        }
        joins.sort(null);
        connects.sort(null);
        long cpuMicros = serverAfter.cpuMicros() >= 0 && serverBefore.cpuMicros() >= 0
                ? serverAfter.cpuMicros() - serverBefore.cpuMicros() : -1;
        long rss = serverAfter.rssBytes();
        long rssPerViewer = rss > 0 && serverBeforeViewers.rssBytes() > 0 && o.viewers > 0
                ? (rss - serverBeforeViewers.rssBytes()) / o.viewers : -1;
        return new BenchResult(o.label, o.viewers, connected, o.seconds,
                packetsIn / seconds, packetsOut / seconds, bytesOut * 8 / seconds / 1e6,
                expected == 0 ? 0 : 100.0 * lost / expected,
                latency.percentileMicros(0.50), latency.percentileMicros(0.99),
                percentile(joins, 0.50), percentile(joins, 0.95),
                percentile(connects, 0.50), percentile(connects, 0.95), withoutKeyframe,
                pubAfterJoin.keyframeRequests() - pubBeforeJoin.keyframeRequests(),
                pubAfter.keyframeRequests(),
                cpuMicros < 0 || packetsOut == 0 ? -1 : (double) cpuMicros / packetsOut,
                cpuMicros < 0 ? -1 : cpuMicros / 1e4 / seconds,
                rss, rssPerViewer, serverAfter.heapBytes(), auth, dups, reorder,
                generatorCpuMicros < 0 ? -1 : generatorCpuMicros / 1e4 / seconds, liveHeapBytesPerViewer,
                minViewerReceivedPercent,
                ServerProbe.percentilesBetween(serverBeforeViewers.joinBuckets(), serverBefore.joinBuckets()),
                serverBefore.keyframeRequests() >= 0 && serverBeforeViewers.keyframeRequests() >= 0
                        ? serverBefore.keyframeRequests() - serverBeforeViewers.keyframeRequests() : -1);
    }

    /** The server's p95 of one join phase in ms, or -1 when it was not measured. */
    double serverJoinP95Millis(String phase) {
        ServerProbe.Percentiles p = serverJoinPhases.get("join_phase/" + phase);
        return p == null ? -1 : p.p95Millis();
    }

    static long percentileOf(List<Long> sorted, double q) {
        return percentile(sorted, q);
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String tableHeader() {
        return String.format(Locale.ROOT, "%-18s %6s %9s %9s %8s %7s %8s %8s %7s %7s %7s %5s %9s %7s %9s %9s %5s %7s %8s",
                "server", "N", "pkt/s in", "pkt/s out", "Mbit/s", "loss%", "lat p50", "lat p99",
                "join50", "join95", "srv95", "KFreq", "cpu us/pk", "cpu%", "RSS MB", "KB/viewer", "auth", "gen%", "heapKB/v");
    }

    String tableRow() {
        return String.format(Locale.ROOT, "%-18s %6d %9.0f %9.0f %8.1f %7.3f %6dus %6dus %5dms %5dms %5.0fms %5d %9.2f %7.1f %9.1f %9.1f %5d %7.1f %8.1f",
                label, viewers, packetsInPerSecond, packetsOutPerSecond, mbitOutPerSecond, lossPercent,
                latencyP50Micros, latencyP99Micros, joinP50Millis, joinP95Millis, serverJoinP95Millis("server"),
                keyframeRequestsDuringJoin,
                serverCpuMicrosPerPacket, serverCpuPercent, serverRssBytes / 1048576.0, rssBytesPerViewer / 1024.0,
                srtpAuthFailures, generatorCpuPercent, liveHeapBytesPerViewer / 1024.0);
    }
}
