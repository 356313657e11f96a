package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class Vp8PayloadDescriptorTest {
    /** X S | I L T | M + 15-bit picture id 0x2bcd | TL0PICIDX 0x2b | TID 1 | keyframe header 0x50. */
    private static final String FULL = "90e0abcd2b40 504200";

    @Test
    void readsTheFullDescriptorLibwebrtcSends() {
        ByteBuf buf = hex(FULL);
        int length = buf.readableBytes();
        assertThat(Vp8PayloadDescriptor.descriptorLength(buf, 0, length)).isEqualTo(6);
        assertThat(Vp8PayloadDescriptor.isStartOfPartition(buf, 0)).isTrue();
        assertThat(Vp8PayloadDescriptor.partitionIndex(buf, 0)).isZero();
        assertThat(Vp8PayloadDescriptor.pictureId(buf, 0, length)).isEqualTo(0x2bcd);
        assertThat(Vp8PayloadDescriptor.hasLongPictureId(buf, 0, length)).isTrue();
        assertThat(Vp8PayloadDescriptor.tl0PicIdx(buf, 0, length)).isEqualTo(0x2b);
        assertThat(Vp8PayloadDescriptor.temporalLayer(buf, 0, length)).isEqualTo(1);
        assertThat(Vp8PayloadDescriptor.isKeyframeStart(buf, 0, length)).isTrue();
        buf.release();
    }

    @Test
    void rewritesPictureIdAndTl0PicIdxKeepingTheirWidth() {
        ByteBuf buf = hex(FULL);
        int length = buf.readableBytes();
        assertThat(Vp8PayloadDescriptor.setPictureId(buf, 0, length, 0x8005)).isTrue();
        assertThat(Vp8PayloadDescriptor.setTl0PicIdx(buf, 0, length, 0x100)).isTrue();
        assertThat(Bytes.hexOf(buf)).isEqualTo("90e080050040504200");

        ByteBuf shortId = hex("90c0 7f 11 31");
        assertThat(Vp8PayloadDescriptor.pictureId(shortId, 0, 4)).isEqualTo(127);
        assertThat(Vp8PayloadDescriptor.hasLongPictureId(shortId, 0, 4)).isFalse();
        assertThat(Vp8PayloadDescriptor.setPictureId(shortId, 0, 4, 128)).isTrue();
        assertThat(Vp8PayloadDescriptor.pictureId(shortId, 0, 4)).isZero();
        assertThat(Vp8PayloadDescriptor.tl0PicIdx(shortId, 0, 4)).isEqualTo(0x11);
        assertThat(Vp8PayloadDescriptor.isKeyframeStart(shortId, 0, 4)).as("P bit set: interframe").isFalse();
        buf.release();
        shortId.release();
    }

    @Test
    void minimalDescriptorHasNoPictureIdOrTl0PicIdx() {
        ByteBuf buf = hex("10 50");
        assertThat(Vp8PayloadDescriptor.descriptorLength(buf, 0, 2)).isEqualTo(1);
        assertThat(Vp8PayloadDescriptor.pictureId(buf, 0, 2)).isEqualTo(-1);
        assertThat(Vp8PayloadDescriptor.setPictureId(buf, 0, 2, 3)).isFalse();
        assertThat(Vp8PayloadDescriptor.tl0PicIdx(buf, 0, 2)).isEqualTo(-1);
        assertThat(Vp8PayloadDescriptor.isKeyframeStart(buf, 0, 2)).isTrue();
        buf.release();
    }

    @Test
    void truncatedDescriptorsAreInvalid() {
        for (String hex : new String[] {"", "90", "9080", "90e0ab", "90e0abcd2b"}) {
            ByteBuf buf = hex(hex);
            int length = buf.readableBytes();
            assertThat(Vp8PayloadDescriptor.descriptorLength(buf, 0, length)).as(hex).isEqualTo(-1);
            assertThat(Vp8PayloadDescriptor.pictureId(buf, 0, length)).as(hex).isEqualTo(-1);
            assertThat(Vp8PayloadDescriptor.isKeyframeStart(buf, 0, length)).as(hex).isFalse();
            buf.release();
        }
    }

    @Test
    void continuationAndLaterPartitionsAreNotKeyframeStarts() {
        ByteBuf continuation = hex("80e0abcd2b40 50");
        assertThat(Vp8PayloadDescriptor.isKeyframeStart(continuation, 0, 7)).isFalse();
        ByteBuf partitionOne = hex("11 50");
        assertThat(Vp8PayloadDescriptor.isKeyframeStart(partitionOne, 0, 2)).isFalse();
        continuation.release();
        partitionOne.release();
    }
}
