package org.citizenreception.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server process from outside: CPU time (utime + stime from /proc/PID/stat, so the load
 * generator's own CPU never counts), resident memory (VmRSS) and, when a Prometheus endpoint is
 * given, JVM heap in use, the bridge's join timers (cumulative histogram buckets per phase, so two
 * samples bracket one join storm) and the keyframe requests it sent to publishers. A missing pid or
 * endpoint yields -1 (or empty histograms) rather than an error.
 */
final class ServerProbe {
    /**
     * @param joinBuckets       series name ({@code join_phase/ice}, {@code dtls_handshake/core_wait}, ...)
     *                          to cumulative counts per bucket upper bound in seconds
     * @param keyframeRequests  {@code reception_media_plis_sent_total}, or -1
     */
    record Sample(long nanos, long cpuMicros, long rssBytes, long heapBytes,
                  Map<String, TreeMap<Double, Double>> joinBuckets, long keyframeRequests) {
    }

    /** The bridge's join timers (JoinPhase and the DTLS handshake's parts), as Micrometer exports them to Prometheus. */
    private static final Pattern JOIN_BUCKET = Pattern.compile(
            "^reception_media_(join_phase|dtls_handshake)_seconds_bucket\\{([^}]*)\\}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final long pid;
    private final URI metrics;
    private final int clockTicksPerSecond;

    ServerProbe(long pid, URI metrics, int clockTicksPerSecond) {
        this.pid = pid;
        this.metrics = metrics;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    Sample sample() {
        long nanos = System.nanoTime();
        long cpu = cpuMicros();
        long rss = rssBytes();
        String text = metricsText();
        return text == null ? new Sample(nanos, cpu, rss, -1, Map.of(), -1)
                : new Sample(nanos, cpu, rss, parseHeapBytes(text), parseJoinBuckets(text),
                        parseGauge(text, "reception_media_plis_sent_total"));
    }

    /** Cumulative bucket counts of every join series in a Prometheus text exposition. */
    static Map<String, TreeMap<Double, Double>> parseJoinBuckets(String prometheusText) {
        Map<String, TreeMap<Double, Double>> series = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = JOIN_BUCKET.matcher(line);
            if (!m.find()) {
                continue;
            }
            String name = null;
            String le = null;
            for (Matcher label = LABEL.matcher(m.group(2)); label.find(); ) {
                switch (label.group(1)) {
                    case "phase", "part" -> name = label.group(2);
                    case "le" -> le = label.group(2);
                    default -> { }
                }
            }
            if (name != null && le != null) {
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                series.computeIfAbsent(m.group(1) + "/" + name, k -> new TreeMap<>()).put(bound, Double.parseDouble(m.group(3)));
            }
        }
        return series;
    }

    /** Count and p50/p95/p99 (ms) of what one series recorded between two samples. */
    record Percentiles(long count, double p50Millis, double p95Millis, double p99Millis) {
    }

    /**
     * Per series, the percentiles of the observations made between {@code before} and {@code after}
     * (the difference of their cumulative buckets), linearly interpolated inside the bucket that
     * holds each rank; a rank in the +Inf bucket reads as the largest finite bound.
     */
    static Map<String, Percentiles> percentilesBetween(Map<String, TreeMap<Double, Double>> before,
                                                      Map<String, TreeMap<Double, Double>> after) {
        Map<String, Percentiles> out = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Double, Double>> e : after.entrySet()) {
            TreeMap<Double, Double> earlier = before.getOrDefault(e.getKey(), new TreeMap<>());
            TreeMap<Double, Double> delta = new TreeMap<>();
            e.getValue().forEach((le, count) -> delta.put(le, count - earlier.getOrDefault(le, 0.0)));
            double total = delta.isEmpty() ? 0 : delta.lastEntry().getValue();
            if (total <= 0) {
                continue;
            }
            out.put(e.getKey(), new Percentiles(Math.round(total), quantileMillis(delta, total, 0.50),
                    quantileMillis(delta, total, 0.95), quantileMillis(delta, total, 0.99)));
        }
        return out;
    }

    private static double quantileMillis(TreeMap<Double, Double> cumulative, double total, double q) {
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
            }
            if (!bucket.getKey().isInfinite()) {
                lowerBound = bucket.getKey();
            }
            lowerCount = bucket.getValue();
        }
        return lowerBound * 1000;
    }

    long cpuMicros() {
        if (pid <= 0) {
            return -1;
        }
        try {
            return parseCpuMicros(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), clockTicksPerSecond);
        } catch (IOException e) {
            return -1;
        }
    }

    /** utime (field 14) + stime (field 15) of proc(5), counted after the command name's closing parenthesis. */
    static long parseCpuMicros(String stat, int clockTicksPerSecond) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1_000_000L / clockTicksPerSecond;
    }

    long rssBytes() {
        if (pid <= 0) {
            return -1;
        }
        try {
            return parseRssBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long parseRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /**
     * Heap in use right after a full collection ({@code jcmd PID GC.run}), so it counts what is
     * retained rather than garbage not yet collected, or -1. Perturbs the server: call it outside
     * a measurement window.
     */
    long liveHeapBytes() {
        if (pid <= 0 || metrics == null) {
            return -1;
        }
        // A loaded machine can fail one attach; a second try costs less than a sample lost.
        return fullGc() || fullGc() ? heapBytes() : -1;
    }

    private boolean fullGc() {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroy();
                return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Threads of the server process ({@code Threads:} of /proc/PID/status), or -1. */
    long threads() {
        if (pid <= 0) {
            return -1;
        }
        try {
            return parseThreads(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long parseThreads(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        return -1;
    }

    /** Open file descriptors of the server process (entries of /proc/PID/fd: sockets, files, pipes), or -1. */
    long fileDescriptors() {
        if (pid <= 0) {
            return -1;
        }
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The bridge's own count of open endpoints ({@code reception_media_active_endpoints}), or -1. */
    long activeEndpoints() {
        String text = metricsText();
        return text == null ? -1 : parseGauge(text, "reception_media_active_endpoints");
    }

    /** The value of an unlabelled Prometheus sample {@code name}, or -1 when absent. */
    static long parseGauge(String prometheusText, String name) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    private String metricsText() {
        if (metrics == null) {
            return null;
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    long heapBytes() {
        if (metrics == null) {
            return -1;
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parseHeapBytes(r.body()) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sum of Micrometer's {@code jvm_memory_used_bytes{area="heap",...}} series. */
    static long parseHeapBytes(String prometheusText) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : -1;
    }
}
