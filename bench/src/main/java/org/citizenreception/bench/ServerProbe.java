package org.citizenreception.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the server process from outside: CPU time (utime + stime from /proc/PID/stat, so the load
 * generator's own CPU never counts), resident memory (VmRSS) and, when a Prometheus endpoint is
 * given, JVM heap in use. A missing pid or endpoint yields -1 rather than an error.
 */
final class ServerProbe {
    record Sample(long nanos, long cpuMicros, long rssBytes, long heapBytes) {
    }

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
        return new Sample(System.nanoTime(), cpuMicros(), rssBytes(), heapBytes());
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
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroy();
                return -1;
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return heapBytes();
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
