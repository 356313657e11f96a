package org.citizenreception.media.rtp;

/**
 * Remembers which of the last 64 sequence numbers of one source were already forwarded, so a
 * duplicate (a network duplicate, or a retransmission racing the original) is not sent twice and
 * a straggler from before a switch is not sent at all. One {@code long} as a bitmap: no
 * allocation, and 64 packets cover more reordering than a real network produces.
 *
 * <p>Sequence numbers are unwrapped into a {@code long} count since {@link #restartAt}, so "before
 * the start" stays exact however long the source runs (a 16-bit comparison would flip after
 * 32,768 packets).
 */
final class DuplicateFilter {
    static final int WINDOW = 64;

    private long firstExtended;
    private long highestExtended;
    private long seen;

    /** Starts over at {@code seq}: nothing before it will pass. */
    void restartAt(int seq) {
        firstExtended = seq;
        highestExtended = seq - 1L;
        seen = 0;
    }

    /** Records {@code seq}; false when it is a duplicate, before the start, or older than the window. */
    boolean firstTimeSeen(int seq) {
        long extended = extend(seq);
        if (extended < firstExtended) {
            return false;
        }
        long ahead = extended - highestExtended;
        if (ahead > 0) {
            seen = ahead >= WINDOW ? 1 : (seen << ahead) | 1;
            highestExtended = extended;
            return true;
        }
        long behind = -ahead;
        if (behind >= WINDOW) {
            return false;
        }
        long bit = 1L << behind;
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }

    /** Signed distance of {@code seq} from the highest seen: how far a packet jumps. */
    int distanceFromHighest(int seq) {
        return SequenceNumbers.delta((int) highestExtended & 0xFFFF, seq);
    }

    /** The unwrapped highest sequence number seen since the start. */
    long highestExtended() {
        return highestExtended;
    }

    /** Unwraps {@code seq} relative to the highest seen (it lies within half the space of it). */
    private long extend(int seq) {
        return highestExtended + SequenceNumbers.delta((int) highestExtended & 0xFFFF, seq);
    }
}
