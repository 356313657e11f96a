package org.citizenreception.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.PublisherStats;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.ViewerStats;
import org.citizenreception.client.rtp.Vp8Clip;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.client.stats.LatencyHistogram;

/**
 * The 3-bridge sweep (issue 16's bench): one session over three bridges in two shapes, swept over
 * viewer counts, the generator's publisher on the root.
 * <ul>
 *   <li><b>star</b>: root → leaf-a, root → leaf-b (a province's bridge feeding two machines of
 *   communes);</li>
 *   <li><b>chain</b>: root → province → region, depth 2 (central → province → region).</li>
 * </ul>
 * The root carries a few reference viewers (its latency is the one-bridge baseline each hop is
 * measured against), every other bridge N. Each bridge runs in a process of its own by default (as
 * in production: its process CPU is its own, and its event loop competes for the cores like a real
 * bridge's); {@code --in-process} puts them in this JVM for comparison. The generator (publisher
 * and viewers) is this JVM, so the send stamps and receive times share a clock.
 *
 * <p>Per bridge: forwarding latency from the publisher's send stamp (p50/p95/p99, and what this
 * bridge adds to its upstream's), packets sent per second, event loop CPU per sent packet (and the
 * whole process's, in process mode), its link's counters, and whether any of its viewers missed
 * packets. Writes {@code cascade-sweep.md} to {@code --out}.
 *
 * <p>Usage: {@code CascadeSweep --viewers 25,50 [--root-viewers 5] [--topologies star,chain]
 * [--seconds 10] [--warmup-seconds 10] [--bitrate 2500000] [--clip f.ivf] [--in-process] --out DIR}.
 */
public final class CascadeSweep {
    private static final long JOIN_TIMEOUT_SECONDS = 90;
    private static final long KEYFRAME_TIMEOUT_NANOS = 30_000_000_000L;
    /** After every viewer has its first keyframe: past the joins' keyframes and retransmissions. */
    private static final int SETTLE_SECONDS = 3;

    /** A bridge of a topology: its name, the index of its upstream (-1 for the root). */
    record Position(String name, int upstream) {
    }

    record Topology(String name, String description, List<Position> bridges) {
        static Topology named(String name) {
            return switch (name) {
                case "star" -> new Topology("star", "root → leaf-a, root → leaf-b",
                        List.of(new Position("root", -1), new Position("leaf-a", 0), new Position("leaf-b", 0)));
                case "chain" -> new Topology("chain", "root → province → region (depth 2)",
                        List.of(new Position("root", -1), new Position("province", 0), new Position("region", 1)));
                default -> throw new IllegalArgumentException("--topologies takes star and/or chain, not " + name);
            };
        }

        int hops(int index) {
            int hops = 0;
            for (int i = index; bridges.get(i).upstream() >= 0; i = bridges.get(i).upstream()) {
                hops++;
            }
            return hops;
        }
    }

    private CascadeSweep() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = List.of(25, 50);
        List<String> topologies = List.of("star", "chain");
        int rootViewers = 5;
        int seconds = 10;
        int warmupSeconds = 10;
        int bitrate = 2_500_000;
        String clip = null;
        boolean inProcess = false;
        Path out = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--viewers" -> counts = List.of(args[++i].split(",")).stream().map(Integer::parseInt).sorted().toList();
                case "--root-viewers" -> rootViewers = Integer.parseInt(args[++i]);
                case "--topologies" -> topologies = List.of(args[++i].split(","));
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--bitrate" -> bitrate = Integer.parseInt(args[++i]);
                case "--clip" -> clip = args[++i];
                case "--in-process" -> inProcess = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        Vp8Clip vp8 = clip == null ? null : Vp8Clip.read(Path.of(clip));
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
                # Cascade sweep: 3 bridges, %s, %d s measured per point, %d bit/s

                Bridges: %s. The generator (publisher on the root, every viewer) is one more JVM. Each shape's
                bridges stay up over the whole sweep, viewers are added as N grows; %d s of warm-up before the
                first point, %d s after each later join.
                Machine: %d cores. Load (/proc/loadavg) at the start: `%s`.

                | shape | N per bridge below the root | bridge | hops | viewers joined (with keyframe) | latency p50/p95/p99 (ms) | this bridge adds p50/p95/p99 (ms) | packets/s sent | event loop µs/packet | process µs/packet | event loop CPU %% | link: packets down, losses, keyframe requests up, RTT ms | viewers that missed packets | load 1 min |
                |---|---:|---|---:|---:|---|---|---:|---:|---:|---:|---|---|---:|
                """, inProcess ? "all in one JVM (--in-process)" : "each bridge its own process", seconds, bitrate,
                inProcess ? "three MediaBridges in the generator's JVM" : "three processes (BridgeProcessMain), one MediaBridge each",
                warmupSeconds, SETTLE_SECONDS, Runtime.getRuntime().availableProcessors(), loadavg()));
        List<String> saturated = new ArrayList<>();
        List<String> publisherRates = new ArrayList<>();
        for (String shape : topologies) {
            Topology topology = Topology.named(shape);
            try (Sweep sweep = Sweep.start(topology, rootViewers, bitrate, vp8, inProcess, out)) {
                boolean first = true;
                for (int n : counts) {
                    PointResult result = sweep.measure(n, first ? warmupSeconds : SETTLE_SECONDS, seconds);
                    first = false;
                    report.append(result.rows());
                    publisherRates.add(result.publisher());
                    if (!result.saturation().isEmpty()) {
                        saturated.add(shape + " N=" + n + ": " + String.join(", ", result.saturation()));
                    }
                    Files.writeString(out.resolve("cascade-sweep.md"), report + notes(saturated, publisherRates));
                }
            } catch (Exception e) {
                // one shape's failure (a bridge process that died, a link that never connected) is reported, and
                // the other shape still measured
                progress("%s failed: %s", shape, e);
                report.append(String.format(Locale.ROOT, "| %s | | failed: %s | | | | | | | | | | | |%n", shape,
                        String.valueOf(e.getMessage()).replace('|', '/').replace('\n', ' ')));
            }
        }
        report.append(notes(saturated, publisherRates));
        Files.writeString(out.resolve("cascade-sweep.md"), report);
        System.out.print(report);
    }

    /** Where a slow run spends its time (a loaded machine takes long to start JVMs and join). */
    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "%tT cascade sweep: %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }

    static String notes(List<String> saturated, List<String> publisherRates) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, """

                Load at the end: `%s`.

                Latency: the publisher's send stamp (inside the VP8 payload, untouched by the bridges) to the
                viewer's receipt, one JVM clock; "adds" is this bridge's percentile minus its upstream bridge's
                (the hop: the link's sockets and the bridge's own receive and fan-out). packets/s and µs/packet
                count every datagram the bridge sent (viewers' media and RTCP, and the copies down its links), so
                the root's include one copy per link. Event loop: the CPU time of the bridge's Netty event loop
                thread, which does all its packet work (fan-out helpers off); process: the whole bridge JVM
                (GC, JIT, timers too), only when the bridge has a process of its own. Link losses: media packets
                missing on the link before repair; viewers that missed packets: viewers whose video or audio
                sequence still had holes at the window's end, and the range of video packets its viewers received
                against what the publisher sent in the window (over 100 %%: a backlog from before the window).
                """, loadavgOrUnknown()));
        if (!publisherRates.isEmpty()) {
            s.append("\nThe publisher in each window: ").append(String.join("; ", publisherRates)).append(".\n");
        }
        if (!saturated.isEmpty()) {
            s.append("\n**Saturated** (these rows do not measure the bridges, the machine or the generator did not keep up): ")
                    .append(String.join("; ", saturated)).append(".\n");
        }
        return s.toString();
    }

    record PointResult(String rows, List<String> saturation, String publisher) {
    }

    /**
     * One shape's bridges, linked, with the publisher on the root, kept for every N of the sweep:
     * viewers are added as N grows (the bridges stay warm, as a bridge in service is, and only the
     * new viewers join).
     */
    private static final class Sweep implements AutoCloseable {
        private final Topology topology;
        private final List<SweepBridge> bridges;
        private final ClientGroup group;
        private final Publisher publisher;
        private final List<List<Viewer>> viewers = new ArrayList<>();
        private final int[] failedJoins;
        private final int rootViewers;

        private Sweep(Topology topology, List<SweepBridge> bridges, ClientGroup group, Publisher publisher, int rootViewers) {
            this.topology = topology;
            this.bridges = bridges;
            this.group = group;
            this.publisher = publisher;
            this.rootViewers = rootViewers;
            this.failedJoins = new int[bridges.size()];
            bridges.forEach(b -> viewers.add(new ArrayList<>()));
        }

        static Sweep start(Topology topology, int rootViewers, int bitrate, Vp8Clip clip, boolean inProcess, Path out)
                throws Exception {
            progress("%s: starting the bridges", topology.name());
            List<SweepBridge> bridges = startBridges(topology, inProcess, out);
            ClientGroup group = null;
            try {
                progress("%s: bridges up; opening the links", topology.name());
                for (int i = 1; i < bridges.size(); i++) {
                    bridges.get(i).linkUpstream(bridges.get(i).name(), bridges.get(topology.bridges().get(i).upstream()));
                }
                group = ClientGroup.create(2, 4);
                SweepBridge root = bridges.get(0);
                Publisher publisher = group.publisher(PeerOptions.defaults().videoBitrateBps(bitrate).vp8Clip(clip));
                publisher.connect(Signaller.direct(offer -> root.publish("host", offer))).get(30, TimeUnit.SECONDS);
                return new Sweep(topology, bridges, group, publisher, rootViewers);
            } catch (Exception | Error e) {
                if (group != null) {
                    group.close();
                }
                closeAll(bridges);
                throw e;
            }
        }

        PointResult measure(int n, int settleSeconds, int seconds) throws IOException, InterruptedException {
            progress("%s: %d viewers on each bridge below the root join", topology.name(), n);
            List<CompletableFuture<Void>> joins = new ArrayList<>();
            List<Viewer> joining = new ArrayList<>();
            List<Integer> joiningBridge = new ArrayList<>();
            for (int b = 0; b < bridges.size(); b++) {
                SweepBridge bridge = bridges.get(b);
                int wanted = b == 0 ? rootViewers : n;
                for (int v = viewers.get(b).size() + failedJoins[b]; v < wanted; v++) {
                    Viewer viewer = group.viewer(PeerOptions.defaults());
                    String id = bridge.name() + "-" + v;
                    joining.add(viewer);
                    joiningBridge.add(b);
                    joins.add(viewer.connect(Signaller.direct(offer -> bridge.subscribe(id, offer))));
                }
            }
            for (int i = 0; i < joins.size(); i++) {
                int b = joiningBridge.get(i);
                try {
                    joins.get(i).get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    viewers.get(b).add(joining.get(i));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // a handshake that timed out on a loaded machine: counted and shown, the others measured
                    failedJoins[b]++;
                    joining.get(i).close();
                    progress("%s: a viewer of %s did not join: %s", topology.name(), bridges.get(b).name(), e.getMessage());
                }
            }
            progress("%s: joined; waiting for the first keyframes, then %d s before measuring", topology.name(), settleSeconds);
            awaitFirstKeyframes(viewers);
            Thread.sleep(settleSeconds * 1000L); // a measurement window after the joins, not synchronisation

            String loadAtStart = loadavg().split(" ")[0];
            Window start = Window.take(bridges, viewers, publisher);
            long startNanos = System.nanoTime();
            progress("%s: measuring %d s", topology.name(), seconds);
            Thread.sleep(seconds * 1000L);
            Window end = Window.take(bridges, viewers, publisher);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            return rows(topology, n, viewers, failedJoins, start, end, elapsed, loadAtStart);
        }

        @Override
        public void close() {
            group.close();
            closeAll(bridges);
        }
    }

    private static void closeAll(List<SweepBridge> bridges) {
        for (int i = bridges.size() - 1; i >= 0; i--) {
            bridges.get(i).close();
        }
    }

    private static List<SweepBridge> startBridges(Topology topology, boolean inProcess, Path out) throws IOException {
        List<SweepBridge> bridges = new ArrayList<>();
        try {
            if (inProcess) {
                for (Position p : topology.bridges()) {
                    bridges.add(new InProcessBridge(p.name()));
                }
            } else {
                List<ChildProcessBridge> children = new ArrayList<>();
                for (Position p : topology.bridges()) {
                    ChildProcessBridge child = ChildProcessBridge.start(p.name(),
                            out.resolve(topology.name() + "-" + p.name() + ".log"));
                    children.add(child);
                    bridges.add(child);
                }
                children.forEach(ChildProcessBridge::awaitReady); // the JVMs start side by side
            }
            return bridges;
        } catch (RuntimeException | IOException e) {
            closeAll(bridges);
            throw e;
        }
    }

    /** Waits (up to 30 s in all) for every viewer's first keyframe; one that has none by then shows in the report. */
    private static void awaitFirstKeyframes(List<List<Viewer>> viewers) throws InterruptedException {
        long deadline = System.nanoTime() + KEYFRAME_TIMEOUT_NANOS;
        for (List<Viewer> local : viewers) {
            for (Viewer viewer : local) {
                while (viewer.stats().joinToKeyframeNanos() < 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        }
    }

    /** Every counter the report subtracts, taken at one moment (as near as a loop over them gets). */
    private record Window(List<BridgeSample> bridges, List<List<ViewerStats>> viewers, PublisherStats publisher) {
        static Window take(List<SweepBridge> bridges, List<List<Viewer>> viewers, Publisher publisher) {
            List<BridgeSample> samples = bridges.stream().map(SweepBridge::sample).toList();
            List<List<ViewerStats>> stats = viewers.stream().map(l -> l.stream().map(Viewer::stats).toList()).toList();
            return new Window(samples, stats, publisher.stats());
        }
    }

    private static PointResult rows(Topology topology, int n, List<List<Viewer>> viewers, int[] failedJoins, Window start,
                                    Window end, double elapsed, String loadAtStart) {
        StringBuilder rows = new StringBuilder();
        List<String> saturation = new ArrayList<>();
        long published = end.publisher().videoPackets() - start.publisher().videoPackets();
        List<LatencyHistogram> latencies = new ArrayList<>();
        for (int b = 0; b < viewers.size(); b++) {
            LatencyHistogram latency = new LatencyHistogram();
            for (int v = 0; v < viewers.get(b).size(); v++) {
                latency.add(end.viewers().get(b).get(v).latency().since(start.viewers().get(b).get(v).latency()));
            }
            latencies.add(latency);
        }
        for (int b = 0; b < viewers.size(); b++) {
            Position position = topology.bridges().get(b);
            LatencyHistogram latency = latencies.get(b);
            String adds = "—";
            if (position.upstream() >= 0) {
                LatencyHistogram up = latencies.get(position.upstream());
                adds = String.format(Locale.ROOT, "%.2f / %.2f / %.2f", added(latency, up, 0.5), added(latency, up, 0.95),
                        added(latency, up, 0.99));
            }
            BridgeSample s0 = start.bridges().get(b);
            BridgeSample s1 = end.bridges().get(b);
            long sent = s1.packetsSent() - s0.packetsSent();
            long loopCpu = s1.eventLoopCpuNanos() - s0.eventLoopCpuNanos();
            String processPerPacket = s1.processCpuNanos() < 0 ? "—"
                    : String.format(Locale.ROOT, "%.2f", (s1.processCpuNanos() - s0.processCpuNanos()) / 1e3 / Math.max(1, sent));
            String link = "—";
            if (s1.link() != null) {
                BridgeSample.Link l0 = s0.link() == null ? new BridgeSample.Link(0, 0, 0, 0, -1) : s0.link();
                BridgeSample.Link l1 = s1.link();
                link = String.format(Locale.ROOT, "%d, %d, %d, %.2f", l1.packetsDown() - l0.packetsDown(),
                        l1.lossesDown() - l0.lossesDown(), l1.keyframeRequestsUp() - l0.keyframeRequestsUp(),
                        l1.rttNanos() / 1e6);
            }
            int missing = 0;
            long lost = 0;
            long fewestVideo = Long.MAX_VALUE;
            long mostVideo = 0;
            int withKeyframe = 0;
            for (int v = 0; v < viewers.get(b).size(); v++) {
                ViewerStats v0 = start.viewers().get(b).get(v);
                ViewerStats v1 = end.viewers().get(b).get(v);
                long lostInWindow = v1.lost() - v0.lost();
                if (lostInWindow > 0) {
                    missing++;
                    lost += lostInWindow;
                }
                long video = v1.packets("video") - v0.packets("video");
                fewestVideo = Math.min(fewestVideo, video);
                mostVideo = Math.max(mostVideo, video);
                if (v1.joinToKeyframeNanos() >= 0) {
                    withKeyframe++;
                }
            }
            int count = viewers.get(b).size();
            double fewestShare = count == 0 ? 0 : 100.0 * fewestVideo / Math.max(1, published);
            double mostShare = count == 0 ? 0 : 100.0 * mostVideo / Math.max(1, published);
            String missed = String.format(Locale.ROOT, "%d of %d (%d packets); video received %.0f–%.0f %% of sent",
                    missing, count, lost, fewestShare, mostShare);
            rows.append(String.format(Locale.ROOT,
                    "| %s | %d | %s | %d | %d%s (%d) | %.2f / %.2f / %.2f | %s | %.0f | %.2f | %s | %.0f | %s | %s | %s |%n",
                    topology.name(), n, position.name(), topology.hops(b), count,
                    failedJoins[b] == 0 ? "" : " + " + failedJoins[b] + " failed to join", withKeyframe,
                    ms(latency.percentileMicros(0.5)), ms(latency.percentileMicros(0.95)), ms(latency.percentileMicros(0.99)),
                    adds, sent / elapsed, loopCpu / 1e3 / Math.max(1, sent), processPerPacket, 100.0 * loopCpu / 1e9 / elapsed,
                    link, missed, loadAtStart));
            if (failedJoins[b] > 0) {
                saturation.add(String.format(Locale.ROOT, "%d of %s's viewers failed to join", failedJoins[b], position.name()));
            }
            if (withKeyframe < count) {
                saturation.add(String.format(Locale.ROOT, "%d of %s's viewers had no keyframe 30 s after joining",
                        count - withKeyframe, position.name()));
            }
            // a second in flight on loopback, or viewers receiving a tenth more or less than was sent in the
            // window (a backlog queued in socket buffers, draining), is a machine or generator not keeping up
            if (latency.percentileMicros(0.95) > 1_000_000) {
                saturation.add(position.name() + "'s p95 latency is over a second");
            } else if (count > 0 && (fewestShare < 90 || mostShare > 110)) {
                saturation.add(String.format(Locale.ROOT, "%s's viewers received %.0f–%.0f %% of the video sent in the window",
                        position.name(), fewestShare, mostShare));
            }
        }
        // every bridge's packet rate follows the publisher's, which a keyframe on request (ten delta frames'
        // bytes) raises: the keyframes in the window explain a point whose packets/s stand out
        String publisher = String.format(Locale.ROOT, "%s N=%d: %.0f video packets/s, %d keyframes (%d requested up to it)",
                topology.name(), n, published / elapsed, end.publisher().keyframesSent() - start.publisher().keyframesSent(),
                end.publisher().keyframeRequests() - start.publisher().keyframeRequests());
        return new PointResult(rows.toString(), saturation, publisher);
    }

    private static double added(LatencyHistogram here, LatencyHistogram upstream, double q) {
        return ms(here.percentileMicros(q) - upstream.percentileMicros(q));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static String loadavg() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static String loadavgOrUnknown() {
        try {
            return loadavg();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
