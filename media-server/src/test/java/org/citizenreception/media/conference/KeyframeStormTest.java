package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.LightweightViewer;
import org.citizenreception.media.testing.LightweightViewer.SimulatedLoss;
import org.citizenreception.media.testing.UdpSocketDrops;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 50 viewers join at once (lightweight viewers on our own ICE/DTLS/SRTP code: 50
 * libwebrtc decoders would swamp 2 cores). The publisher gets at most 3 keyframe requests in any
 * second, and every viewer has a complete keyframe within a second of being connected, mostly at
 * once from the last keyframe the bridge holds (fast start).
 *
 * <p>"Join" is the WHEP request: all 50 subscribe at once, each on its own thread released together
 * (how far apart they land is printed: it is the loaded machine's scheduling of the test), then
 * run ICE and DTLS ({@value #CONCURRENT_CLIENT_HANDSHAKES} client handshakes at a time). "Connected" is the moment that viewer's DTLS handshake completed, i.e. when it
 * could first decrypt media; the keyframe deadline is measured from there, because the handshakes
 * (both ends in this JVM, on 2 cores) take a varying share of the second themselves; join to
 * keyframe is printed too. Every fifth viewer loses one packet of its first keyframe on purpose:
 * like a browser it NACKs, and the bridge repairs the keyframe with RTX well inside the second.
 * Kernel drops on the bridge's and the viewers' sockets are printed, so a burst that overflowed a
 * buffer shows up as such. Also prints the bridge's CPU time per forwarded packet at 50 viewers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyframeStormTest {
    private static final int VIEWERS = 50;
    private static final int LOSSY_EVERY = 5;
    /**
     * Viewers' DTLS client handshakes at a time. In the field every room has its own machine; here
     * 50 concurrent client handshakes (EC maths) in the bridge's JVM starved its event loop on 2
     * cores, delaying its answers to PLIs by most of a second: a test artifact, not bridge work.
     */
    private static final int CONCURRENT_CLIENT_HANDSHAKES = 4;

    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private LibwebrtcPeer publisher;
    private final List<LightweightViewer> viewers = new ArrayList<>();

    @BeforeAll
    void start() {
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() {
        viewers.forEach(LightweightViewer::close);
        if (publisher != null) {
            publisher.close();
        }
        bridge.close();
        factory.dispose();
    }

    @Test
    void fiftyJoinsInOneSecondCostThePublisherAtMostThreeKeyframeRequestsAndEveryViewerGetsAKeyframeWithinASecond()
            throws Exception {
        Conference conference = bridge.createConference("storm");
        publisher = LibwebrtcPeer.publisher(factory, "host");
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();
        warmUpDtls(conference);
        Thread.sleep(1000); // past the warm-up viewers' keyframe requests

        for (int i = 0; i < VIEWERS; i++) {
            LightweightViewer viewer = new LightweightViewer();
            if (i % LOSSY_EVERY == 0) {
                viewer.simulate(i % (2 * LOSSY_EVERY) == 0 ? SimulatedLoss.PACKET_AFTER_KEYFRAME_START : SimulatedLoss.KEYFRAME_START);
            }
            viewers.add(viewer);
        }
        int bridgePort = bridge.localAddress().getPort();
        long bridgeDropsBefore = UdpSocketDrops.of(bridgePort);
        double plisBefore = bridge.metrics().plisSentCount();
        double nacksServedBefore = bridge.metrics().nacksServedCount();
        List<double[]> pliSamples = new CopyOnWriteArrayList<>();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                pliSamples.add(new double[] {System.nanoTime(), bridge.metrics().plisSentCount()});
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long[] subscribedNanos = new long[VIEWERS];
        // one thread per viewer, released together: a pool would queue later joins behind earlier handshakes
        ExecutorService joiners = Executors.newFixedThreadPool(VIEWERS);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch allSubscribed = new CountDownLatch(VIEWERS);
        Semaphore clientHandshakes = new Semaphore(CONCURRENT_CLIENT_HANDSHAKES);
        List<Future<?>> joins = new ArrayList<>();
        for (int i = 0; i < VIEWERS; i++) {
            LightweightViewer viewer = viewers.get(i);
            int index = i;
            joins.add(joiners.submit(() -> {
                go.await();
                subscribedNanos[index] = System.nanoTime();
                String answer = conference.subscribe("room-" + index, viewer.offer()).sdpAnswer();
                // the WHEP requests are the joins; ICE and DTLS start once all are in, so 50 handshakes
                // competing for 2 cores cannot stretch the joins themselves past the second
                allSubscribed.countDown();
                allSubscribed.await();
                clientHandshakes.acquire();
                try {
                    viewer.connect(answer);
                } finally {
                    clientHandshakes.release();
                }
                return null;
            }));
        }
        long stormStart = System.nanoTime();
        go.countDown();
        for (Future<?> join : joins) {
            join.get();
        }
        joiners.shutdown();
        long allConnectedMillis = (System.nanoTime() - stormStart) / 1_000_000;
        long joinSpreadMillis = (Arrays.stream(subscribedNanos).max().orElseThrow()
                - Arrays.stream(subscribedNanos).min().orElseThrow()) / 1_000_000;
        Thread.sleep(1500);
        sampler.interrupt();
        sampler.join();
        double plisInStorm = bridge.metrics().plisSentCount() - plisBefore;
        double worstSecond = worstOneSecondWindow(pliSamples);

        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline && viewers.stream().anyMatch(v -> v.connectedToKeyframeNanos() < 0)) {
            Thread.sleep(20);
        }
        long bridgeDrops = UdpSocketDrops.of(bridgePort) - bridgeDropsBefore;
        long viewerDrops = viewers.stream().mapToLong(v -> UdpSocketDrops.of(v.socket().getLocalPort())).sum();
        long[] toKeyframeMillis = viewers.stream().mapToLong(v -> millisOrMax(v.connectedToKeyframeNanos())).sorted().toArray();
        long[] joinToKeyframeMillis = new long[VIEWERS];
        for (int i = 0; i < VIEWERS; i++) {
            long toKeyframe = viewers.get(i).connectedToKeyframeNanos();
            joinToKeyframeMillis[i] = toKeyframe < 0 ? Long.MAX_VALUE
                    : (viewers.get(i).connectedNanos() + toKeyframe - subscribedNanos[i]) / 1_000_000;
        }
        Arrays.sort(joinToKeyframeMillis);
        List<LightweightViewer> lossy = new ArrayList<>();
        for (int i = 0; i < VIEWERS; i += LOSSY_EVERY) {
            lossy.add(viewers.get(i));
        }
        System.out.printf("%d viewers subscribed within %d ms of each other, all connected (ICE+DTLS) %d ms after the first;"
                        + " PLIs to the publisher: %.0f in all, at most %.0f in any 1 s%n",
                VIEWERS, joinSpreadMillis, allConnectedMillis, plisInStorm, worstSecond);
        System.out.printf("connected-to-complete-keyframe ms: median %d, p95 %d, max %d%n",
                toKeyframeMillis[VIEWERS / 2], toKeyframeMillis[VIEWERS * 95 / 100], toKeyframeMillis[VIEWERS - 1]);
        System.out.printf("subscribe-to-complete-keyframe ms: median %d, p95 %d, max %d%n",
                joinToKeyframeMillis[VIEWERS / 2], joinToKeyframeMillis[VIEWERS * 95 / 100], joinToKeyframeMillis[VIEWERS - 1]);
        System.out.printf("viewers NACKed %d packets (%d lost on purpose), got %d RTX, sent %d PLIs; bridge served %.0f NACKed packets; "
                        + "kernel drops: bridge socket %d, viewer sockets %d (receive buffer %d KiB each); undecryptable at viewers %d%n",
                viewers.stream().mapToLong(LightweightViewer::nackedPackets).sum(),
                lossy.stream().mapToInt(LightweightViewer::keyframePacketsDropped).sum(),
                viewers.stream().mapToLong(LightweightViewer::rtxReceived).sum(),
                viewers.stream().mapToLong(LightweightViewer::plisSent).sum(),
                bridge.metrics().nacksServedCount() - nacksServedBefore, bridgeDrops, viewerDrops,
                receiveBufferKib(viewers.get(0)),
                viewers.stream().mapToLong(LightweightViewer::undecryptable).sum());

        for (int i = 0; i < VIEWERS; i += LOSSY_EVERY) {
            LightweightViewer viewer = viewers.get(i);
            System.out.printf("  room-%d lost %s: NACKed %d, RTX %d, PLIs %d, keyframe %d ms after connecting%n", i,
                    i % (2 * LOSSY_EVERY) == 0 ? SimulatedLoss.PACKET_AFTER_KEYFRAME_START : SimulatedLoss.KEYFRAME_START,
                    viewer.nackedPackets(), viewer.rtxReceived(), viewer.plisSent(), viewer.connectedToKeyframeNanos() / 1_000_000);
        }
        // The spread of the 50 subscribes is printed, not asserted: it is how fast this loaded machine
        // schedules the test's 50 threads. The limit below holds in any 1 s window whatever the spread.
        assertThat(worstSecond).as("keyframe requests sent to the publisher in any second of the storm").isLessThanOrEqualTo(3);
        for (int i = 0; i < VIEWERS; i += LOSSY_EVERY) {
            LightweightViewer viewer = viewers.get(i);
            assertThat(viewer.keyframePacketsDropped()).as("room-%d's simulated loss happened", i).isEqualTo(1);
            if (i % (2 * LOSSY_EVERY) == 0) {
                assertThat(viewer.nackedPackets()).as("room-%d NACKed the packet it lost", i).isPositive();
                assertThat(viewer.rtxReceived()).as("the bridge answered room-%d with RTX", i).isPositive();
            }
            // a viewer that lost its keyframe start recovers by its PLI (the bridge resends the held keyframe)
            // or, if it comes first, by the fresh keyframe a fast start from an older one asked for
        }
        assertThat(toKeyframeMillis[VIEWERS - 1]).as("slowest viewer's wait for a complete keyframe after connecting, ms")
                .isLessThan(1000);

        measureCpuPerForwardedPacket();
    }

    private static int receiveBufferKib(LightweightViewer viewer) {
        try {
            return viewer.socket().getReceiveBufferSize() / 1024;
        } catch (java.net.SocketException e) {
            return -1;
        }
    }

    private static long millisOrMax(long nanos) {
        return nanos < 0 ? Long.MAX_VALUE : nanos / 1_000_000;
    }

    /** BouncyCastle's EC code runs interpreted at first: a few handshakes get it compiled before the storm. */
    private void warmUpDtls(Conference conference) throws Exception {
        for (int i = 0; i < 8; i++) {
            try (LightweightViewer warmUp = new LightweightViewer()) {
                warmUp.connect(conference.subscribe("warm-up-" + i, warmUp.offer()).sdpAnswer());
            }
            conference.endpoint("warm-up-" + i).ifPresent(Endpoint::close);
        }
    }

    private static double worstOneSecondWindow(List<double[]> samples) {
        double worst = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i; j < samples.size() && samples.get(j)[0] - samples.get(i)[0] <= 1e9; j++) {
                worst = Math.max(worst, samples.get(j)[1] - samples.get(i)[1]);
            }
        }
        return worst;
    }

    /** Event-loop CPU time over 5 s divided by datagrams sent, with the leak detector off (it samples stacks per buffer). */
    private void measureCpuPerForwardedPacket() throws InterruptedException {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long loopThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("multiThreadIoEventLoopGroup")).findFirst().orElseThrow().getId();
            Thread.sleep(1000);
            long cpuBefore = threads.getThreadCpuTime(loopThread);
            double sentBefore = bridge.metrics().packetsSentCount();
            Thread.sleep(5000);
            long cpu = threads.getThreadCpuTime(loopThread) - cpuBefore;
            double sent = bridge.metrics().packetsSentCount() - sentBefore;
            System.out.printf("bridge event loop at %d viewers: %.0f datagrams sent in 5 s, %.1f us CPU per datagram sent, %.0f%% of a core%n",
                    VIEWERS, sent, cpu / 1000.0 / sent, cpu / 5e9 * 100);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }
}
