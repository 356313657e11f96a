package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.WebDriverChromium;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, fast start: a Chromium host going live on a clean line (loopback) sends the full
 * resolution it asked its camera for within 5 s of connecting.
 *
 * <p>What held the picture (the page's stats every 250 ms, {@code -DfastStart.trace=true}): neither the
 * estimate nor the CPU but the sender's choice of its first resolution. libwebrtc judges the first
 * frames by the start bitrate and drops them to a smaller size ("bandwidth", no resolution change
 * counted), then climbs a step at a time as its quantisers stay low: from a 1,500-2,200 kbit/s start
 * it sent 640x360 from the first frame and 1280x720 after 8-15 s although its estimate passed
 * 2 Mbit/s within half a second; from 2,500 (the bridge's ceiling, now its answer to the host) it
 * started at 1280x720 in most runs but at 640x360 or 960x540 in some; with the host console's
 * {@code degradationPreference: 'maintain-resolution'} it sends 1280x720 from its first frame.
 * The host publishes as the host console does (the page mirrors web/js/pages/host.js: 1280x720,
 * sendonly transceivers, that preference) into a bridge on its default configuration; time is
 * counted by the page's own clock from the moment its peer connection reports connected.
 *
 * <p>Here in media-server rather than through the host console in control-api: what decides the
 * ramp is the bridge's answer and the sender's settings, and this fixture reaches them without a
 * session, an account and a schedule around them (HostCameraSenderIT checks the console sets the
 * preference). {@code -DfastStart.runs=10} repeats it with a fresh browser and bridge each time;
 * {@code -DfastStart.observeMillis=10000} keeps sampling after the full size is reached;
 * {@code -DfastStart.compareStartKbps=1500,2500} and {@code -DfastStart.compareDegradation=none,maintain-resolution}
 * alternate answers and sender settings run by run for an A/B in one session (then nothing is asserted).
 */
class HostFastStartIT {
    /** 80 % of the bridge's default publisher bitrate, the ceiling its answer and REMB give: logged, not asserted. */
    private static final long CEILING_ESTIMATE_BPS = MediaBridgeConfig.DEFAULT_PUBLISHER_BITRATE_BPS * 8 / 10;
    /**
     * The target, asserted as it stands: with the console's settings the full size came 0.05-1.4 s
     * after connected in 12 of 12 runs at load 19-37 on two cores (before: 8-20 s, or not within 25 s),
     * so the bound leaves more than three times the worst loaded figure.
     */
    private static final long FULL_RESOLUTION_WITHIN_MILLIS = 5_000;
    /** What the host console asks of its camera's sender (web/js/pages/host.js). */
    private static final String HOST_CONSOLE_DEGRADATION = "maintain-resolution";
    /**
     * After its first full-size sample the sender must keep the full size this long: one frame at
     * 1280x720 before the first frames are dropped to 960x540 (seen from a 1,500 kbit/s start) is no start.
     */
    private static final long HOLD_MILLIS = 2_000;
    private static final long GIVE_UP_AFTER_MILLIS = 25_000;
    private static final long CONNECT_WITHIN_MILLIS = 20_000;
    private static final long POLL_MILLIS = 200;

    @Test
    void aChromiumHostSendsItsFullResolutionWithinSecondsOfGoingLive() throws Exception {
        assertThat(WebDriverChromium.isInstalled()).as("%s and %s installed (apt-get install chromium chromium-driver; ./test.sh does it)",
                WebDriverChromium.CHROMIUM, WebDriverChromium.CHROMEDRIVER).isTrue();
        int runs = Integer.getInteger("fastStart.runs", 1);
        long observeMillis = Long.getLong("fastStart.observeMillis", 0L);
        List<Long> times = new ArrayList<>();
        List<Long> estimateTimes = new ArrayList<>();
        List<long[]> held = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                    new SimpleMeterRegistry());
                 WebDriverChromium chromium = new WebDriverChromium()) {
                Conference conference = bridge.createConference("fast-start");
                chromium.open(getClass().getResource("/chromium/host-fast-start.html").toString());
                String degradation = comparedDegradation(run);
                String offer = chromium.await("window.publisherOffer(arguments[0])", degradation).asText();
                String answer = conference.publish("host", offer, SlotName.MAIN).sdpAnswer();
                String startKbps = comparedStartKbps(run);
                if (startKbps != null) {
                    answer = answer.replaceAll("x-google-start-bitrate=\\d+", "x-google-start-bitrate=" + startKbps);
                    System.out.printf("fast start run %d: answered start bitrate %s kbit/s (A/B)%n", run, startKbps);
                }
                System.out.printf("fast start run %d: degradation preference %s%n", run, degradation.isEmpty() ? "(browser default)" : degradation);
                chromium.await("window.applyAnswer(arguments[0])", answer);
                long[] millis = millisToCeilingAndFullResolution(chromium, run, observeMillis);
                System.out.printf("fast start run %d: estimate at %d kbps after %d ms, full resolution after %d ms (-1: never),"
                                + " then at full resolution in %d of %d samples%n",
                        run, CEILING_ESTIMATE_BPS / 1000, millis[0], millis[1], millis[2], millis[3]);
                estimateTimes.add(millis[0]);
                held.add(new long[] {millis[2], millis[3]});
                times.add(millis[1]);
            }
        }
        System.out.printf("fast start: ms from connected to the ceiling estimate %s, to full resolution %s (%d runs)%n",
                estimateTimes, times, runs);
        if (System.getProperty("fastStart.compareStartKbps") != null || System.getProperty("fastStart.compareDegradation") != null) {
            return; // a measurement of other answers than the bridge's: the figures above are its outcome
        }
        assertThat(times).as("ms from connected to the full resolution in each run (-1: never within %d ms)", GIVE_UP_AFTER_MILLIS)
                .allSatisfy(millis -> assertThat(millis).isBetween(0L, FULL_RESOLUTION_WITHIN_MILLIS));
        assertThat(held).as("samples at full resolution of those from its first one on, for %d ms at least, in each run", HOLD_MILLIS)
                .allSatisfy(counts -> assertThat(counts[0]).isEqualTo(counts[1]));
    }

    /**
     * For an A/B measurement in one session: {@code -DfastStart.compareStartKbps=1500,2500} answers
     * run 1 with the first start bitrate, run 2 with the second, and so on round; null (the bridge's
     * own answer) by default.
     */
    private static String comparedStartKbps(int run) {
        String list = System.getProperty("fastStart.compareStartKbps");
        if (list == null || list.isBlank()) {
            return null;
        }
        String[] values = list.split(",");
        return values[(run - 1) % values.length].trim();
    }

    /**
     * The video sender's degradation preference, as the host console sets it (web/js/pages/host.js):
     * the host's default, or for an A/B measurement {@code -DfastStart.compareDegradation=none,maintain-resolution}
     * publishes run 1 with the browser's default, run 2 with that preference, and so on round.
     */
    private static String comparedDegradation(int run) {
        String list = System.getProperty("fastStart.compareDegradation");
        if (list == null || list.isBlank()) {
            return HOST_CONSOLE_DEGRADATION;
        }
        String value = list.split(",")[(run - 1) % list.split(",").length].trim();
        return value.equals("none") ? "" : value;
    }

    /**
     * Reads the sender's stats, sampled by the page every 250 ms from connected on, until its
     * estimate reaches the ceiling and it has sent the camera's full width for {@link #HOLD_MILLIS} (and,
     * for a measurement, for {@code observeMillis} at least), logging once a second ({@code -DfastStart.trace=true}: every
     * sample); returns the page-clock ms from connected to the first sample of each (or -1), then how
     * many samples from the full resolution's first one on had it, and of how many.
     */
    private static long[] millisToCeilingAndFullResolution(WebDriverChromium chromium, int run, long observeMillis) throws Exception {
        long connectDeadline = System.currentTimeMillis() + CONNECT_WITHIN_MILLIS;
        JsonNode stats = chromium.await("window.publisherStats()");
        while (stats.path("sinceConnectedMs").asLong() < 0) {
            assertThat(System.currentTimeMillis()).as("host connected within %d ms: %s", CONNECT_WITHIN_MILLIS, stats)
                    .isLessThan(connectDeadline);
            Thread.sleep(POLL_MILLIS);
            stats = chromium.await("window.publisherStats()");
        }
        int fullWidth = stats.path("camera").path("width").asInt();
        assertThat(fullWidth).as("the fake camera gives the 1280x720 the host console asks for: %s", stats.path("camera"))
                .isEqualTo(1280);
        boolean trace = Boolean.getBoolean("fastStart.trace");
        long reached = -1;
        long estimated = -1;
        long samplesSinceReached = 0;
        long fullSinceReached = 0;
        long loggedAt = -1_000;
        long loggedBytes = 0;
        long stopAt = Math.max(GIVE_UP_AFTER_MILLIS, observeMillis);
        long wallDeadline = System.currentTimeMillis() + stopAt + CONNECT_WITHIN_MILLIS;
        while (true) {
            for (JsonNode sample : chromium.await("window.drainSamples()")) {
                long since = sample.path("sinceConnectedMs").asLong();
                if (reached < 0 && sample.path("frameWidth").asInt() >= fullWidth) {
                    reached = since;
                }
                if (reached >= 0) {
                    samplesSinceReached++;
                    fullSinceReached += sample.path("frameWidth").asInt() >= fullWidth ? 1 : 0;
                }
                if (estimated < 0 && sample.path("availableOutgoingBitrate").asLong() >= CEILING_ESTIMATE_BPS) {
                    estimated = since;
                }
                if (trace || since - loggedAt >= 1_000) {
                    long bytes = sample.path("bytesSent").asLong();
                    long sentKbps = loggedAt < 0 ? 0 : (bytes - loggedBytes) * 8 / Math.max(1, since - loggedAt);
                    System.out.printf("fast start run %d t=%5.2f s %4dx%-4d %-9s changes %d target %5d kbps, available %5d kbps,"
                                    + " sent %5d kbps, %2.0f fps, camera %d encoded %d frames, encode %d ms, rtx %d B, transport %d B%n",
                            run, since / 1000.0, sample.path("frameWidth").asInt(), sample.path("frameHeight").asInt(),
                            sample.path("qualityLimitationReason").asText(), sample.path("resolutionChanges").asInt(),
                            sample.path("targetBitrate").asLong() / 1000, sample.path("availableOutgoingBitrate").asLong() / 1000,
                            sentKbps, sample.path("framesPerSecond").asDouble(), sample.path("cameraFrames").asLong(),
                            sample.path("framesEncoded").asLong(), sample.path("encodeMs").asLong(),
                            sample.path("retransmittedBytesSent").asLong(), sample.path("transportBytesSent").asLong());
                    loggedAt = since;
                    loggedBytes = bytes;
                }
                if (reached >= 0 && estimated >= 0 && since >= Math.max(observeMillis, reached + HOLD_MILLIS) || since >= stopAt) {
                    return new long[] {estimated, reached, fullSinceReached, samplesSinceReached};
                }
            }
            assertThat(System.currentTimeMillis()).as("the page sampled its stats until %d ms after connected", stopAt)
                    .isLessThan(wallDeadline);
            Thread.sleep(POLL_MILLIS); // the polling period; the outcome comes from the page's own samples
        }
    }
}
