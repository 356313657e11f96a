package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Keeps VP8 picture id and TL0PICIDX (RFC 7741 section 4.2) continuous on a slot's outgoing
 * stream: libwebrtc's receiver treats a jump in picture id as lost frames and a jump in TL0PICIDX
 * as a broken temporal-layer chain, and would request a keyframe or stall.
 *
 * <p>It remembers the last values sent and, for the first packet of a new source, computes the
 * offsets that make that source continue at last + 1. Offsets are applied modulo the field width
 * by {@link Vp8PayloadDescriptor}'s setters.
 */
final class Vp8IndexContinuity {
    private int lastPictureId = -1;
    private int lastTl0PicIdx = -1;

    /** Records the indexes of a packet just sent (already rewritten), whose payload is at {@code at}. */
    void rememberSent(ByteBuf packet, int at, int length) {
        int pictureId = Vp8PayloadDescriptor.pictureId(packet, at, length);
        if (pictureId >= 0) {
            lastPictureId = pictureId;
        }
        int tl0PicIdx = Vp8PayloadDescriptor.tl0PicIdx(packet, at, length);
        if (tl0PicIdx >= 0) {
            lastTl0PicIdx = tl0PicIdx;
        }
    }

    /** Offset that maps the new source's picture id onto last + 1; 0 when either side has none. */
    int pictureIdOffset(ByteBuf firstPacket) {
        int at = firstPacket.readerIndex() + RtpHeader.payloadOffset(firstPacket);
        int pictureId = Vp8PayloadDescriptor.pictureId(firstPacket, at, RtpHeader.payloadLength(firstPacket));
        return pictureId >= 0 && lastPictureId >= 0 ? lastPictureId + 1 - pictureId : 0;
    }

    /** Offset that maps the new source's TL0PICIDX onto last + 1; 0 when either side has none. */
    int tl0PicIdxOffset(ByteBuf firstPacket) {
        int at = firstPacket.readerIndex() + RtpHeader.payloadOffset(firstPacket);
        int tl0PicIdx = Vp8PayloadDescriptor.tl0PicIdx(firstPacket, at, RtpHeader.payloadLength(firstPacket));
        return tl0PicIdx >= 0 && lastTl0PicIdx >= 0 ? lastTl0PicIdx + 1 - tl0PicIdx : 0;
    }
}
