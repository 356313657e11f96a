package org.citizenreception.control.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes the program file after a session: the host (main slot) full frame, the room with the
 * floor (guest slot) inset in the lower right while it has the floor, both voices mixed; WebM with
 * VP8 and Opus so every browser plays it. While a shared screen (content slot) is shown on the room
 * screens it fills the program's frame (the speaker heard, the floor room's inset kept), a chapter
 * at each share; its parts are also sealed in the archive at full resolution, where a document stays
 * legible. Chapters at each floor change (room name) and each
 * petition registered (register number only), both inside the file and as WebVTT beside it.
 *
 * <p>Runs ffmpeg under {@code nice -n 19} with one encoder thread: the composition may take longer
 * than the session did on a loaded machine, but a live session on it never waits for a core.
 *
 * <p>The slots' parts are placed on the program's timeline by the wall-clock time their first
 * packet reached the muxer ({@link Timeline} "part" lines); the program starts with the main
 * slot's first part. With one main part its frames pass through one for one (no duplicated or
 * dropped frames); after a muxer restart the parts are laid over a black 30 fps canvas.
 */
final class ProgramComposer {
    private static final Logger log = LoggerFactory.getLogger(ProgramComposer.class);
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    private static final int INSET_HEIGHT = 120;
    private static final int INSET_MARGIN = 12;

    /** A chapter: where it starts on the program's timeline, and its title. */
    record Chapter(long startMillis, String title) {
    }

    /** What was made: the program file, the WebVTT chapters, and the chapters themselves. */
    record Result(Path program, Path chapters, List<Chapter> chapterList, long durationMillis) {
    }

    private record Part(Path file, long offsetMillis, MediaProbe probe) {
    }

    private final String ffmpeg;
    private final String ffprobe;

    ProgramComposer(String ffmpeg) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = MediaProbe.ffprobeBeside(ffmpeg);
    }

    /**
     * Composes {@code program.webm} and {@code chapters.vtt} in {@code dir} from its timeline, the
     * program ending at {@code endMillis} (Unix millis). Empty when the main slot recorded nothing.
     */
    java.util.Optional<Result> compose(Path dir, long endMillis) {
        List<Timeline.Entry> entries = Timeline.read(dir);
        List<Timeline.Entry> partLines = entries.stream().filter(e -> e.kind().equals("part")).toList();
        long start = partLines.stream().filter(e -> e.value(0).startsWith("main-")).mapToLong(Timeline.Entry::millis).min().orElse(-1);
        if (start < 0) {
            log.warn("{}: the main slot recorded nothing; no program file", dir);
            return java.util.Optional.empty();
        }
        List<Part> main = new ArrayList<>();
        List<Part> guest = new ArrayList<>();
        List<Part> content = new ArrayList<>();
        List<long[]> contentWindows = windows(entries, "content", start, Math.max(1, endMillis - start));
        for (Timeline.Entry e : partLines) {
            Path file = dir.resolve(e.value(0) + ".mkv");
            MediaProbe probe = MediaProbe.of(ffprobe, file);
            if (!probe.hasAudio() && !probe.hasVideo()) {
                continue;
            }
            if (e.value(0).startsWith("main-")) {
                main.add(new Part(file, e.millis() - start, probe));
            } else if (e.value(0).startsWith("guest-")) {
                guest.add(new Part(file, e.millis() - start, probe));
            } else if (e.value(0).startsWith("content-") && !contentWindows.isEmpty()) {
                content.add(new Part(file, e.millis() - start, probe));
            }

        }
        if (main.stream().noneMatch(p -> p.probe().hasVideo())) {
            log.warn("{}: the main slot has no video; no program file", dir);
            return java.util.Optional.empty();
        }
        long durationMillis = Math.max(1, endMillis - start);
        List<Chapter> chapters = chapters(entries, start, durationMillis);
        // A session resumed after a crash already has a sealed program of its first stretch: never overwrite it.
        int n = 1;
        while (Files.exists(dir.resolve(n == 1 ? "program.webm" : "program-" + n + ".webm"))) {
            n++;
        }
        Path program = dir.resolve(n == 1 ? "program.webm" : "program-" + n + ".webm");
        Path vtt = dir.resolve(n == 1 ? "chapters.vtt" : "chapters-" + n + ".vtt");
        Path metadata = dir.resolve("chapters.ffmeta");
        try {
            Files.writeString(vtt, webVtt(chapters, durationMillis), StandardCharsets.UTF_8);
            Files.writeString(metadata, ffMetadata(chapters, durationMillis), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = command(main, guest, content, floorWindows(entries, start, durationMillis), contentWindows, metadata,
                durationMillis, program);
        run(command, dir.resolve("program.log"));
        return java.util.Optional.of(new Result(program, vtt, chapters, durationMillis));
    }

    private List<String> command(List<Part> main, List<Part> guest, List<Part> content, List<long[]> windows, List<long[]> contentWindows,
                                 Path metadata, long durationMillis, Path program) {
        List<String> cmd = new ArrayList<>(List.of("nice", "-n", "19", ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning", "-y"));
        List<Part> inputs = new ArrayList<>(main);
        inputs.addAll(guest);
        inputs.addAll(content);
        for (Part p : inputs) {
            cmd.addAll(List.of("-itsoffset", seconds(p.offsetMillis()), "-i", p.file().toString()));
        }
        cmd.addAll(List.of("-f", "ffmetadata", "-i", metadata.toString()));
        int metadataInput = inputs.size();
        StringBuilder graph = new StringBuilder();
        String fit = String.format(Locale.ROOT, "scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1",
                WIDTH, HEIGHT, WIDTH, HEIGHT);
        List<Part> mainVideo = main.stream().filter(p -> p.probe().hasVideo()).toList();
        String base;
        if (mainVideo.size() == 1 && mainVideo.get(0).offsetMillis() == 0) {
            graph.append('[').append(inputs.indexOf(mainVideo.get(0))).append(":v]").append(fit).append("[base];");
            base = "base";
        } else {
            graph.append(String.format(Locale.ROOT, "color=c=black:s=%dx%d:r=30:d=%s[canvas];", WIDTH, HEIGHT, seconds(durationMillis)));
            base = "canvas";
            int n = 0;
            for (Part p : mainVideo) {
                graph.append('[').append(inputs.indexOf(p)).append(":v]").append(fit).append("[m").append(n).append("];");
                graph.append('[').append(base).append("][m").append(n).append("]overlay=eof_action=pass[c").append(n).append("];");
                base = "c" + n++;
            }
        }
        // the shared screen over the speaker while rooms were shown it, under the floor room's inset
        int k = 0;
        for (Part p : content) {
            if (!p.probe().hasVideo()) {
                continue;
            }
            graph.append('[').append(inputs.indexOf(p)).append(":v]").append(fit).append("[k").append(k).append("];");
            graph.append('[').append(base).append("][k").append(k).append("]overlay=eof_action=pass:enable='")
                    .append(enabled(contentWindows)).append("'[ko").append(k).append("];");
            base = "ko" + k++;
        }
        String enable = enabled(windows);
        int n = 0;
        for (Part p : guest) {
            if (!p.probe().hasVideo()) {
                continue;
            }
            graph.append('[').append(inputs.indexOf(p)).append(":v]scale=-2:").append(INSET_HEIGHT).append(",setsar=1[g").append(n).append("];");
            graph.append('[').append(base).append("][g").append(n).append("]overlay=x=W-w-").append(INSET_MARGIN)
                    .append(":y=H-h-").append(INSET_MARGIN).append(":eof_action=pass:enable='").append(enable).append("'[o").append(n).append("];");
            base = "o" + n++;
        }
        // overlays over the canvas produce alpha, which libvpx refuses with its default alt-ref frames
        graph.append('[').append(base).append("]format=yuv420p[v];");
        List<String> audio = new ArrayList<>();
        for (Part p : inputs) {
            if (p.probe().hasAudio()) {
                String label = "a" + audio.size();
                graph.append('[').append(inputs.indexOf(p)).append(":a]aresample=async=1:first_pts=0[").append(label).append("];");
                audio.add(label);
            }
        }
        boolean hasAudio = !audio.isEmpty();
        if (hasAudio) {
            for (String label : audio) {
                graph.append('[').append(label).append(']');
            }
            graph.append("amix=inputs=").append(audio.size()).append(":duration=longest:normalize=0[a]");
        } else {
            graph.setLength(graph.length() - 1);
        }
        cmd.addAll(List.of("-filter_complex", graph.toString(), "-map", "[v]"));
        if (hasAudio) {
            cmd.addAll(List.of("-map", "[a]"));
        }
        cmd.addAll(List.of("-map_metadata", String.valueOf(metadataInput), "-map_chapters", String.valueOf(metadataInput),
                "-fps_mode", "passthrough", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "800k",
                "-threads", "1", "-c:a", "libopus", "-b:a", "64k", "-t", seconds(durationMillis), "-f", "webm", program.toString()));
        return cmd;
    }

    /** An ffmpeg {@code enable} expression true within {@code windows} (program millis). */
    private static String enabled(List<long[]> windows) {
        return windows.isEmpty() ? "0" : String.join("+", windows.stream()
                .map(w -> "between(t," + seconds(w[0]) + "," + seconds(w[1]) + ")").toList());
    }

    /** Intervals [from, to) in program millis while a room had the floor. */
    static List<long[]> floorWindows(List<Timeline.Entry> entries, long start, long durationMillis) {
        return windows(entries, "floor", start, durationMillis);
    }

    /** Intervals [from, to) in program millis from each {@code kind} line with a first value to the next such line. */
    private static List<long[]> windows(List<Timeline.Entry> entries, String kind, long start, long durationMillis) {
        List<long[]> windows = new ArrayList<>();
        Long open = null;
        for (Timeline.Entry e : entries) {
            if (!e.kind().equals(kind)) {
                continue;
            }
            long at = Math.max(0, e.millis() - start);
            if (open != null) {
                windows.add(new long[] {open, at});
                open = null;
            }
            if (!e.value(0).isEmpty()) {
                open = at;
            }
        }
        if (open != null) {
            windows.add(new long[] {open, durationMillis});
        }
        return windows;
    }

    static List<Chapter> chapters(List<Timeline.Entry> entries, long start, long durationMillis) {
        List<Chapter> chapters = new ArrayList<>();
        String sharedBy = ""; // a layout change during a share is no new chapter
        for (Timeline.Entry e : entries) {
            long at = Math.min(durationMillis, Math.max(0, e.millis() - start));
            if (e.kind().equals("content")) {
                String now = e.value(0).isEmpty() ? "" : e.value(1);
                if (!now.isEmpty() && !now.equals(sharedBy)) {
                    chapters.add(new Chapter(at, "Trình chiếu tài liệu: " + now));
                }
                sharedBy = now;
            } else if (e.kind().equals("floor")) {
                chapters.add(new Chapter(at, e.value(1)));
            } else if (e.kind().equals("petition")) {
                chapters.add(new Chapter(at, "Đơn số " + e.value(0)));
            }
        }
        chapters.sort(java.util.Comparator.comparingLong(Chapter::startMillis));
        return chapters;
    }

    static String webVtt(List<Chapter> chapters, long durationMillis) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (int i = 0; i < chapters.size(); i++) {
            Chapter c = chapters.get(i);
            long end = i + 1 < chapters.size() ? Math.max(chapters.get(i + 1).startMillis(), c.startMillis() + 1) : durationMillis;
            vtt.append(i + 1).append('\n').append(vttTime(c.startMillis())).append(" --> ").append(vttTime(Math.max(end, c.startMillis() + 1)))
                    .append('\n').append(c.title()).append("\n\n");
        }
        return vtt.toString();
    }

    private static String ffMetadata(List<Chapter> chapters, long durationMillis) {
        StringBuilder meta = new StringBuilder(";FFMETADATA1\n");
        for (int i = 0; i < chapters.size(); i++) {
            Chapter c = chapters.get(i);
            long end = i + 1 < chapters.size() ? chapters.get(i + 1).startMillis() : durationMillis;
            meta.append("[CHAPTER]\nTIMEBASE=1/1000\nSTART=").append(c.startMillis()).append("\nEND=").append(Math.max(end, c.startMillis() + 1))
                    .append("\ntitle=").append(c.title().replaceAll("([=;#\\\\])", "\\\\$1")).append('\n');
        }
        return meta.toString();
    }

    static String vttTime(long millis) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static void run(List<String> command, Path logFile) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            if (!p.waitFor(2, TimeUnit.HOURS)) {
                p.destroyForcibly();
                throw new IllegalStateException("composing the program file took over 2 hours; see " + logFile);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed composing the program file (exit " + p.exitValue() + "): "
                        + Files.readString(logFile, StandardCharsets.UTF_8).lines().limit(20).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted composing the program file", e);
        }
    }
}
