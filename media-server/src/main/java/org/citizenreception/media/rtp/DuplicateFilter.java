package org.citizenreception.media.rtp;

/**
 * Remembers which of the last 64 sequence numbers of one source were already forwarded, so a
 * duplicate (a network duplicate, or a retransmission racing the original) is not sent twice and
 * a straggler from before a switch is not sent at all. One {@code long} as a bitmap: no
 * allocation, and 64 packets cover more reordering than a real network produces.
 */
final class DuplicateFilter {
    static final int WINDOW = 64;

    private int firstSeq;
    private int highestSeq;
    private long seen;

    /** Starts over at {@code seq}: nothing before it will pass. */
    void restartAt(int seq) {
        firstSeq = seq;
        highestSeq = SequenceNumbers.add(seq, -1);
        seen = 0;
    }

    /** Records {@code seq}; false when it is a duplicate, before the start, or older than the window. */
    boolean firstTimeSeen(int seq) {
        int ahead = SequenceNumbers.delta(highestSeq, seq);
        if (ahead > 0) {
            seen = ahead >= WINDOW ? 1 : (seen << ahead) | 1;
            highestSeq = seq;
            return true;
        }
        int behind = -ahead;
        if (behind >= WINDOW || SequenceNumbers.delta(firstSeq, seq) < 0) {
            return false;
        }
        long bit = 1L << behind;
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }
}
