package org.citizenreception.client.rtp;

/**
 * The VP8 RTP payload descriptor and payload header (RFC 7741 4.2, 4.3): what a publisher writes and
 * what a viewer needs to find keyframes.
 */
public final class Vp8 {
    /** Descriptor bytes we write: X|S|PID, I|L, 15-bit picture id (M=1), TL0PICIDX. */
    public static final int DESCRIPTOR_BYTES = 5;

    private Vp8() {
    }

    public static void writeDescriptor(byte[] b, int at, boolean startOfPartition, int pictureId, int tl0PicIdx) {
        b[at] = (byte) (0x80 | (startOfPartition ? 0x10 : 0)); // X=1, N=0, S, PID=0
        b[at + 1] = (byte) 0xC0; // I=1, L=1, T=0, K=0
        b[at + 2] = (byte) (0x80 | ((pictureId >> 8) & 0x7F));
        b[at + 3] = (byte) pictureId;
        b[at + 4] = (byte) tl0PicIdx;
    }

    /** Descriptor length at {@code at}, or -1 when malformed. */
    public static int descriptorLength(byte[] b, int at, int length) {
        if (length < 1) {
            return -1;
        }
        int n = 1;
        if ((b[at] & 0x80) != 0) {
            if (length < 2) {
                return -1;
            }
            int x = b[at + 1] & 0xFF;
            n = 2;
            if ((x & 0x80) != 0) {
                if (length < n + 1) {
                    return -1;
                }
                n += (b[at + n] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                n++;
            }
            if ((x & 0x30) != 0) {
                n++;
            }
        }
        return n <= length ? n : -1;
    }

    /** Start of a partition with index 0 (the first packet of a frame). */
    public static boolean isFrameStart(byte[] b, int at) {
        return (b[at] & 0x10) != 0 && (b[at] & 0x07) == 0;
    }

    /** True when the packet starts a VP8 keyframe: frame start and payload header P bit = 0. */
    public static boolean isKeyframeStart(byte[] b, int at, int length) {
        int d = descriptorLength(b, at, length);
        return d > 0 && d < length && isFrameStart(b, at) && (b[at + d] & 0x01) == 0;
    }

    /** The 15- or 7-bit picture id, or -1 when absent. */
    public static int pictureId(byte[] b, int at, int length) {
        if (length < 3 || (b[at] & 0x80) == 0 || (b[at + 1] & 0x80) == 0) {
            return -1;
        }
        return (b[at + 2] & 0x80) != 0 ? ((b[at + 2] & 0x7F) << 8) | (b[at + 3] & 0xFF) : b[at + 2] & 0x7F;
    }
}
