package org.citizenreception.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.PublisherStats;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.ViewerStats;
import org.citizenreception.client.signal.Signaller;

/**
 * Issue 14's soak: one synthetic publisher over WHIP and N viewers over WHEP stay for M minutes
 * while the server process is sampled every S seconds from outside: heap in use right after a full
 * collection, resident memory, threads, open file descriptors and the bridge's open endpoints. The
 * samples, their curves (SVG) and a figures table go to {@code --out}; {@link SoakBounds} says
 * whether anything grew, lost or failed.
 *
 * <p>Exit status: 0 within bounds, 1 on bad arguments or a publisher that could not join, 2 when a
 * bound was broken (each broken bound is printed).
 */
public final class Soak {
    /** One look at the server, {@code minutes} after the viewers settled; -1 where it could not be read. */
    record Sample(double minutes, long heapAfterGcBytes, long rssBytes, long threads, long fileDescriptors, long endpoints,
            long viewerPacketsLost) {
    }

    /**
     * The run: the samples, and what the viewers saw over all of it (from the first sample to the last).
     *
     * @param minViewerReceivedPercent the worst viewer's packets as a share of the packets the publisher sent
     */
    record Result(int viewers, int viewersConnected, int viewersWithoutKeyframe, long srtpAuthFailures, long packetsLost,
            long publisherPackets, double minViewerReceivedPercent, List<Sample> samples) {
    }

    /**
     * ICE + DTLS may take this long: a soak measures what happens after the join, and on a machine
     * shared with other work a cold JVM's first handshakes have taken longer than the generator's 20 s.
     */
    private static final int CONNECT_TIMEOUT_MILLIS = 60_000;

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
            if (o.out == null) {
                throw new IllegalArgumentException("--out is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println("usage: Soak --whip URL --publish-token T --view-tokens-file FILE --viewers N --minutes M"
                    + " [--sample-seconds S] [--bitrate BPS] --server-pid PID --metrics URL --out DIR");
            System.exit(1);
            return;
        }
        Result result = run(o);
        List<String> broken = SoakBounds.violations(result);
        SoakReport.write(o.out, result, broken);
        System.out.println("soak: samples, curves and figures in " + o.out);
        if (!broken.isEmpty()) {
            broken.forEach(b -> System.err.println("soak: bound broken: " + b));
            System.exit(2);
        }
        System.exit(0);
    }

    static Result run(BenchOptions o) throws Exception {
        ServerProbe probe = new ServerProbe(o.serverPid, o.metrics, o.clockTicksPerSecond);
        List<String> viewTokens = LoadGenerator.viewTokens(o);
        ExecutorService joiners = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "soak-join");
            t.setDaemon(true);
            return t;
        });
        try (ClientGroup group = ClientGroup.create(o.threads, o.maxHandshakes)) {
            Publisher publisher = group.publisher(PeerOptions.defaults().bindHost(o.bindHost).videoBitrateBps(o.bitrateBps)
                    .pacingFactor(o.pacingFactor).connectTimeoutMillis(CONNECT_TIMEOUT_MILLIS));
            // A loaded machine (the soak shares it with whatever else runs) can take long over the first DTLS handshake.
            publisher.connect(Signaller.http(o.whip, o.publishToken)).get(60, TimeUnit.SECONDS);
            Thread.sleep(1_000); // a keyframe at the bridge before the viewers come

            List<Viewer> viewers = new ArrayList<>();
            List<CompletableFuture<Void>> joined = new ArrayList<>();
            for (int i = 0; i < o.viewers; i++) {
                Viewer v = group.viewer(PeerOptions.defaults().bindHost(o.bindHost).nack(o.nack)
                        .connectTimeoutMillis(CONNECT_TIMEOUT_MILLIS));
                viewers.add(v);
                String token = viewTokens.get(i % viewTokens.size());
                CompletableFuture<Void> done = new CompletableFuture<>();
                joined.add(done);
                // Each joiner waits for its viewer's handshake before the next: a soak measures what follows the
                // join, and a storm of handshakes on a loaded machine only measures the machine.
                joiners.execute(() -> {
                    try {
                        LoadGenerator.join(v, o, null, token).get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                        done.complete(null);
                    } catch (Exception e) {
                        done.completeExceptionally(e);
                    }
                });
            }
            int connected = 0;
            long joinDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MILLIS) * (1 + o.viewers / 4);
            for (CompletableFuture<Void> f : joined) {
                try {
                    f.get(Math.max(1, joinDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    connected++;
                } catch (Exception e) {
                    System.err.println("soak: a viewer failed to join: " + e);
                }
            }
            Thread.sleep(5_000); // every viewer's first keyframe
            // The first attach of jcmd to the server is slow (it starts the attach listener): done here, outside
            // the samples, it also collects the join's garbage before the first one.
            probe.liveHeapBytes();

            List<ViewerStats> before = snapshot(viewers);
            PublisherStats publisherBefore = publisher.stats();
            List<Sample> samples = new ArrayList<>();
            long start = System.nanoTime();
            long lengthNanos = TimeUnit.MINUTES.toNanos(o.minutes);
            long everyNanos = TimeUnit.SECONDS.toNanos(o.sampleSeconds);
            for (long next = start; ; next += everyNanos) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the sampling period, not a wait for a condition
                }
                long lost = 0;
                List<ViewerStats> now = snapshot(viewers);
                for (int i = 0; i < now.size(); i++) {
                    lost += now.get(i).lost() - before.get(i).lost();
                }
                double minutes = (System.nanoTime() - start) / 60e9;
                Sample s = new Sample(minutes, probe.liveHeapBytes(), probe.rssBytes(), probe.threads(), probe.fileDescriptors(),
                        probe.activeEndpoints(), lost);
                samples.add(s);
                System.err.printf("soak: %5.1f min heap after GC %d MB, RSS %d MB, threads %d, fds %d, endpoints %d, lost %d%n",
                        minutes, s.heapAfterGcBytes() >> 20, s.rssBytes() >> 20, s.threads(), s.fileDescriptors(), s.endpoints(), lost);
                if (next - start >= lengthNanos) {
                    break;
                }
            }
            PublisherStats publisherAfter = publisher.stats();
            List<ViewerStats> after = snapshot(viewers);
            long sent = (publisherAfter.videoPackets() + publisherAfter.audioPackets())
                    - (publisherBefore.videoPackets() + publisherBefore.audioPackets());
            long auth = 0;
            long lost = 0;
            int withoutKeyframe = 0;
            double worst = viewers.isEmpty() ? 0 : Double.MAX_VALUE;
            for (int i = 0; i < after.size(); i++) {
                ViewerStats a = after.get(i);
                ViewerStats b = before.get(i);
                auth += a.srtpAuthFailures();
                lost += a.lost() - b.lost();
                withoutKeyframe += a.keyframesComplete() == 0 ? 1 : 0;
                worst = Math.min(worst, sent == 0 ? 0 : 100.0 * (a.packets() - b.packets()) / sent);
            }
            return new Result(o.viewers, connected, withoutKeyframe, auth, lost, sent, worst, samples);
        } finally {
            joiners.shutdownNow();
        }
    }

    private static List<ViewerStats> snapshot(List<Viewer> viewers) {
        List<ViewerStats> out = new ArrayList<>(viewers.size());
        for (Viewer v : viewers) {
            out.add(v.stats());
        }
        return out;
    }
}
