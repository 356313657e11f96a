package org.citizenreception.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Writes a soak's samples ({@code soak-samples.csv}), their curves ({@code soak.svg}: one small line
 * chart per measure against minutes, plain SVG) and the figures with the bounds and the verdict
 * ({@code soak.md}) into one folder.
 */
final class SoakReport {
    private static final int W = 300;
    private static final int H = 190;
    private static final int M = 42;

    private record Measure(String title, ToDoubleFunction<Soak.Sample> value) {
    }

    private static final List<Measure> MEASURES = List.of(
            new Measure("heap after GC (MB)", s -> s.heapAfterGcBytes() / 1048576.0),
            new Measure("RSS (MB)", s -> s.rssBytes() / 1048576.0),
            new Measure("threads", s -> s.threads()),
            new Measure("file descriptors", s -> s.fileDescriptors()),
            new Measure("endpoints", s -> s.endpoints()),
            new Measure("packets lost at viewers", s -> s.viewerPacketsLost()));

    private SoakReport() {
    }

    static void write(Path dir, Soak.Result r, List<String> broken) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("minutes,heap_after_gc_bytes,rss_bytes,threads,file_descriptors,endpoints,viewer_packets_lost\n");
        for (Soak.Sample s : r.samples()) {
            csv.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d,%d,%d,%d%n", s.minutes(), s.heapAfterGcBytes(), s.rssBytes(),
                    s.threads(), s.fileDescriptors(), s.endpoints(), s.viewerPacketsLost()));
        }
        Files.writeString(dir.resolve("soak-samples.csv"), csv);
        Files.writeString(dir.resolve("soak.svg"), svg(r));
        Files.writeString(dir.resolve("soak.md"), markdown(r, broken));
    }

    static String markdown(Soak.Result r, List<String> broken) {
        List<Soak.Sample> s = r.samples();
        double minutes = s.isEmpty() ? 0 : s.get(s.size() - 1).minutes();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Soak: 1 publisher, %d viewers, %.1f minutes%n%n", r.viewers(), minutes));
        md.append("| measure | first sample | last sample | min | max |\n|---|---|---|---|---|\n");
        for (Measure m : MEASURES) {
            double first = s.isEmpty() ? -1 : m.value().applyAsDouble(s.get(0));
            double last = s.isEmpty() ? -1 : m.value().applyAsDouble(s.get(s.size() - 1));
            double min = s.stream().mapToDouble(m.value()).min().orElse(-1);
            double max = s.stream().mapToDouble(m.value()).max().orElse(-1);
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", m.title(), first, last, min, max));
        }
        md.append(String.format(Locale.ROOT, "%nHeap after GC slope: %.3f MB/min. Viewers connected: %d of %d; without a keyframe: %d; "
                + "SRTP authentication failures: %d; packets lost at the viewers: %d; publisher packets: %d; "
                + "worst viewer received %.2f %% of them.%n", SoakBounds.heapSlopeMbPerMinute(s), r.viewersConnected(), r.viewers(),
                r.viewersWithoutKeyframe(), r.srtpAuthFailures(), r.packetsLost(), r.publisherPackets(), r.minViewerReceivedPercent()));
        md.append("\nBounds:\n");
        SoakBounds.stated().forEach(b -> md.append("- ").append(b).append('\n'));
        md.append(broken.isEmpty() ? "\nVerdict: within every bound.\n" : "\nVerdict: bounds broken:\n");
        broken.forEach(b -> md.append("- ").append(b).append('\n'));
        md.append("\nHeap after GC is read from /metrics right after `jcmd PID GC.run`; RSS, threads and file descriptors from "
                + "/proc/PID; endpoints from `reception_media_active_endpoints`.\n\n![soak curves](soak.svg)\n");
        return md.toString();
    }

    static String svg(Soak.Result r) {
        List<Soak.Sample> s = r.samples();
        int columns = 3;
        int rows = (MEASURES.size() + columns - 1) / columns;
        StringBuilder g = new StringBuilder();
        g.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\">%n", columns * W, rows * H));
        g.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        double tmax = s.isEmpty() ? 1 : Math.max(s.get(s.size() - 1).minutes(), 1e-6);
        for (int i = 0; i < MEASURES.size(); i++) {
            Measure m = MEASURES.get(i);
            int x0 = (i % columns) * W;
            int y0 = (i / columns) * H;
            double vmax = s.stream().mapToDouble(m.value()).max().orElse(1);
            double top = vmax <= 0 ? 1 : vmax * 1.15;
            int left = x0 + M;
            int right = x0 + W - 12;
            int bottom = y0 + H - 32;
            int upper = y0 + 28;
            g.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\">%s</text>%n",
                    x0 + W / 2, y0 + 16, m.title()));
            g.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"black\" points=\"%d,%d %d,%d %d,%d\"/>%n",
                    left, upper, left, bottom, right, bottom));
            g.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%.4g</text>%n",
                    left - 3, upper + 4, top));
            g.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">0</text>%n", left - 3, bottom));
            g.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%.0f min</text>%n",
                    right, bottom + 14, tmax));
            StringBuilder points = new StringBuilder();
            for (Soak.Sample x : s) {
                double px = left + (right - left) * x.minutes() / tmax;
                double py = bottom - (bottom - upper) * Math.max(0, m.value().applyAsDouble(x)) / top;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            g.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"%s\"/>%n",
                    points.toString().trim()));
        }
        g.append("</svg>\n");
        return g.toString();
    }
}
