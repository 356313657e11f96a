package org.citizenreception.media.rtp;

/**
 * Modular arithmetic on 16-bit RTP sequence numbers (RFC 3550 appendix A.1): "newer" means ahead
 * by less than half the space, so comparisons keep working across the 65535 to 0 wrap.
 */
public final class SequenceNumbers {
    public static final int MODULUS = 1 << 16;
    private static final int MASK = MODULUS - 1;

    private SequenceNumbers() {
    }

    /** Signed distance from {@code from} to {@code to} in {@code [-32768, 32767]}. */
    public static int delta(int from, int to) {
        return (short) (to - from);
    }

    /** True when {@code candidate} comes after {@code reference} (modulo wrap). */
    public static boolean isNewer(int candidate, int reference) {
        return delta(reference, candidate) > 0;
    }

    public static int add(int sequenceNumber, int count) {
        return (sequenceNumber + count) & MASK;
    }
}
