package org.citizenreception.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.conference.CascadeLink;
import org.citizenreception.media.conference.CascadeUpstream;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.SlotName;

/**
 * A {@link MediaBridge} on loopback with one conference, and the identity of its event loop
 * thread(s) so that their CPU time can be read as the bridge's. Used in the driver's JVM
 * ({@link InProcessBridge}) and in a bridge process of its own ({@link BridgeProcessMain}).
 *
 * <p>Start bridges one at a time in a JVM: the event loop threads are told apart by which appeared
 * while this bridge started.
 */
final class MeasuredMediaBridge implements AutoCloseable {
    static final String CONFERENCE_ID = "sweep";
    private static final long LINK_CONNECT_TIMEOUT_NANOS = 30_000_000_000L;

    private final MediaBridge bridge;
    private final Conference conference;
    private final Set<Long> eventLoopThreads;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile CascadeLink link;

    MeasuredMediaBridge() {
        // every packet a bridge handles on its own event loop thread, so that thread's CPU time is the bridge's
        System.setProperty("reception.media.fanout-helpers", "0");
        Set<Long> before = threadIds();
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), new SimpleMeterRegistry());
        eventLoopThreads = eventLoopThreadsOtherThan(before);
        conference = bridge.createConference(CONFERENCE_ID);
    }

    String publish(String endpointId, String sdpOffer) {
        return conference.publish(endpointId, sdpOffer, SlotName.MAIN).sdpAnswer();
    }

    String subscribe(String endpointId, String sdpOffer) {
        return conference.subscribe(endpointId, sdpOffer).sdpAnswer();
    }

    CascadeUpstream.Answers acceptLink(String linkId, String downOffer, String upOffer) {
        return conference.acceptLink(linkId, downOffer, upOffer);
    }

    /** Opens the link and waits until it is connected; throws when it is not within 30 s. */
    void linkUpstream(String linkId, CascadeUpstream upstream) throws InterruptedException {
        CascadeLink opened = bridge.linkUpstream(CONFERENCE_ID, linkId, upstream);
        long deadline = System.nanoTime() + LINK_CONNECT_TIMEOUT_NANOS;
        while (!opened.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cascade link " + linkId + " did not connect within 30 s");
            }
            Thread.sleep(20);
        }
        link = opened;
    }

    /** @param processCpuIsOurs whether this JVM holds this bridge alone (then its CPU time is the bridge's) */
    BridgeSample sample(boolean processCpuIsOurs) {
        long eventLoopCpu = 0;
        for (long id : eventLoopThreads) {
            eventLoopCpu += Math.max(0, threads.getThreadCpuTime(id));
        }
        long processCpu = -1;
        if (processCpuIsOurs && ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            processCpu = os.getProcessCpuTime();
        }
        CascadeLink current = link;
        BridgeSample.Link linkSample = null;
        if (current != null) {
            CascadeLink.LinkStats s = current.stats();
            linkSample = new BridgeSample.Link(s.packetsDown(), s.lossesDown(), s.keyframeRequestsUp(), s.packetsUp(),
                    s.rttNanos());
        }
        return new BridgeSample(eventLoopCpu, processCpu, (long) bridge.metrics().packetsSentCount(), linkSample);
    }

    @Override
    public void close() {
        bridge.close();
    }

    private Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        for (long id : threads.getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    /** The Netty event loop thread(s) started since {@code before}: this bridge's, as it started. */
    private Set<Long> eventLoopThreadsOtherThan(Set<Long> before) {
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
}
