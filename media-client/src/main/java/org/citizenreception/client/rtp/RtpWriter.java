package org.citizenreception.client.rtp;

/**
 * Writes an RTP header with a one-byte-header extension block (RFC 8285 4.2) into a buffer.
 * Usage: {@code start(...)}, then {@code ext(...)} per extension, then {@code endExtensions()},
 * which returns the payload offset.
 */
public final class RtpWriter {
    private byte[] b;
    private int extStart;
    private int at;

    public RtpWriter start(byte[] buffer, int payloadType, boolean marker, int sequence, long timestamp, long ssrc) {
        b = buffer;
        b[0] = (byte) 0x90; // V=2, X=1
        b[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        Bytes.put16(b, 2, sequence);
        Bytes.put32(b, 4, timestamp);
        Bytes.put32(b, 8, ssrc);
        Bytes.put16(b, 12, 0xBEDE);
        extStart = 16;
        at = 16;
        return this;
    }

    public RtpWriter ext(int id, byte[] value, int length) {
        if (id <= 0 || id > 14) {
            return this;
        }
        b[at++] = (byte) ((id << 4) | (length - 1));
        System.arraycopy(value, 0, b, at, length);
        at += length;
        return this;
    }

    public RtpWriter ext1(int id, int v) {
        if (id > 0 && id <= 14) {
            b[at++] = (byte) (id << 4);
            b[at++] = (byte) v;
        }
        return this;
    }

    public RtpWriter ext2(int id, int v) {
        if (id > 0 && id <= 14) {
            b[at++] = (byte) ((id << 4) | 1);
            Bytes.put16(b, at, v);
            at += 2;
        }
        return this;
    }

    public RtpWriter ext3(int id, int v) {
        if (id > 0 && id <= 14) {
            b[at++] = (byte) ((id << 4) | 2);
            Bytes.put24(b, at, v);
            at += 3;
        }
        return this;
    }

    /** Where the next extension element would be written (to find an element's value afterwards). */
    public int position() {
        return at;
    }

    /** Pads the block to 32 bits, writes its length and returns where the payload starts. */
    public int endExtensions() {
        while (((at - extStart) & 3) != 0) {
            b[at++] = 0;
        }
        int words = (at - extStart) / 4;
        if (words == 0) {
            b[0] = (byte) 0x80; // no extensions after all: clear X and drop the block header
            return 12;
        }
        Bytes.put16(b, 14, words);
        return at;
    }

    /** The 24-bit abs-send-time value (6.18 fixed-point seconds) for a nanoTime. */
    public static int absSendTime(long nanos) {
        return (int) (((nanos / 1000L) << 18) / 1_000_000L) & 0xFFFFFF;
    }
}
