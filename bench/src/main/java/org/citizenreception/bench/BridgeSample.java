package org.citizenreception.bench;

import java.util.Locale;

/**
 * A bridge's counters at one instant.
 *
 * @param eventLoopCpuNanos CPU time of the bridge's event loop thread(s), where all of its packet
 *                          work runs when the fan-out helpers are off (they are, in the sweep)
 * @param processCpuNanos   CPU time of the whole bridge process (event loop, GC, JIT, timers), or
 *                          -1 when the bridge shares its JVM with others and the figure is not its own
 * @param packetsSent       datagrams the bridge sent (viewers' media and RTCP, the links' copies)
 * @param link              the bridge's own link upstream, or {@code null} on the root
 */
record BridgeSample(long eventLoopCpuNanos, long processCpuNanos, long packetsSent, Link link) {

    /** Counters of the link up from this bridge, as its downstream end sees them. */
    record Link(long packetsDown, long lossesDown, long keyframeRequestsUp, long packetsUp, long rttNanos) {
    }

    /** A line of the child process protocol: numbers separated by spaces, "-" for no link. */
    String encode() {
        String linkPart = link == null ? "-" : String.format(Locale.ROOT, "%d %d %d %d %d",
                link.packetsDown, link.lossesDown, link.keyframeRequestsUp, link.packetsUp, link.rttNanos);
        return eventLoopCpuNanos + " " + processCpuNanos + " " + packetsSent + " " + linkPart;
    }

    static BridgeSample decode(String line) {
        String[] f = line.trim().split(" ");
        Link link = f[3].equals("-") ? null : new Link(Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
        return new BridgeSample(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), link);
    }
}
