package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;

/**
 * The last packets of one source, by sequence number, so viewers' NACKs are answered by the bridge
 * instead of travelling to the publisher (DESIGN.md, "What the bridge does per packet").
 *
 * <p>A ring indexed by {@code seq & mask}: lookup is one array read and nothing is allocated per
 * packet. The capacity is {@code maxPackets} rounded up to a power of two (1,000 becomes 1,024) so
 * the index survives the 16-bit wrap; packets older than {@code maxAgeMillis} are not served, and
 * {@link #evictExpired()} frees them early.
 *
 * <p>Ownership: {@link #insert} takes the caller's reference; the buffer is released when evicted,
 * replaced or on {@link #close()}. Insert a {@code retainedDuplicate()} of the decrypted packet
 * rather than the packet itself, so later index moves on the original cannot shift what is stored. Nobody may write to a buffer once inserted, since it is shared
 * with every retransmission. {@link #get} returns a retained read-only duplicate that the caller
 * must release (copy it before rewriting headers).
 *
 * <p>Not thread-safe: used on the event loop of the source's endpoint; NACKs handled on another
 * loop must be handed over to that one.
 */
public final class RetransmissionBuffer implements AutoCloseable {
    public static final int MAX_CAPACITY = 1 << 15;

    private final ByteBuf[] packets;
    private final int[] sequenceNumbers;
    private final long[] insertedNanos;
    private final int mask;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private int size;
    private boolean closed;

    public RetransmissionBuffer(int maxPackets, long maxAgeMillis, LongSupplier nanoClock) {
        if (maxPackets < 1 || maxPackets > MAX_CAPACITY) {
            throw new IllegalArgumentException("maxPackets must be in [1, " + MAX_CAPACITY + "]: " + maxPackets);
        }
        if (maxAgeMillis <= 0) {
            throw new IllegalArgumentException("maxAgeMillis must be positive: " + maxAgeMillis);
        }
        int capacity = maxPackets == 1 ? 1 : Integer.highestOneBit(maxPackets - 1) << 1;
        packets = new ByteBuf[capacity];
        sequenceNumbers = new int[capacity];
        insertedNanos = new long[capacity];
        mask = capacity - 1;
        maxAgeNanos = maxAgeMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** 1,000 packets or one second: several round trips at the bitrates of a 640x360 stream. */
    public static RetransmissionBuffer forVideo(LongSupplier nanoClock) {
        return new RetransmissionBuffer(1000, 1000, nanoClock);
    }

    /**
     * Stores {@code packet} under {@code seq}, taking ownership and releasing whatever held its
     * slot. Always replacing is deliberate: a late packet could only collide with one a whole ring
     * newer, which real reordering never produces, while a "keep the newer" rule mistakes the
     * packets after a sequence jump (an encoder restart) for late ones and refuses them.
     */
    public void insert(int seq, ByteBuf packet) {
        if (closed) {
            packet.release();
            return;
        }
        int index = seq & mask;
        ByteBuf old = packets[index];
        if (old != null) {
            old.release();
            size--;
        }
        packets[index] = packet;
        sequenceNumbers[index] = seq;
        insertedNanos[index] = nanoClock.getAsLong();
        size++;
    }

    /** A retained read-only duplicate of packet {@code seq} (caller releases), or null if absent or too old. */
    public ByteBuf get(int seq) {
        int index = seq & mask;
        ByteBuf packet = packets[index];
        if (packet == null || sequenceNumbers[index] != seq) {
            return null;
        }
        if (nanoClock.getAsLong() - insertedNanos[index] > maxAgeNanos) {
            evict(index);
            return null;
        }
        return packet.asReadOnly().retainedDuplicate();
    }

    /** Releases every packet older than the age bound; O(capacity), for a periodic timer. */
    public void evictExpired() {
        long now = nanoClock.getAsLong();
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null && now - insertedNanos[i] > maxAgeNanos) {
                evict(i);
            }
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return packets.length;
    }

    /** Releases everything held; later inserts release their packet at once. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null) {
                evict(i);
            }
        }
    }

    private void evict(int index) {
        packets[index].release();
        packets[index] = null;
        size--;
    }
}
