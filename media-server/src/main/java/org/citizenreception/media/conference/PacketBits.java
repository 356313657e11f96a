package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;

/**
 * PRIVATE STOP-GAP HELPER: the few RTP/RTCP reads and writes the conference needed before the
 * {@code rtp} and {@code rtcp} packages (branch media-packet) reached main. Each method is to be
 * replaced by its counterpart there ({@code RtpHeader}, {@code Keyframes}, {@code Pli},
 * {@code Remb}, {@code ReceiverReport}); nothing outside this package may use it.
 * All reads are relative to {@code readerIndex()} and bounds-checked; none throws on wire input.
 */
final class PacketBits {
    static final int RTCP_SR = 200;
    static final int RTCP_RR = 201;
    static final int RTCP_RTPFB = 205;
    static final int RTCP_PSFB = 206;

    private PacketBits() {
    }

    /** RFC 5761 4: an RTCP packet type (192-223) sits where RTP has marker + payload type. */
    static boolean isRtcp(ByteBuf packet) {
        if (packet.readableBytes() < 2) {
            return false;
        }
        int pt = packet.getUnsignedByte(packet.readerIndex() + 1) & 0x7F;
        return pt >= 64 && pt <= 95;
    }

    /** Fixed header + CSRCs + extension, or -1 when the packet is shorter than its header says. */
    static int rtpHeaderLength(ByteBuf packet) {
        int r = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < 12 || (packet.getUnsignedByte(r) >> 6) != 2) {
            return -1;
        }
        int header = 12 + 4 * (packet.getUnsignedByte(r) & 0x0F);
        if ((packet.getUnsignedByte(r) & 0x10) != 0) {
            if (length < header + 4) {
                return -1;
            }
            header += 4 + 4 * packet.getUnsignedShort(r + header + 2);
        }
        return header <= length ? header : -1;
    }

    /** Length up to the end of the CSRC list (where a header extension would start). */
    static int rtpFixedAndCsrcLength(ByteBuf packet) {
        return 12 + 4 * (packet.getUnsignedByte(packet.readerIndex()) & 0x0F);
    }

    static int ssrc(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + 8);
    }

    static int sequenceNumber(ByteBuf packet) {
        return packet.getUnsignedShort(packet.readerIndex() + 2);
    }

    static int timestamp(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + 4);
    }

    static int payloadType(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex() + 1) & 0x7F;
    }

    /** True when the RTP packet starts a keyframe: VP8 (RFC 7741 4.3) or H.264 (RFC 6184 5). */
    static boolean isKeyframeStart(ByteBuf packet, boolean h264) {
        int header = rtpHeaderLength(packet);
        if (header < 0) {
            return false;
        }
        int p = packet.readerIndex() + header;
        int end = packet.writerIndex();
        return h264 ? isH264KeyframeStart(packet, p, end) : isVp8KeyframeStart(packet, p, end);
    }

    private static boolean isVp8KeyframeStart(ByteBuf b, int p, int end) {
        if (p >= end) {
            return false;
        }
        int first = b.getUnsignedByte(p);
        boolean start = (first & 0x10) != 0 && (first & 0x07) == 0;
        if (!start) {
            return false;
        }
        int i = p + 1;
        if ((first & 0x80) != 0) {
            if (i >= end) {
                return false;
            }
            int x = b.getUnsignedByte(i++);
            if ((x & 0x80) != 0) {
                if (i >= end) {
                    return false;
                }
                i += (b.getUnsignedByte(i) & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                i++;
            }
            if ((x & 0x30) != 0) {
                i++;
            }
        }
        return i < end && (b.getUnsignedByte(i) & 0x01) == 0;
    }

    private static boolean isH264KeyframeStart(ByteBuf b, int p, int end) {
        if (p >= end) {
            return false;
        }
        int type = b.getUnsignedByte(p) & 0x1F;
        if (type == 5 || type == 7) {
            return true;
        }
        if (type == 24) {
            int i = p + 1;
            while (i + 2 < end) {
                int size = b.getUnsignedShort(i);
                int nal = b.getUnsignedByte(i + 2) & 0x1F;
                if (nal == 5 || nal == 7) {
                    return true;
                }
                i += 2 + size;
            }
            return false;
        }
        if (type == 28 && p + 1 < end) {
            int fu = b.getUnsignedByte(p + 1);
            return (fu & 0x80) != 0 && ((fu & 0x1F) == 5 || (fu & 0x1F) == 7);
        }
        return false;
    }

    /** PLI (RFC 4585 6.3.1): 12 bytes. */
    static void writePli(ByteBuf out, int senderSsrc, int mediaSsrc) {
        out.writeByte(0x80 | 1).writeByte(RTCP_PSFB).writeShort(2).writeInt(senderSsrc).writeInt(mediaSsrc);
    }

    /** A receiver report block (RFC 3550 6.4.1) with the bridge's view of one source. */
    static void writeReceiverReport(ByteBuf out, int senderSsrc, int[] ssrcs, long[] extendedHighestSeq,
                                    long[] lastSrNtpMiddle, long[] delaySinceLastSr65536, int count) {
        out.writeByte(0x80 | count).writeByte(RTCP_RR).writeShort(1 + 6 * count).writeInt(senderSsrc);
        for (int i = 0; i < count; i++) {
            out.writeInt(ssrcs[i]);
            out.writeInt(0); // fraction lost 0, cumulative lost 0: loss is not measured yet
            out.writeInt((int) extendedHighestSeq[i]);
            out.writeInt(0); // jitter
            out.writeInt((int) lastSrNtpMiddle[i]);
            out.writeInt((int) delaySinceLastSr65536[i]);
        }
    }

    /** REMB (draft-alvestrand-rmcat-remb-03 2.2): 6-bit exponent, 18-bit mantissa. */
    static void writeRemb(ByteBuf out, int senderSsrc, long bitrateBps, int[] ssrcs, int count) {
        int exponent = 0;
        long mantissa = bitrateBps;
        while (mantissa > 0x3FFFF) {
            mantissa >>= 1;
            exponent++;
        }
        out.writeByte(0x80 | 15).writeByte(RTCP_PSFB).writeShort(4 + count).writeInt(senderSsrc).writeInt(0);
        out.writeByte('R').writeByte('E').writeByte('M').writeByte('B');
        out.writeByte(count);
        out.writeByte((exponent << 2) | (int) (mantissa >> 16)).writeShort((int) mantissa & 0xFFFF);
        for (int i = 0; i < count; i++) {
            out.writeInt(ssrcs[i]);
        }
    }
}
