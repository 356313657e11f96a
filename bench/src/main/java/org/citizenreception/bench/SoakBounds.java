package org.citizenreception.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * What a soak must show, each bound a sentence of the report: nothing the server holds grows while
 * the same viewers watch, nothing is lost, nobody fails. The bounds are the same for a 2-minute and
 * a 30-minute run: a leak of one small object per forwarded packet grows the heap by tens of MB a
 * minute at these rates, far beyond them; the allowance is for samples' noise and for pools that
 * size themselves in the first minutes.
 */
final class SoakBounds {
    /** Heap in use after a full GC: least-squares slope over the samples, MB per minute. */
    static final double HEAP_SLOPE_MB_PER_MINUTE = 1.0;
    /** Resident memory may grow at most this much over the first sample (the JVM commits heap as it goes). */
    static final long RSS_GROWTH_MB = 64;
    static final long THREADS_ABOVE_START = 8;
    static final long FDS_ABOVE_START = 16;
    static final double VIEWER_RECEIVED_PERCENT = 95.0;

    private SoakBounds() {
    }

    /** The bounds, in the words of the report. */
    static List<String> stated() {
        return List.of(
                String.format(Locale.ROOT, "heap after GC: slope at most %.1f MB/min", HEAP_SLOPE_MB_PER_MINUTE),
                "RSS: at most " + RSS_GROWTH_MB + " MB above the first sample",
                "threads: at most " + THREADS_ABOVE_START + " above the first sample",
                "file descriptors: at most " + FDS_ABOVE_START + " above the first sample",
                "endpoints: the viewers that joined + 1 at every sample",
                "packets lost at the viewers: 0",
                "SRTP authentication failures: 0",
                "every viewer connected, got a keyframe and received at least " + (int) VIEWER_RECEIVED_PERCENT
                        + " % of the packets the publisher sent");
    }

    /** The bounds {@code r} broke, each with the figure that broke it; empty when it held. */
    static List<String> violations(Soak.Result r) {
        List<String> broken = new ArrayList<>();
        List<Soak.Sample> s = r.samples();
        if (s.size() < 3) {
            broken.add("only " + s.size() + " samples: too few to judge growth");
            return broken;
        }
        if (s.stream().anyMatch(x -> x.heapAfterGcBytes() < 0 || x.rssBytes() < 0 || x.threads() < 0
                || x.fileDescriptors() < 0 || x.endpoints() < 0)) {
            broken.add("a sample could not read the server (jcmd, /proc or /metrics): " + s);
        }
        double slope = heapSlopeMbPerMinute(s);
        if (slope > HEAP_SLOPE_MB_PER_MINUTE) {
            broken.add(String.format(Locale.ROOT, "heap after GC grew %.2f MB/min (bound %.1f)", slope, HEAP_SLOPE_MB_PER_MINUTE));
        }
        above(broken, s, "RSS MB", x -> x.rssBytes() >> 20, RSS_GROWTH_MB);
        above(broken, s, "threads", Soak.Sample::threads, THREADS_ABOVE_START);
        above(broken, s, "file descriptors", Soak.Sample::fileDescriptors, FDS_ABOVE_START);
        for (Soak.Sample x : s) {
            // Against the viewers that joined: one that never joined is its own broken bound below, not a leak.
            if (x.endpoints() != r.viewersConnected() + 1L) {
                broken.add(String.format(Locale.ROOT, "%d endpoints at %.1f min (expected %d)", x.endpoints(), x.minutes(),
                        r.viewersConnected() + 1));
                break;
            }
        }
        if (r.packetsLost() != 0) {
            broken.add(r.packetsLost() + " packets lost at the viewers");
        }
        if (r.srtpAuthFailures() != 0) {
            broken.add(r.srtpAuthFailures() + " SRTP authentication failures");
        }
        if (r.viewersConnected() != r.viewers()) {
            broken.add(r.viewersConnected() + " of " + r.viewers() + " viewers connected");
        }
        if (r.viewersWithoutKeyframe() != 0) {
            broken.add(r.viewersWithoutKeyframe() + " viewers never got a keyframe");
        }
        if (r.publisherPackets() <= 0) {
            broken.add("the publisher sent nothing");
        }
        if (r.minViewerReceivedPercent() < VIEWER_RECEIVED_PERCENT) {
            broken.add(String.format(Locale.ROOT, "the worst viewer received %.1f %% of the publisher's packets",
                    r.minViewerReceivedPercent()));
        }
        return broken;
    }

    private static void above(List<String> broken, List<Soak.Sample> s, String what, ToLongFunction<Soak.Sample> value, long allowed) {
        long first = value.applyAsLong(s.get(0));
        for (Soak.Sample x : s) {
            if (value.applyAsLong(x) > first + allowed) {
                broken.add(String.format(Locale.ROOT, "%s %d at %.1f min, more than %d above the first sample's %d", what,
                        value.applyAsLong(x), x.minutes(), allowed, first));
                return;
            }
        }
    }

    /** Least-squares slope of heap after GC (MB) against time (minutes). */
    static double heapSlopeMbPerMinute(List<Soak.Sample> s) {
        double n = s.size();
        double mx = s.stream().mapToDouble(Soak.Sample::minutes).sum() / n;
        double my = s.stream().mapToDouble(x -> x.heapAfterGcBytes() / 1048576.0).sum() / n;
        double sxy = 0;
        double sxx = 0;
        for (Soak.Sample x : s) {
            sxy += (x.minutes() - mx) * (x.heapAfterGcBytes() / 1048576.0 - my);
            sxx += (x.minutes() - mx) * (x.minutes() - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
