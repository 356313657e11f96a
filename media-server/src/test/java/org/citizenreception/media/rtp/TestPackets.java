package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/** Test helper: RTP packets as a publisher's browser would send them. */
final class TestPackets {
    private TestPackets() {
    }

    /** VP8 with a 15-bit picture id and TL0PICIDX; the caller releases it. */
    static ByteBuf vp8(int ssrc, int seq, int timestamp, int pictureId, int tl0PicIdx, boolean keyframeStart) {
        ByteBuf buf = header(96, ssrc, seq, timestamp);
        buf.writeByte(keyframeStart ? 0x90 : 0x80); // X, S only on the keyframe's first packet here
        buf.writeByte(0xC0);                         // I, L
        buf.writeShort(0x8000 | pictureId);
        buf.writeByte(tl0PicIdx);
        buf.writeByte(keyframeStart ? 0x50 : 0x51);  // VP8 payload header, P bit clear = keyframe
        buf.writeZero(20);
        return buf;
    }

    static ByteBuf opus(int ssrc, int seq, int timestamp) {
        ByteBuf buf = header(111, ssrc, seq, timestamp);
        buf.writeZero(40);
        return buf;
    }

    static ByteBuf header(int payloadType, int ssrc, int seq, int timestamp) {
        ByteBuf buf = Bytes.buffer(64);
        RtpHeader.write(buf, false, payloadType, seq, timestamp, ssrc);
        return buf;
    }

    static int pictureId(ByteBuf rtp) {
        return Vp8PayloadDescriptor.pictureId(rtp, rtp.readerIndex() + 12, rtp.readableBytes() - 12);
    }

    static int tl0PicIdx(ByteBuf rtp) {
        return Vp8PayloadDescriptor.tl0PicIdx(rtp, rtp.readerIndex() + 12, rtp.readableBytes() - 12);
    }
}
