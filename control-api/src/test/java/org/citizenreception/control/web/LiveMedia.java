package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What browser tests with real media ask of a page: is this video element decoding, and a cheap
 * picture for Chromium's fake camera. Shared by the reception day and the console tests.
 */
final class LiveMedia {
    /** The machine is shared and loaded: conditions are polled up to this long, never slept on. */
    static final Duration PATIENCE = Duration.ofSeconds(40);

    private LiveMedia() {
    }

    /** Polls {@code condition} up to {@link #PATIENCE}; on time-out, a screenshot named after {@code what}. */
    static void until(Browser b, Supplier<Boolean> condition, String what) {
        try {
            new WebDriverWait(b.driver, PATIENCE, Browser.POLL).ignoring(StaleElementReferenceException.class).until(d -> condition.get());
        } catch (org.openqa.selenium.TimeoutException e) {
            b.screenshot("failed-" + what.replaceAll("\\W+", "-"));
            throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what, e);
        }
    }

    /**
     * Polls getStats until the element's current video track has decoded 5 more frames than when it was
     * first seen; returns the milliseconds that took. A track replaced meanwhile (a new connection)
     * starts the count again. The peer connection is found as {@code mediaClient} on the element or
     * an ancestor.
     */
    static long awaitDecoding(Browser b, String css, Duration limit) {
        long t0 = System.nanoTime();
        String track = null;
        long firstFrames = 0;
        while (System.nanoTime() - t0 < limit.toNanos()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const v = document.querySelector(arguments[0]);"
                    + "let holder = v; while (holder && !holder.mediaClient) holder = holder.parentElement;"
                    + "const pc = holder && holder.mediaClient.pc; const tr = v && v.srcObject && v.srcObject.getVideoTracks()[0];"
                    + "if (!pc || !tr) { done(null); return; }"
                    + "pc.getStats(tr).then((r) => { let f = null;"
                    + "  r.forEach((x) => { if (x.type === 'inbound-rtp' && x.kind === 'video') f = { track: tr.id, frames: x.framesDecoded || 0 }; });"
                    + "  done(f); }).catch(() => done(null));", css);
            if (s != null) {
                long frames = ((Number) s.get("frames")).longValue();
                if (!s.get("track").equals(track)) {
                    track = (String) s.get("track");
                    firstFrames = frames;
                } else if (frames >= firstFrames + 5) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            }
            pause(250);
        }
        throw new AssertionError(css + " decoded no new frames within " + limit.toSeconds() + " s (track " + track + ", frames " + firstFrames + ")");
    }

    /** 426x240 at 10 fps: the camera cannot deliver more than the file holds, so encoding stays cheap. */
    static Path smallCameraPicture(Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=426x240:rate=10", "-t", "3",
                    "-pix_fmt", "yuv420p", file.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("ffmpeg (Debian package ffmpeg, installed by ./test.sh) makes the fake camera's picture", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffmpeg: " + out).isZero();
        assertThat(Files.size(file)).isPositive();
        return file;
    }

    static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
