package org.citizenreception.client.feedback;

/**
 * Which lost packets of one video stream to NACK now, roughly as libwebrtc's NackRequester decides:
 * a gap is NACKed as soon as it is seen, then again each round trip (100 ms, libwebrtc's default
 * before it has an RTT) up to 10 times; a packet still missing after that, more than 10,000 packets
 * old, or over the 1,000-entry list (which is then cleared) is given up, and the caller asks for a
 * keyframe. Processing every 20 ms is the caller's (libwebrtc's process interval).
 *
 * <p>Fixed arrays, sorted by extended sequence number, so nothing is allocated per packet.
 */
public final class NackRequester {
    public static final int MAX_RETRIES = 10;
    public static final int MAX_PACKET_AGE = 10_000;
    public static final int MAX_LIST = 1_000;
    public static final long DEFAULT_RTT_NANOS = 100_000_000L;

    private final long retryNanos;
    private final long[] missing = new long[MAX_LIST];
    private final long[] sentNanos = new long[MAX_LIST];
    private final int[] retries = new int[MAX_LIST];
    private int size;
    private long highest = -1;
    private boolean keyframeNeeded;
    private long givenUp;

    public NackRequester(long retryNanos) {
        this.retryNanos = retryNanos;
    }

    /**
     * An arrival with extended sequence number {@code ext}: opens gaps, or closes one (a late or
     * repaired packet). Returns true when it opened a gap, which libwebrtc NACKs at once.
     */
    public boolean onPacket(long ext) {
        if (highest < 0) {
            highest = ext;
            return false;
        }
        if (ext <= highest) {
            remove(ext);
            return false;
        }
        boolean gap = ext > highest + 1;
        for (long e = highest + 1; e < ext; e++) {
            if (size == MAX_LIST) {
                givenUp += size; // libwebrtc: the list overflowed, so clear it and ask for a keyframe
                size = 0;
                keyframeNeeded = true;
            }
            missing[size] = e;
            sentNanos[size] = Long.MIN_VALUE;
            retries[size] = 0;
            size++;
        }
        highest = ext;
        dropOlderThan(highest - MAX_PACKET_AGE);
        return gap;
    }

    /**
     * Writes into {@code out} the sequence numbers (16 bits) due for a NACK at {@code nowNanos} and
     * returns how many; each counts one more try. Entries past {@link #MAX_RETRIES} are given up.
     */
    public int due(long nowNanos, int[] out) {
        int n = 0;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            boolean send = sentNanos[i] == Long.MIN_VALUE || nowNanos - sentNanos[i] >= retryNanos;
            if (send && retries[i] >= MAX_RETRIES) {
                givenUp++;
                keyframeNeeded = true;
                continue;
            }
            if (send && n < out.length) {
                out[n++] = (int) (missing[i] & 0xFFFF);
                sentNanos[i] = nowNanos;
                retries[i]++;
            }
            missing[kept] = missing[i];
            sentNanos[kept] = sentNanos[i];
            retries[kept] = retries[i];
            kept++;
        }
        size = kept;
        return n;
    }

    /** True once since the last call when a loss was given up: the picture cannot be repaired without a keyframe. */
    public boolean takeKeyframeNeeded() {
        boolean needed = keyframeNeeded;
        keyframeNeeded = false;
        return needed;
    }

    /** Packets still awaited. */
    public int pending() {
        return size;
    }

    /** Packets given up so far. */
    public long givenUp() {
        return givenUp;
    }

    private void remove(long ext) {
        for (int i = 0; i < size; i++) {
            if (missing[i] == ext) {
                System.arraycopy(missing, i + 1, missing, i, size - i - 1);
                System.arraycopy(sentNanos, i + 1, sentNanos, i, size - i - 1);
                System.arraycopy(retries, i + 1, retries, i, size - i - 1);
                size--;
                return;
            }
            if (missing[i] > ext) {
                return;
            }
        }
    }

    private void dropOlderThan(long oldest) {
        int drop = 0;
        while (drop < size && missing[drop] < oldest) {
            drop++;
        }
        if (drop > 0) {
            givenUp += drop;
            keyframeNeeded = true;
            System.arraycopy(missing, drop, missing, 0, size - drop);
            System.arraycopy(sentNanos, drop, sentNanos, 0, size - drop);
            System.arraycopy(retries, drop, retries, 0, size - drop);
            size -= drop;
        }
    }
}
