package org.citizenreception.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.citizenreception.media.rtp.RtpHeader;

/** Realistic 1,200-byte VP8 RTP packets for the benchmarks. */
final class Packets {
    static final int PACKET_BYTES = 1200;
    static final int VP8_PT = 96;
    static final int SOURCE_SSRC = 0x11223344;

    private Packets() {
    }

    /**
     * A VP8 packet: 12-byte header, a 4-byte payload descriptor (X, S, 15-bit picture id, partition
     * 0) and a payload header whose P bit says keyframe or not. The caller owns (and releases) it.
     */
    static ByteBuf vp8(int seq, int timestamp, int pictureId, boolean keyframe) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(PACKET_BYTES + 32);
        RtpHeader.write(buf, false, VP8_PT, seq, timestamp, SOURCE_SSRC);
        buf.writeByte(0x90); // X=1, S=1, partition 0
        buf.writeByte(0x80); // I=1: picture id present
        buf.writeShort(0x8000 | (pictureId & 0x7fff));
        buf.writeByte(keyframe ? 0x10 : 0x11); // VP8 payload header: P bit 0 for a keyframe
        while (buf.writerIndex() < PACKET_BYTES) {
            buf.writeByte(buf.writerIndex() * 31);
        }
        return buf;
    }
}
