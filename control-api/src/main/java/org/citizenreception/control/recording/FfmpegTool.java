package org.citizenreception.control.recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the configured ffmpeg runs here, asked once at start: without it the server still serves
 * sessions and recording reports itself unavailable with this reason (in /health and the consoles).
 */
public final class FfmpegTool {
    private final String executable;
    private final Optional<String> unavailableReason;

    private FfmpegTool(String executable, Optional<String> unavailableReason) {
        this.executable = executable;
        this.unavailableReason = unavailableReason;
    }

    public static FfmpegTool probe(String executable) {
        try {
            Process p = new ProcessBuilder(executable, "-hide_banner", "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new FfmpegTool(executable, Optional.of(executable + " -version did not answer within 10 s"));
            }
            if (p.exitValue() != 0 || !out.startsWith("ffmpeg")) {
                return new FfmpegTool(executable, Optional.of(executable + " -version failed (exit " + p.exitValue() + ")"));
            }
            return new FfmpegTool(executable, Optional.empty());
        } catch (IOException e) {
            return new FfmpegTool(executable, Optional.of("ffmpeg not found (" + executable
                    + "): install the Debian package \"ffmpeg\" or set recording.ffmpeg"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FfmpegTool(executable, Optional.of("interrupted while probing " + executable));
        }
    }

    public String executable() {
        return executable;
    }

    /** Empty when ffmpeg runs; otherwise why recording is unavailable. */
    public Optional<String> unavailableReason() {
        return unavailableReason;
    }
}
