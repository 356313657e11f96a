package org.citizenreception.client.stats;

/**
 * Loss, reordering and duplicates of one SSRC from its 16-bit sequence numbers, extended across
 * wrap-around (RFC 3550 A.1). A 1,024-bit window remembers which recent numbers arrived, so a
 * duplicate or a late packet is told apart from a new one. Not thread-safe.
 */
public final class SequenceTracker {
    public enum Kind { NEW, REORDERED, DUPLICATE }

    private static final int WINDOW = 1024;
    private final long[] seen = new long[WINDOW / 64];
    private long base = -1;
    private long highest = -1;
    private long unique;
    private long duplicates;
    private long reordered;

    /** Records {@code sequence} and returns its extended value in {@code lastExtended}. */
    public Kind record(int sequence) {
        sequence &= 0xFFFF;
        if (highest < 0) {
            base = sequence;
            highest = sequence;
            lastExtended = sequence;
            mark(sequence);
            unique++;
            return Kind.NEW;
        }
        int delta = (short) (sequence - (int) (highest & 0xFFFF));
        long ext = highest + delta;
        lastExtended = ext;
        if (ext > highest) {
            long steps = ext - highest;
            if (steps >= WINDOW) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long s = highest + 1; s < ext; s++) {
                    clear(s);
                }
            }
            highest = ext;
            mark(ext);
            unique++;
            return Kind.NEW;
        }
        if (ext < base) {
            base = ext; // a packet older than the first one seen: it still counts as expected
        }
        if (highest - ext < WINDOW && isMarked(ext)) {
            duplicates++;
            return Kind.DUPLICATE;
        }
        if (highest - ext < WINDOW) {
            mark(ext);
        }
        unique++;
        reordered++;
        return Kind.REORDERED;
    }

    /** The extended sequence number of the last {@link #record} call. */
    public long lastExtended;

    public long expected() {
        return highest < 0 ? 0 : highest - base + 1;
    }

    public long received() {
        return unique;
    }

    public long lost() {
        return Math.max(0, expected() - unique);
    }

    public long duplicates() {
        return duplicates;
    }

    public long reordered() {
        return reordered;
    }

    public long highest() {
        return highest;
    }

    /** True when {@code ext} arrived (within the window). */
    public boolean received(long ext) {
        return ext <= highest && highest - ext < WINDOW && isMarked(ext);
    }

    private void mark(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >> 6] |= 1L << (i & 63);
    }

    private void clear(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >> 6] &= ~(1L << (i & 63));
    }

    private boolean isMarked(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        return (seen[i >> 6] & (1L << (i & 63))) != 0;
    }
}
