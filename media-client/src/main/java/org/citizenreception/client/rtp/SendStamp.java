package org.citizenreception.client.rtp;

/**
 * The publisher's send time, written into every video packet at a fixed offset after the VP8
 * descriptor: 4 magic bytes "CRLS" then {@link System#nanoTime()} as 64 bits. It sits after the
 * 10 bytes a keyframe's payload header needs (RFC 6386 9.1), so keyframe detection still works.
 * A viewer in the same JVM subtracts it from its own nanoTime for forwarding latency.
 */
public final class SendStamp {
    public static final int OFFSET = 10;
    public static final int BYTES = 12;
    private static final int MAGIC = 0x43524C53;

    private SendStamp() {
    }

    public static void write(byte[] b, int payloadAfterDescriptor, long nanos) {
        Bytes.put32(b, payloadAfterDescriptor + OFFSET, MAGIC);
        Bytes.put64(b, payloadAfterDescriptor + OFFSET + 4, nanos);
    }

    /** The stamp, or {@code Long.MIN_VALUE} when the packet carries none. */
    public static long read(byte[] b, int payloadAfterDescriptor, int available) {
        if (available < OFFSET + BYTES) {
            return Long.MIN_VALUE;
        }
        int at = payloadAfterDescriptor + OFFSET;
        if (Bytes.u32(b, at) != (MAGIC & 0xFFFFFFFFL)) {
            return Long.MIN_VALUE;
        }
        return Bytes.u64(b, at + 4);
    }
}
