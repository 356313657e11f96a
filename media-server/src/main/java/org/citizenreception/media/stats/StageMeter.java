package org.citizenreception.media.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The totals of one named stage of the packet path, summed over every endpoint's instance of it:
 * packets and bytes handled, drops by {@link DropReason}, and the time spent, estimated from a
 * sample of packets. Shared by many instances on many threads (the fan-out's helpers run viewers'
 * send stages), hence {@link LongAdder}s: an add is one uncontended CAS, and contention spreads
 * over cells instead of serialising the cores on one cache line.
 */
public final class StageMeter {
    /** The {@code direction} tag: which path a stage belongs to. */
    public enum Direction {
        RECEIVE("receive"), SEND("send");

        private final String tag;

        Direction(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** Told about each drop (MediaMetrics: the datagram drop counter, and the drop's meter on first use). */
    interface DropListener {
        void dropped(StageMeter meter, DropReason reason);
    }

    /**
     * One packet in this many is timed per stage instance. Two {@code System.nanoTime()} calls cost
     * ~40 ns, a stage often less: timing every packet would cost more than the stages measured.
     */
    public static final int TIMING_SAMPLE_INTERVAL = 64;

    private static final DropListener NONE = (meter, reason) -> { };

    private final Direction direction;
    private final String stage;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder estimatedNanos = new LongAdder();
    private final LongAdder[] drops = new LongAdder[DropReason.values().length];
    private final DropListener dropListener;

    /** A meter registered nowhere: for a stage under test. */
    public StageMeter(Direction direction, String stage) {
        this(direction, stage, NONE);
    }

    StageMeter(Direction direction, String stage, DropListener dropListener) {
        this.direction = direction;
        this.stage = stage;
        this.dropListener = dropListener;
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    public Direction direction() {
        return direction;
    }

    /** The {@code stage} tag: a fixed name from the code, never derived from a packet. */
    public String stage() {
        return stage;
    }

    /** A packet of {@code length} bytes entered the stage. */
    public void handled(int length) {
        packets.increment();
        bytes.add(length);
    }

    /** Time of one sampled packet, already multiplied by the sampling interval (an estimate of the total). */
    public void spent(long nanos) {
        estimatedNanos.add(nanos);
    }

    public void dropped(DropReason reason) {
        drops[reason.ordinal()].increment();
        dropListener.dropped(this, reason);
    }

    public long packets() {
        return packets.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public long estimatedNanos() {
        return estimatedNanos.sum();
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()].sum();
    }

    @Override
    public String toString() {
        return direction.tag() + "/" + stage;
    }
}
