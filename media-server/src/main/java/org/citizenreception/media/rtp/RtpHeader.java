package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Allocation-free view of the RTP fixed header (RFC 3550 section 5.1) of the packet that starts at
 * {@code buf.readerIndex()}.
 *
 * <p>Getters assume {@link #isValid(ByteBuf)} was checked once; the packet path validates on entry
 * and then reads fields without re-checking, which is why the getters do no bounds checks of their
 * own beyond Netty's. Setters rewrite the bytes in place, leaving indexes untouched.
 */
public final class RtpHeader {
    /** Version, flags, PT, sequence number, timestamp, SSRC: RFC 3550 section 5.1. */
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    private RtpHeader() {
    }

    /**
     * Length of the fixed header, CSRC list and header extension, or {@code -1} when the bytes are
     * not a well-formed RTP packet (wrong version, truncated CSRC list or extension, padding count
     * of zero or larger than what is left).
     */
    public static int headerLength(ByteBuf buf) {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < FIXED_HEADER_LENGTH) {
            return -1;
        }
        int first = buf.getUnsignedByte(start);
        if (first >>> 6 != VERSION) {
            return -1;
        }
        int length = FIXED_HEADER_LENGTH + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (length + 4 > readable) {
                return -1;
            }
            length += 4 + 4 * buf.getUnsignedShort(start + length + 2);
        }
        if (length > readable) {
            return -1;
        }
        if ((first & 0x20) != 0) {
            int padding = buf.getUnsignedByte(start + readable - 1);
            if (padding == 0 || length + padding > readable) {
                return -1;
            }
        }
        return length;
    }

    public static boolean isValid(ByteBuf buf) {
        return headerLength(buf) >= 0;
    }

    /** Offset of the payload from {@code readerIndex()}, or {@code -1} when malformed. */
    public static int payloadOffset(ByteBuf buf) {
        return headerLength(buf);
    }

    /** Payload bytes between header and padding, or {@code -1} when malformed. */
    public static int payloadLength(ByteBuf buf) {
        int header = headerLength(buf);
        return header < 0 ? -1 : buf.readableBytes() - header - paddingLength(buf);
    }

    /**
     * Payload length for a packet whose {@link #headerLength} the caller already has: the packet
     * path parses the header once and passes the result along instead of re-walking it.
     */
    public static int payloadLength(ByteBuf buf, int headerLength) {
        return buf.readableBytes() - headerLength - paddingLength(buf);
    }

    /** Trailing padding bytes (RFC 3550 section 5.1, P bit), 0 when the P bit is clear. */
    public static int paddingLength(ByteBuf buf) {
        if (!hasPadding(buf) || buf.readableBytes() == 0) {
            return 0;
        }
        return buf.getUnsignedByte(buf.writerIndex() - 1);
    }

    public static int version(ByteBuf buf) {
        return buf.getUnsignedByte(buf.readerIndex()) >>> 6;
    }

    public static boolean hasPadding(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex()) & 0x20) != 0;
    }

    public static boolean hasExtension(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex()) & 0x10) != 0;
    }

    public static int csrcCount(ByteBuf buf) {
        return buf.getByte(buf.readerIndex()) & 0x0f;
    }

    public static boolean marker(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex() + 1) & 0x80) != 0;
    }

    public static int payloadType(ByteBuf buf) {
        return buf.getByte(buf.readerIndex() + 1) & 0x7f;
    }

    public static int sequenceNumber(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + 2);
    }

    /** The 32-bit RTP timestamp as raw bits; differences are modular {@code int} arithmetic. */
    public static int timestamp(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + 4);
    }

    /** The SSRC as raw bits. */
    public static int ssrc(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + 8);
    }

    public static int csrc(ByteBuf buf, int index) {
        return buf.getInt(buf.readerIndex() + FIXED_HEADER_LENGTH + 4 * index);
    }

    public static void setMarker(ByteBuf buf, boolean marker) {
        int at = buf.readerIndex() + 1;
        int b = buf.getByte(at) & 0x7f;
        buf.setByte(at, marker ? b | 0x80 : b);
    }

    public static void setPayloadType(ByteBuf buf, int payloadType) {
        int at = buf.readerIndex() + 1;
        buf.setByte(at, (buf.getByte(at) & 0x80) | (payloadType & 0x7f));
    }

    public static void setSequenceNumber(ByteBuf buf, int sequenceNumber) {
        buf.setShort(buf.readerIndex() + 2, sequenceNumber);
    }

    public static void setTimestamp(ByteBuf buf, int timestamp) {
        buf.setInt(buf.readerIndex() + 4, timestamp);
    }

    public static void setSsrc(ByteBuf buf, int ssrc) {
        buf.setInt(buf.readerIndex() + 8, ssrc);
    }

    /**
     * Appends a 12-byte fixed header without CSRCs or extension: for probes, test publishers and
     * benchmarks that need well-formed packets without a browser.
     */
    public static void write(ByteBuf out, boolean marker, int payloadType, int sequenceNumber, int timestamp, int ssrc) {
        out.writeByte(VERSION << 6);
        out.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7f));
        out.writeShort(sequenceNumber);
        out.writeInt(timestamp);
        out.writeInt(ssrc);
    }

    /**
     * The RFC 8285 "defined by profile" 16 bits (0xBEDE one-byte, 0x100X two-byte), or {@code -1}
     * when the packet carries no extension.
     */
    public static int extensionProfile(ByteBuf buf) {
        if (!hasExtension(buf)) {
            return -1;
        }
        return buf.getUnsignedShort(buf.readerIndex() + FIXED_HEADER_LENGTH + 4 * csrcCount(buf));
    }

    /** Absolute index of the first byte after the 4-byte extension header, or {@code -1}. */
    public static int extensionDataIndex(ByteBuf buf) {
        if (!hasExtension(buf)) {
            return -1;
        }
        return buf.readerIndex() + FIXED_HEADER_LENGTH + 4 * csrcCount(buf) + 4;
    }

    /** Length in bytes of the extension data (without its 4-byte header), 0 when absent. */
    public static int extensionDataLength(ByteBuf buf) {
        if (!hasExtension(buf)) {
            return 0;
        }
        return 4 * buf.getUnsignedShort(buf.readerIndex() + FIXED_HEADER_LENGTH + 4 * csrcCount(buf) + 2);
    }
}
