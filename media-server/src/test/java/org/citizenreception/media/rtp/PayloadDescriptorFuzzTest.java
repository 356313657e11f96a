package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;

/**
 * VP8 payload descriptors (RFC 7741), H.264 NAL unit headers with STAP-A and FU-A (RFC 6184) and
 * VP9 descriptors, which the bridge reads to find keyframes and rewrites to keep picture ids
 * continuous across a switch. Each payload sits alone in a buffer that ends where the payload
 * ends, so a read past its length throws. Contract: answers or "absent" (-1, false), never an
 * exception, and a rewrite lands inside the descriptor.
 */
class PayloadDescriptorFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void payloadDescriptorsNeverReadPastThePayload(FuzzedDataProvider data) {
        int headroom = data.consumeInt(0, 3);
        int newPictureId = data.consumeInt(0, 0x7fff);
        byte[] payload = data.consumeRemainingAsBytes();
        ByteBuf buf = WireBytes.exact(payload, headroom);
        try {
            int at = buf.readerIndex();
            int length = payload.length;
            readVp8(buf, at, length, newPictureId);
            Keyframes.isH264KeyframeStart(buf, at, length);
            Keyframes.isVp9KeyframeStart(buf, at, length);
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
        ByteBuf rtp = rtpPacketAround(payload);
        try {
            for (VideoCodec codec : VideoCodec.values()) {
                Keyframes.isKeyframeStart(codec, rtp);
            }
        } finally {
            rtp.release();
        }
    }

    private static void readVp8(ByteBuf buf, int at, int length, int newPictureId) {
        int descriptor = Vp8PayloadDescriptor.descriptorLength(buf, at, length);
        assertThat(descriptor).isBetween(-1, Math.min(length, 6));
        Vp8PayloadDescriptor.isKeyframeStart(buf, at, length);
        int pictureId = Vp8PayloadDescriptor.pictureId(buf, at, length);
        assertThat(pictureId).isBetween(-1, 0x7fff);
        Vp8PayloadDescriptor.hasLongPictureId(buf, at, length);
        assertThat(Vp8PayloadDescriptor.tl0PicIdx(buf, at, length)).isBetween(-1, 255);
        assertThat(Vp8PayloadDescriptor.temporalLayer(buf, at, length)).isBetween(-1, 3);
        if (Vp8PayloadDescriptor.setPictureId(buf, at, length, newPictureId)) {
            int width = Vp8PayloadDescriptor.hasLongPictureId(buf, at, length) ? 0x7fff : 0x7f;
            assertThat(Vp8PayloadDescriptor.pictureId(buf, at, length)).isEqualTo(newPictureId & width);
        }
        Vp8PayloadDescriptor.setTl0PicIdx(buf, at, length, 9);
        if (descriptor >= 0) {
            assertThat(Vp8PayloadDescriptor.descriptorLength(buf, at, length))
                    .as("rewriting ids never changes the descriptor's shape").isEqualTo(descriptor);
        }
    }

    /** The payload behind a plain 12-byte RTP header, as the packet path sees it. */
    private static ByteBuf rtpPacketAround(byte[] payload) {
        byte[] packet = new byte[12 + payload.length];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        System.arraycopy(payload, 0, packet, 12, payload.length);
        return WireBytes.exact(packet, 0);
    }
}
