package org.citizenreception.control.recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What ffprobe says of a recorded file: which kinds of stream it has, and its duration. */
record MediaProbe(boolean hasVideo, boolean hasAudio, double durationSeconds) {
    static final MediaProbe EMPTY = new MediaProbe(false, false, 0);

    /** The ffprobe that sits beside {@code ffmpeg} (same folder, or PATH when ffmpeg is a bare name). */
    static String ffprobeBeside(String ffmpeg) {
        int slash = ffmpeg.lastIndexOf('/');
        return (slash < 0 ? "" : ffmpeg.substring(0, slash + 1)) + "ffprobe";
    }

    static MediaProbe of(String ffprobe, Path file) {
        try {
            Process p = new ProcessBuilder(ffprobe, "-v", "error", "-show_entries", "stream=codec_type:format=duration",
                    "-of", "default=noprint_wrappers=1", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return EMPTY;
            }
            double duration = 0;
            for (String line : out.split("\n")) {
                if (line.startsWith("duration=")) {
                    try {
                        duration = Double.parseDouble(line.substring("duration=".length()).trim());
                    } catch (NumberFormatException e) {
                        duration = 0; // N/A for a file cut by a crash
                    }
                }
            }
            return new MediaProbe(out.contains("codec_type=video"), out.contains("codec_type=audio"), duration);
        } catch (IOException e) {
            return EMPTY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EMPTY;
        }
    }
}
