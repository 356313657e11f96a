package org.citizenreception.bench;

import java.net.URI;
import java.nio.file.Path;

/** Command-line options of {@link LoadGenerator}; {@link #parse} names the bad argument on error. */
final class BenchOptions {
    String label = "citizen-reception";
    URI whip;
    /** Janus HTTP API base (e.g. http://127.0.0.2:8088/janus); replaces WHIP/WHEP when set. */
    URI janus;
    long janusRoom = 1234;
    String bindHost = "127.0.0.1";
    /** Viewers that join and leave before the measured run, so a cold server's one-time costs (JIT, crypto set-up) stay out of it. */
    int warmupViewers;
    URI whep;
    String publishToken;
    String viewToken;
    int viewers = 10;
    int seconds = 10;
    boolean storm = true;
    int joinPerSecond = 20;
    int bitrateBps = 2_500_000;
    long serverPid = -1;
    URI metrics;
    Path json;
    boolean smoke;
    boolean nack;
    /** Print every viewer that saw an SRTP authentication failure or no keyframe. */
    boolean verbose;
    int threads = Runtime.getRuntime().availableProcessors();
    int clockTicksPerSecond = 100;
    /** DTLS handshakes the generator runs at once (its own CPU guard; real rooms each have their own machine). */
    int maxHandshakes = 4 * Runtime.getRuntime().availableProcessors();
    /** The publisher's video pacer, a multiple of the bitrate (libwebrtc: 2.5); 0 sends each frame in one burst. */
    double pacingFactor = 2.5;
    /** One WHEP bearer token per line (each room's join token); viewer i uses line i modulo their number. */
    Path viewTokensFile;
    /** Real libwebrtc viewers (webrtc-java) instead of the generator's, for calibration. */
    boolean libwebrtcViewers;
    /** The generator's viewers answer like libwebrtc receivers (reports, transport-cc or REMB, NACK, PLI); false: the older, quieter viewer. */
    boolean libwebrtcFeedback = true;
    /** Real VP8 frames for the publisher (IVF), so libwebrtc viewers can decode what they get. */
    Path vp8Clip;
    /** Soak: how long the viewers stay, and how often the server is sampled. */
    int minutes = 30;
    int sampleSeconds = 30;
    /** Soak: the folder the samples, curves and figures are written to. */
    Path out;

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--smoke")) {
                o.smoke = true;
                continue;
            }
            if (a.equals("--verbose")) {
                o.verbose = true;
                continue;
            }
            if (a.equals("--nack")) {
                o.nack = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--label" -> o.label = v;
                case "--whip" -> o.whip = URI.create(v);
                case "--whep" -> o.whep = URI.create(v);
                case "--janus" -> o.janus = URI.create(v);
                case "--janus-room" -> o.janusRoom = Long.parseLong(v);
                case "--bind-host" -> o.bindHost = v;
                case "--warmup-viewers" -> o.warmupViewers = Integer.parseInt(v);
                case "--publish-token" -> o.publishToken = v;
                case "--view-token" -> o.viewToken = v;
                case "--viewers" -> o.viewers = positive(a, v);
                case "--seconds" -> o.seconds = positive(a, v);
                case "--join" -> {
                    if (!v.equals("storm") && !v.equals("gradual")) {
                        throw new IllegalArgumentException("--join must be storm or gradual: " + v);
                    }
                    o.storm = v.equals("storm");
                }
                case "--join-per-second" -> o.joinPerSecond = positive(a, v);
                case "--bitrate" -> o.bitrateBps = positive(a, v);
                case "--server-pid" -> o.serverPid = Long.parseLong(v);
                case "--metrics" -> o.metrics = URI.create(v);
                case "--json" -> o.json = Path.of(v);
                case "--threads" -> o.threads = positive(a, v);
                case "--clock-ticks" -> o.clockTicksPerSecond = positive(a, v);
                case "--max-handshakes" -> o.maxHandshakes = positive(a, v);
                case "--pacing-factor" -> {
                    o.pacingFactor = Double.parseDouble(v);
                    if (o.pacingFactor != 0 && o.pacingFactor < 1) {
                        throw new IllegalArgumentException("--pacing-factor must be 0 (bursts) or >= 1: " + v);
                    }
                }
                case "--viewer-kind" -> {
                    if (!v.equals("generator") && !v.equals("libwebrtc")) {
                        throw new IllegalArgumentException("--viewer-kind must be generator or libwebrtc: " + v);
                    }
                    o.libwebrtcViewers = v.equals("libwebrtc");
                }
                case "--viewer-feedback" -> {
                    if (!v.equals("libwebrtc") && !v.equals("simple")) {
                        throw new IllegalArgumentException("--viewer-feedback must be libwebrtc or simple: " + v);
                    }
                    o.libwebrtcFeedback = v.equals("libwebrtc");
                }
                case "--vp8-clip" -> o.vp8Clip = Path.of(v);
                case "--view-tokens-file" -> o.viewTokensFile = Path.of(v);
                case "--minutes" -> o.minutes = positive(a, v);
                case "--sample-seconds" -> o.sampleSeconds = positive(a, v);
                case "--out" -> o.out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.whip == null && o.janus == null) {
            throw new IllegalArgumentException("--whip (or --janus) is required");
        }
        if (o.whep == null && o.whip != null) {
            o.whep = URI.create(o.whip.toString().replace("/whip/", "/whep/"));
        }
        return o;
    }

    private static int positive(String name, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return n;
    }
}
