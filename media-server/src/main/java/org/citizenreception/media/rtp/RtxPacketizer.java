package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * RTP retransmission payload format (RFC 4588 section 4): an RTX packet is the original header
 * with the RTX SSRC, RTX payload type and the RTX stream's own sequence number, followed by the
 * original sequence number (OSN) and the original payload. Padding is not carried over.
 *
 * <p>{@link #wrap} writes a new buffer and never touches the original (which may be shared from a
 * {@link RetransmissionBuffer}); {@link #wrapInPlace} turns a viewer's own, already rewritten copy
 * into RTX without a second buffer; {@link #unwrap} restores a publisher's RTX packet in place so
 * it can take the ordinary path.
 */
public final class RtxPacketizer {
    public static final int OSN_LENGTH = 2;

    private RtxPacketizer() {
    }

    /**
     * A new RTX packet from {@code original} (caller still owns {@code original}; the result is the
     * caller's to send or release), or null when {@code original} is malformed.
     */
    public static ByteBuf wrap(ByteBufAllocator allocator, ByteBuf original, int rtxSsrc, int rtxPayloadType, int rtxSequenceNumber) {
        int headerLength = RtpHeader.headerLength(original);
        if (headerLength < 0) {
            return null;
        }
        int payloadLength = RtpHeader.payloadLength(original);
        ByteBuf rtx = allocator.buffer(headerLength + OSN_LENGTH + payloadLength);
        rtx.writeBytes(original, original.readerIndex(), headerLength);
        rtx.setByte(0, rtx.getByte(0) & ~0x20);
        RtpHeader.setSsrc(rtx, rtxSsrc);
        RtpHeader.setPayloadType(rtx, rtxPayloadType);
        RtpHeader.setSequenceNumber(rtx, rtxSequenceNumber);
        rtx.writeShort(RtpHeader.sequenceNumber(original));
        rtx.writeBytes(original, original.readerIndex() + headerLength, payloadLength);
        return rtx;
    }

    /**
     * Turns {@code packet} (the caller's own copy, header already rewritten for its receiver) into
     * its RTX packet in place: padding trimmed, payload moved 2 bytes on for the OSN, then SSRC,
     * payload type and sequence number replaced. Ownership does not change. Allocation-free when
     * the buffer has {@value #OSN_LENGTH} bytes of spare capacity, as the caller should reserve.
     *
     * @return false (packet untouched) when it is not well-formed RTP
     */
    public static boolean wrapInPlace(ByteBuf packet, int rtxSsrc, int rtxPayloadType, int rtxSequenceNumber) {
        int headerLength = RtpHeader.headerLength(packet);
        if (headerLength < 0) {
            return false;
        }
        int payloadLength = RtpHeader.payloadLength(packet, headerLength);
        int originalSequence = RtpHeader.sequenceNumber(packet);
        int payloadStart = packet.readerIndex() + headerLength;
        packet.writerIndex(payloadStart + payloadLength);
        packet.ensureWritable(OSN_LENGTH);
        if (packet.hasArray()) {
            // System.arraycopy copies overlapping ranges as if through a temporary array
            byte[] array = packet.array();
            int at = packet.arrayOffset() + payloadStart;
            System.arraycopy(array, at, array, at + OSN_LENGTH, payloadLength);
        } else {
            for (int i = payloadLength - 1; i >= 0; i--) {
                packet.setByte(payloadStart + OSN_LENGTH + i, packet.getByte(payloadStart + i));
            }
        }
        packet.setShort(payloadStart, originalSequence);
        packet.writerIndex(payloadStart + OSN_LENGTH + payloadLength);
        packet.setByte(packet.readerIndex(), packet.getByte(packet.readerIndex()) & ~0x20);
        RtpHeader.setSsrc(packet, rtxSsrc);
        RtpHeader.setPayloadType(packet, rtxPayloadType);
        RtpHeader.setSequenceNumber(packet, rtxSequenceNumber);
        return true;
    }

    /** The original sequence number an RTX packet carries, or {@code -1} if it carries none. */
    public static int originalSequenceNumber(ByteBuf rtx) {
        int headerLength = RtpHeader.headerLength(rtx);
        if (headerLength < 0 || RtpHeader.payloadLength(rtx) < OSN_LENGTH) {
            return -1;
        }
        return rtx.getUnsignedShort(rtx.readerIndex() + headerLength);
    }

    /**
     * Turns an RTX packet back into the original in place: header moved forward over the OSN,
     * reader index advanced by 2, SSRC/PT/seq restored. False (packet untouched) when it has no OSN,
     * e.g. the padding-only RTX packets senders use to probe bandwidth.
     */
    public static boolean unwrap(ByteBuf rtx, int originalSsrc, int originalPayloadType) {
        int originalSeq = originalSequenceNumber(rtx);
        if (originalSeq < 0) {
            return false;
        }
        int start = rtx.readerIndex();
        // Byte by byte from the end: source and destination overlap, and the header is short.
        for (int i = RtpHeader.headerLength(rtx) - 1; i >= 0; i--) {
            rtx.setByte(start + OSN_LENGTH + i, rtx.getByte(start + i));
        }
        rtx.readerIndex(start + OSN_LENGTH);
        RtpHeader.setSsrc(rtx, originalSsrc);
        RtpHeader.setPayloadType(rtx, originalPayloadType);
        RtpHeader.setSequenceNumber(rtx, originalSeq);
        return true;
    }
}
