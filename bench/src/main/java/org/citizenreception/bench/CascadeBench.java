package org.citizenreception.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.rtp.Vp8Clip;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.client.stats.LatencyHistogram;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.conference.CascadeLink;
import org.citizenreception.media.conference.CascadeUpstream;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.SlotName;

/**
 * One cascade hop, measured A/B in one run: a root bridge and a leaf bridge cascaded from it (two
 * {@link MediaBridge}s in this JVM on loopback, each with its own port and event loop), the
 * generator's publisher on the root, and N generator viewers on each bridge at once, so both sides
 * see the same machine load. Reported: the forwarding latency from the publisher's send stamp to
 * each viewer (root viewers: one bridge; leaf viewers: root, link, leaf), whose difference is the
 * hop; and CPU per forwarded packet of each bridge's event loop thread (fan-out helpers are off so
 * all of a bridge's packet work is on that thread), the leaf's including the link's receive side.
 *
 * <p>Usage: {@code CascadeBench --viewers N --seconds S --bitrate BPS [--clip file.ivf] --out DIR}.
 */
public final class CascadeBench {
    private CascadeBench() {
    }

    public static void main(String[] args) throws Exception {
        int viewers = 25;
        int seconds = 20;
        int bitrate = 2_500_000;
        String clip = null;
        Path out = Path.of(".");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--viewers" -> viewers = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--bitrate" -> bitrate = Integer.parseInt(args[i + 1]);
                case "--clip" -> clip = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // every packet a bridge handles on its own event loop thread, so that thread's CPU time is the bridge's
        System.setProperty("reception.media.fanout-helpers", "0");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<Long> before = threadIds(threads);
        MediaBridge root = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
        Set<Long> rootLoop = newEventLoopThreads(threads, before);
        before = threadIds(threads);
        MediaBridge leaf = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
        Set<Long> leafLoop = newEventLoopThreads(threads, before);
        try (ClientGroup group = ClientGroup.create(2, 4)) {
            Conference rootConference = root.createConference("bench");
            Conference leafConference = leaf.createConference("bench");
            CascadeLink link = leaf.linkUpstream("bench", "leaf", CascadeUpstream.inProcess(rootConference));
            Publisher publisher = group.publisher(PeerOptions.defaults().videoBitrateBps(bitrate)
                    .vp8Clip(clip == null ? null : Vp8Clip.read(Path.of(clip))));
            publisher.connect(Signaller.direct(offer -> rootConference.publish("host", offer, SlotName.MAIN).sdpAnswer()))
                    .get(30, TimeUnit.SECONDS);
            List<Viewer> rootViewers = join(group, rootConference, "root", viewers);
            List<Viewer> leafViewers = join(group, leafConference, "leaf", viewers);
            Thread.sleep(5_000); // past the joins' keyframes and the JIT's first compilations

            Snapshot start = new Snapshot(threads, rootLoop, leafLoop, root, leaf, rootViewers, leafViewers);
            Thread.sleep(seconds * 1000L);
            Snapshot end = new Snapshot(threads, rootLoop, leafLoop, root, leaf, rootViewers, leafViewers);
            String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

            LatencyHistogram rootLatency = end.rootLatency.since(start.rootLatency);
            LatencyHistogram leafLatency = end.leafLatency.since(start.leafLatency);
            double rootPackets = end.rootPackets - start.rootPackets;
            double leafPackets = end.leafPackets - start.leafPackets;
            long rootCpu = end.rootCpuNanos - start.rootCpuNanos;
            long leafCpu = end.leafCpuNanos - start.leafCpuNanos;
            CascadeLink.LinkStats linkStats = link.stats();
            String report = String.format(Locale.ROOT, """
                    # One cascade hop (root -> leaf), %d generator viewers on each bridge, %d s, %d bit/s

                    Load (/proc/loadavg) before: `%s`, after: `%s`.

                    | | viewers on the root | viewers on the leaf (one hop more) | the hop adds |
                    |---|---:|---:|---:|
                    | latency p50 (ms) | %.2f | %.2f | %.2f |
                    | latency p95 (ms) | %.2f | %.2f | %.2f |
                    | latency p99 (ms) | %.2f | %.2f | %.2f |
                    | video packets measured | %d | %d | |

                    | | root bridge | leaf bridge |
                    |---|---:|---:|
                    | packets sent | %.0f | %.0f |
                    | event loop CPU (ms) | %.0f | %.0f |
                    | CPU per forwarded packet (µs) | %.2f | %.2f |

                    Link: %d packets / %d bytes down, %d packets up, %d losses found, %d keyframe requests sent up, RTT %.2f ms.

                    Latency is the publisher's send stamp (in the VP8 payload, untouched by both bridges) to the
                    viewer's receive time, same JVM clock; the root's packets sent include the link's copy.
                    """, viewers, seconds, bitrate, load, loadAfter,
                    ms(rootLatency.percentileMicros(0.5)), ms(leafLatency.percentileMicros(0.5)),
                    ms(leafLatency.percentileMicros(0.5) - rootLatency.percentileMicros(0.5)),
                    ms(rootLatency.percentileMicros(0.95)), ms(leafLatency.percentileMicros(0.95)),
                    ms(leafLatency.percentileMicros(0.95) - rootLatency.percentileMicros(0.95)),
                    ms(rootLatency.percentileMicros(0.99)), ms(leafLatency.percentileMicros(0.99)),
                    ms(leafLatency.percentileMicros(0.99) - rootLatency.percentileMicros(0.99)),
                    rootLatency.count(), leafLatency.count(),
                    rootPackets, leafPackets, rootCpu / 1e6, leafCpu / 1e6,
                    rootCpu / 1e3 / Math.max(1, rootPackets), leafCpu / 1e3 / Math.max(1, leafPackets),
                    linkStats.packetsDown(), linkStats.bytesDown(), linkStats.packetsUp(), linkStats.lossesDown(),
                    linkStats.keyframeRequestsUp(), linkStats.rttNanos() / 1e6);
            if (rootLatency.percentileMicros(0.5) > 1_000_000 || leafLatency.count() < rootLatency.count() * 0.9) {
                // a latency of seconds, or a tenth of the leaf's packets never measured, is queueing in an
                // overloaded generator or machine, not the hop
                report += "\n**Saturated:** the generator or the machine did not keep up (median latency over a second,"
                        + " or the leaf's viewers measured under 90 % of the root's packets); these figures do not"
                        + " measure the hop.\n";
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("cascade.md"), report);
            System.out.print(report);
        } finally {
            leaf.close();
            root.close();
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static List<Viewer> join(ClientGroup group, Conference conference, String prefix, int count) throws Exception {
        List<Viewer> viewers = new ArrayList<>();
        List<CompletableFuture<Void>> joined = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Viewer viewer = group.viewer(PeerOptions.defaults());
            String id = prefix + "-" + i;
            viewers.add(viewer);
            joined.add(viewer.connect(Signaller.direct(offer -> conference.subscribe(id, offer).sdpAnswer())));
        }
        for (CompletableFuture<Void> join : joined) {
            join.get(60, TimeUnit.SECONDS);
        }
        return viewers;
    }

    private static Set<Long> threadIds(ThreadMXBean threads) {
        Set<Long> ids = new HashSet<>();
        for (long id : threads.getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    /** The Netty event loop thread(s) started since {@code before}: a bridge's, as it started. */
    private static Set<Long> newEventLoopThreads(ThreadMXBean threads, Set<Long> before) {
        Set<Long> found = new HashSet<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && !before.contains(info.getThreadId()) && info.getThreadName().contains("EventLoopGroup")) {
                found.add(info.getThreadId());
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no event loop thread appeared as the bridge started");
        }
        return found;
    }

    private static long cpuNanos(ThreadMXBean threads, Set<Long> ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

    private static LatencyHistogram latency(List<Viewer> viewers) {
        LatencyHistogram all = new LatencyHistogram();
        viewers.forEach(v -> all.add(v.stats().latency()));
        return all;
    }

    private static final class Snapshot {
        final long rootCpuNanos;
        final long leafCpuNanos;
        final double rootPackets;
        final double leafPackets;
        final LatencyHistogram rootLatency;
        final LatencyHistogram leafLatency;

        Snapshot(ThreadMXBean threads, Set<Long> rootLoop, Set<Long> leafLoop, MediaBridge root, MediaBridge leaf,
                 List<Viewer> rootViewers, List<Viewer> leafViewers) throws IOException {
            rootCpuNanos = cpuNanos(threads, rootLoop);
            leafCpuNanos = cpuNanos(threads, leafLoop);
            rootPackets = root.metrics().packetsSentCount();
            leafPackets = leaf.metrics().packetsSentCount();
            rootLatency = latency(rootViewers);
            leafLatency = latency(leafViewers);
        }
    }
}
