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
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.PublisherStats;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.ViewerStats;
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
                    + " [--server-pid PID] [--metrics URL] [--json FILE] [--label NAME] [--nack] [--smoke]");
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
        JanusVideoRoom janus = o.janus == null ? null : new JanusVideoRoom(o.janus, o.janusRoom);
        java.util.concurrent.ExecutorService joiners = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-join");
            t.setDaemon(true);
            return t;
        });
        try (ClientGroup group = ClientGroup.create(o.threads)) {
            Publisher publisher = group.publisher(PeerOptions.defaults().bindHost(o.bindHost).videoBitrateBps(o.bitrateBps));
            publisher.connect(janus != null ? Signaller.direct(janus::publish) : Signaller.http(o.whip, o.publishToken))
                    .get(20, TimeUnit.SECONDS);
            Thread.sleep(1_000); // let the bridge see a keyframe and settle before viewers come
            ServerProbe.Sample beforeViewers = probe.sample();
            PublisherStats beforeJoin = publisher.stats();

            List<Viewer> viewers = new ArrayList<>();
            List<CompletableFuture<Void>> joined = new ArrayList<>();
            ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
            long spreadMillis = o.storm ? 1_000 : 1_000L * o.viewers / o.joinPerSecond;
            for (int i = 0; i < o.viewers; i++) {
                Viewer v = group.viewer(PeerOptions.defaults().bindHost(o.bindHost).nack(o.nack));
                viewers.add(v);
                CompletableFuture<Void> done = new CompletableFuture<>();
                joined.add(done);
                long delayMicros = spreadMillis * 1_000L * i / o.viewers;
                starter.schedule(() -> joiners.execute(() -> join(v, o, janus).whenComplete((ok, err) -> {
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
            Thread.sleep(2_000); // the last joiners' keyframes
            PublisherStats afterJoin = publisher.stats();

            List<ViewerStats> before = snapshot(viewers);
            PublisherStats pubBefore = publisher.stats();
            ServerProbe.Sample serverBefore = probe.sample();
            Thread.sleep(o.seconds * 1_000L);
            ServerProbe.Sample serverAfter = probe.sample();
            PublisherStats pubAfter = publisher.stats();
            List<ViewerStats> after = snapshot(viewers);
            return BenchResult.compute(o, connected, before, after, pubBefore, pubAfter, beforeJoin, afterJoin,
                    serverBefore, serverAfter, beforeViewers);
        } finally {
            joiners.shutdownNow();
            if (janus != null) {
                janus.close();
            }
        }
    }

    /** WHEP: the viewer offers. Janus: Janus offers, the viewer answers, then the subscription starts. */
    private static CompletableFuture<Void> join(Viewer v, BenchOptions o, JanusVideoRoom janus) {
        if (janus == null) {
            return v.connect(Signaller.http(o.whep, o.viewToken));
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

    private static List<ViewerStats> snapshot(List<Viewer> viewers) {
        List<ViewerStats> out = new ArrayList<>(viewers.size());
        for (Viewer v : viewers) {
            out.add(v.stats());
        }
        return out;
    }
}
