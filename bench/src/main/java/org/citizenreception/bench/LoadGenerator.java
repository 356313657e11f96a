package org.citizenreception.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.PublisherStats;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.ViewerStats;
import org.citizenreception.client.rtp.Vp8Clip;
import org.citizenreception.client.signal.Signaller;

/**
 * Issue 6's load generator: one synthetic publisher over WHIP, N viewers over WHEP (a join storm
 * within one second, or gradually), a measurement window of D seconds, the server process read
 * from /proc, one table row on stdout and the same numbers as JSON.
 *
 * <p>Exit status: 0 when the run worked; 1 on bad arguments or a publisher that could not join;
 * 2 with {@code --smoke} when any viewer saw an SRTP authentication failure or nothing arrived.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: LoadGenerator --whip URL [--whep URL] [--publish-token T] [--view-token T]"
                    + " [--viewers N] [--seconds D] [--join storm|gradual] [--join-per-second R] [--bitrate BPS]"
                    + " [--server-pid PID] [--metrics URL] [--json FILE] [--label NAME] [--nack] [--smoke]"
                    + " [--pacing-factor F] [--view-tokens-file FILE] [--viewer-kind generator|libwebrtc]"
                    + " [--viewer-feedback libwebrtc|simple] [--vp8-clip FILE.ivf]");
            System.exit(1);
            return;
        }
        BenchResult result = run(o);
        System.out.println(BenchResult.tableHeader());
        System.out.println(result.tableRow());
        if (o.json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.json.toFile(), result);
        }
        if (o.smoke && (result.srtpAuthFailures() > 0 || result.packetsOutPerSecond() <= 0)) {
            System.err.println("bench smoke: FAILED (SRTP auth failures " + result.srtpAuthFailures()
                    + ", packets/s delivered " + result.packetsOutPerSecond() + ")");
            System.exit(2);
        }
        System.exit(0);
    }

    static BenchResult run(BenchOptions o) throws Exception {
        ServerProbe probe = new ServerProbe(o.serverPid, o.metrics, o.clockTicksPerSecond);
        List<String> viewTokens = viewTokens(o);
        JanusVideoRoom janus = o.janus == null ? null : new JanusVideoRoom(o.janus, o.janusRoom);
        java.util.concurrent.ExecutorService joiners = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-join");
            t.setDaemon(true);
            return t;
        });
        Vp8Clip clip = o.vp8Clip == null ? null : Vp8Clip.read(o.vp8Clip);
        PeerConnectionFactory libwebrtc = o.libwebrtcViewers ? new PeerConnectionFactory(new HeadlessAudioDeviceModule()) : null;
        List<MeasuredViewer> viewers = new ArrayList<>();
        try (ClientGroup group = ClientGroup.create(o.threads, o.maxHandshakes)) {
            Publisher publisher = group.publisher(PeerOptions.defaults().bindHost(o.bindHost).videoBitrateBps(o.bitrateBps)
                    .pacingFactor(o.pacingFactor).vp8Clip(clip));
            publisher.connect(janus != null ? Signaller.direct(janus::publish) : Signaller.http(o.whip, o.publishToken))
                    .get(20, TimeUnit.SECONDS);
            Thread.sleep(1_000); // let the bridge see a keyframe and settle before viewers come
            long warmupMillis = warmUp(group, o, janus, viewTokens);
            if (warmupMillis >= 0) {
                System.err.println("bench: warm-up viewers joined (connect to keyframe) in " + warmupMillis + " ms at worst");
            }
            long liveHeapBeforeViewers = probe.liveHeapBytes();
            ServerProbe.Sample beforeViewers = probe.sample();
            PublisherStats beforeJoin = publisher.stats();

            List<Viewer> generatorViewers = new ArrayList<>();
            List<CompletableFuture<Void>> joined = new ArrayList<>();
            ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
            long spreadMillis = o.storm ? 1_000 : 1_000L * o.viewers / o.joinPerSecond;
            for (int i = 0; i < o.viewers; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                joined.add(done);
                long delayMicros = spreadMillis * 1_000L * i / o.viewers;
                String token = viewTokens.get(i % viewTokens.size());
                java.util.function.Supplier<CompletableFuture<Void>> joining;
                if (libwebrtc != null) {
                    LibwebrtcViewer v = new LibwebrtcViewer(libwebrtc, "libwebrtc-" + (i + 1), janus == null);
                    viewers.add(v);
                    joining = () -> join(v, o, janus, token);
                } else {
                    Viewer v = group.viewer(viewerOptions(o));
                    generatorViewers.add(v);
                    viewers.add(MeasuredViewer.of(v));
                    joining = () -> join(v, o, janus, token);
                }
                starter.schedule(() -> joiners.execute(() -> joining.get().whenComplete((ok, err) -> {
                    if (err != null) {
                        done.completeExceptionally(err);
                    } else {
                        done.complete(null);
                    }
                })), delayMicros, TimeUnit.MICROSECONDS);
            }
            int connected = 0;
            long joinDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(spreadMillis + 30_000);
            for (CompletableFuture<Void> f : joined) {
                try {
                    f.get(Math.max(1, joinDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    connected++;
                } catch (Exception e) {
                    // counted as not connected; the first failure is worth reading
                    if (connected == 0) {
                        System.err.println("bench: a viewer failed to join: " + e.getCause());
                    }
                }
            }
            starter.shutdownNow();
            printJoinPhases(viewers);
            Thread.sleep(2_000); // the last joiners' keyframes
            PublisherStats afterJoin = publisher.stats();

            List<ViewerStats> before = snapshot(viewers);
            PublisherStats pubBefore = publisher.stats();
            ServerProbe self = new ServerProbe(ProcessHandle.current().pid(), null, o.clockTicksPerSecond);
            long selfBefore = self.cpuMicros();
            long rtcpBefore = generatorViewers.stream().mapToLong(Viewer::rtcpPacketsSent).sum();
            ServerProbe.Sample serverBefore = probe.sample();
            Thread.sleep(o.seconds * 1_000L);
            ServerProbe.Sample serverAfter = probe.sample();
            long selfCpu = selfBefore < 0 ? -1 : self.cpuMicros() - selfBefore;
            PublisherStats pubAfter = publisher.stats();
            List<ViewerStats> after = snapshot(viewers);
            long liveHeapWithViewers = probe.liveHeapBytes();
            if (o.verbose) {
                for (int i = 0; i < generatorViewers.size(); i++) {
                    ViewerStats s = after.get(i);
                    Viewer v = generatorViewers.get(i);
                    if (s.srtpAuthFailures() > 0 || s.keyframesComplete() == 0) {
                        System.err.println("bench: " + s.id() + " auth failures " + s.srtpAuthFailures() + ", first: "
                                + v.firstAuthFailure() + "; streams " + v.highestSequences()
                                + "; keyframes " + s.keyframesComplete() + "; early " + v.earlyPacketsBuffered()
                                + "; profile " + v.srtpProfile());
                    }
                }
            }
            printFeedback(generatorViewers, rtcpBefore, before, after, o.seconds);
            return BenchResult.compute(o, connected, before, after, pubBefore, pubAfter, beforeJoin, afterJoin,
                    serverBefore, serverAfter, beforeViewers, selfCpu,
                    liveHeapBeforeViewers < 0 || liveHeapWithViewers < 0 || connected == 0 ? -1
                            : (liveHeapWithViewers - liveHeapBeforeViewers) / connected);
        } finally {
            joiners.shutdownNow();
            if (libwebrtc != null) {
                viewers.forEach(MeasuredViewer::close); // the group closes its own; these are libwebrtc's
                libwebrtc.dispose();
            }
            if (janus != null) {
                janus.close();
            }
        }
    }

    /** The generator viewers' options: libwebrtc-like feedback unless {@code --viewer-feedback simple}. */
    static PeerOptions viewerOptions(BenchOptions o) {
        return PeerOptions.defaults().bindHost(o.bindHost).nack(o.nack).libwebrtcFeedback(o.libwebrtcFeedback);
    }

    /** What the generator's viewers sent back per viewer and second, on stderr, so a run shows its feedback load. */
    private static void printFeedback(List<Viewer> viewers, long rtcpBefore, List<ViewerStats> before,
            List<ViewerStats> after, int seconds) {
        if (viewers.isEmpty()) {
            return;
        }
        long rtcp = -rtcpBefore;
        long nacks = 0;
        long plis = 0;
        for (int i = 0; i < viewers.size(); i++) {
            rtcp += viewers.get(i).rtcpPacketsSent();
            nacks += after.get(i).nacksSent() - before.get(i).nacksSent();
            plis += after.get(i).plisSent() - before.get(i).plisSent();
        }
        System.err.printf(java.util.Locale.ROOT, "bench: generator feedback in the window: %.1f RTCP packets/s per viewer,"
                        + " %d NACK and %d PLI packets (since joining: transport-cc %d, REMB %d in all)%n",
                (double) rtcp / viewers.size() / Math.max(1, seconds), nacks, plis,
                viewers.stream().mapToLong(Viewer::transportCcFeedbackSent).sum(),
                viewers.stream().mapToLong(Viewer::rembSent).sum());
    }

    /** A libwebrtc viewer: WHEP with its offer, or Janus's offer with its answer. */
    static CompletableFuture<Void> join(LibwebrtcViewer v, BenchOptions o, JanusVideoRoom janus, String viewToken) {
        if (janus == null) {
            return v.connect(Signaller.http(o.whep, viewToken));
        }
        try {
            JanusVideoRoom.Subscription s = janus.subscribe();
            janus.start(s, v.answer(s.offerSdp()));
            return v.connected();
        } catch (Exception e) {
            v.close();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Joins and drops {@code --warmup-viewers} viewers; returns the slowest one's join-to-keyframe millis, or -1. */
    private static long warmUp(ClientGroup group, BenchOptions o, JanusVideoRoom janus, List<String> viewTokens)
            throws InterruptedException {
        if (o.warmupViewers <= 0) {
            return -1;
        }
        List<Viewer> warm = new ArrayList<>();
        for (int i = 0; i < o.warmupViewers; i++) {
            Viewer v = group.viewer(PeerOptions.defaults().bindHost(o.bindHost));
            warm.add(v);
            join(v, o, janus, viewTokens.get(i % viewTokens.size()));
        }
        long deadline = System.currentTimeMillis() + 30_000;
        long worst = 0;
        for (Viewer v : warm) {
            while (v.stats().joinToKeyframeNanos() < 0 && System.currentTimeMillis() < deadline && !v.isClosed()) {
                Thread.sleep(50);
            }
            worst = Math.max(worst, v.stats().joinToKeyframeNanos() / 1_000_000);
        }
        warm.forEach(Viewer::close);
        Thread.sleep(1_000);
        return worst;
    }

    /** WHEP: the viewer offers. Janus: Janus offers, the viewer answers, then the subscription starts. */
    static CompletableFuture<Void> join(Viewer v, BenchOptions o, JanusVideoRoom janus, String viewToken) {
        if (janus == null) {
            return v.connect(Signaller.http(o.whep, viewToken));
        }
        try {
            JanusVideoRoom.Subscription s = janus.subscribe();
            String answer = v.answer(s.offerSdp());
            janus.start(s, answer);
            return v.ready();
        } catch (Exception e) {
            v.close();
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The WHEP bearer tokens viewers use in turn: one per room from {@code --view-tokens-file} (each
     * room's own join token, as a deployment's room consoles hold), else the one {@code --view-token}.
     */
    static List<String> viewTokens(BenchOptions o) throws java.io.IOException {
        if (o.viewTokensFile != null) {
            List<String> tokens = Files.readAllLines(o.viewTokensFile).stream().map(String::trim)
                    .filter(t -> !t.isEmpty()).toList();
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("--view-tokens-file has no token: " + o.viewTokensFile);
            }
            return tokens;
        }
        return java.util.Collections.singletonList(o.viewToken);
    }

    /** Where the join storm's time went, on stderr: p50/p95 of each phase's end since connect start. */
    private static void printJoinPhases(List<MeasuredViewer> viewers) {
        String[] names = {"answered", "ice", "dtls-start", "dtls-done", "srtp-ready"};
        StringBuilder line = new StringBuilder("bench: join phases p50/p95 ms since connect start:");
        for (int phase = 0; phase < names.length; phase++) {
            List<Long> values = new ArrayList<>();
            for (MeasuredViewer v : viewers) {
                long ms = v.joinPhaseMillis()[phase];
                if (ms >= 0) {
                    values.add(ms);
                }
            }
            values.sort(null);
            line.append(' ').append(names[phase]).append(' ')
                    .append(BenchResult.percentileOf(values, 0.50)).append('/').append(BenchResult.percentileOf(values, 0.95));
        }
        List<Long> handshakes = new ArrayList<>();
        for (MeasuredViewer v : viewers) {
            long[] phases = v.joinPhaseMillis();
            if (phases[2] >= 0 && phases[3] >= 0) {
                handshakes.add(phases[3] - phases[2]);
            }
        }
        handshakes.sort(null);
        line.append("; one DTLS handshake p50/p95/max ").append(BenchResult.percentileOf(handshakes, 0.50)).append('/')
                .append(BenchResult.percentileOf(handshakes, 0.95)).append('/')
                .append(BenchResult.percentileOf(handshakes, 1.0)).append(" ms");
        System.err.println(line);
    }

    private static List<ViewerStats> snapshot(List<MeasuredViewer> viewers) {
        List<ViewerStats> out = new ArrayList<>(viewers.size());
        for (MeasuredViewer v : viewers) {
            out.add(v.stats());
        }
        return out;
    }
}
