package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;
import static org.citizenreception.media.rtp.Bytes.hexOf;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RtpHeaderTest {
    /** V=2, M=1, PT=96, seq=0x1234, ts=100, SSRC=0xDEADBEEF, 3 payload bytes. */
    private static final String PLAIN = "80e01234 00000064 deadbeef 010203";

    @Test
    void readsEveryFixedHeaderField() {
        ByteBuf buf = hex(PLAIN);
        assertThat(RtpHeader.isValid(buf)).isTrue();
        assertThat(RtpHeader.version(buf)).isEqualTo(2);
        assertThat(RtpHeader.hasPadding(buf)).isFalse();
        assertThat(RtpHeader.hasExtension(buf)).isFalse();
        assertThat(RtpHeader.csrcCount(buf)).isZero();
        assertThat(RtpHeader.marker(buf)).isTrue();
        assertThat(RtpHeader.payloadType(buf)).isEqualTo(96);
        assertThat(RtpHeader.sequenceNumber(buf)).isEqualTo(0x1234);
        assertThat(RtpHeader.timestamp(buf)).isEqualTo(100);
        assertThat(RtpHeader.ssrc(buf)).isEqualTo(0xDEADBEEF);
        assertThat(RtpHeader.payloadOffset(buf)).isEqualTo(12);
        assertThat(RtpHeader.payloadLength(buf)).isEqualTo(3);
        assertThat(buf.release()).isTrue();
    }

    @Test
    void readsRelativeToReaderIndex() {
        ByteBuf buf = hex("ffff " + PLAIN);
        buf.skipBytes(2);
        assertThat(RtpHeader.sequenceNumber(buf)).isEqualTo(0x1234);
        assertThat(RtpHeader.payloadLength(buf)).isEqualTo(3);
        buf.release();
    }

    @Test
    void skipsCsrcsExtensionAndPadding() {
        // P=1 X=1 CC=1, one CSRC, a one-word extension, 2 payload bytes and 2 bytes of padding.
        ByteBuf buf = hex("b1601234 00000064 deadbeef 00000007 bede0001 10ff0000 aabb 0002");
        assertThat(RtpHeader.csrcCount(buf)).isEqualTo(1);
        assertThat(RtpHeader.csrc(buf, 0)).isEqualTo(7);
        assertThat(RtpHeader.extensionProfile(buf)).isEqualTo(0xBEDE);
        assertThat(RtpHeader.extensionDataLength(buf)).isEqualTo(4);
        assertThat(RtpHeader.payloadOffset(buf)).isEqualTo(24);
        assertThat(RtpHeader.paddingLength(buf)).isEqualTo(2);
        assertThat(RtpHeader.payloadLength(buf)).isEqualTo(2);
        buf.release();
    }

    @Test
    void malformedPacketsAreInvalidWithoutThrowing() {
        String[] malformed = {
            "",
            "80e01234 00000064 deadbe",                 // shorter than the fixed header
            "40e01234 00000064 deadbeef",               // version 1
            "82e01234 00000064 deadbeef 00000001",      // CC=2 but one CSRC
            "90e01234 00000064 deadbeef bede",          // extension header cut
            "90e01234 00000064 deadbeef bede0002 10ff0000", // extension says 2 words, has 1
            "a0e01234 00000064 deadbeef 0102 00",       // padding count 0
            "a0e01234 00000064 deadbeef 0105",          // padding longer than the packet body
        };
        for (String hex : malformed) {
            ByteBuf buf = hex(hex);
            assertThat(RtpHeader.isValid(buf)).as(hex).isFalse();
            assertThat(RtpHeader.payloadLength(buf)).as(hex).isEqualTo(-1);
            assertThat(RtpHeaderExtensions.findData(buf, 1)).as(hex).isEqualTo(-1);
            buf.release();
        }
    }

    @Test
    void settersRewriteInPlaceAndKeepOtherBits() {
        ByteBuf buf = hex(PLAIN);
        RtpHeader.setSsrc(buf, 0x01020304);
        RtpHeader.setSequenceNumber(buf, 0xFFFF);
        RtpHeader.setTimestamp(buf, 0xFFFFFFFE);
        RtpHeader.setPayloadType(buf, 100);
        assertThat(hexOf(buf)).isEqualTo("80e4ffff" + "fffffffe" + "01020304" + "010203");
        RtpHeader.setMarker(buf, false);
        assertThat(RtpHeader.payloadType(buf)).isEqualTo(100);
        assertThat(RtpHeader.marker(buf)).isFalse();
        buf.release();
    }
}
