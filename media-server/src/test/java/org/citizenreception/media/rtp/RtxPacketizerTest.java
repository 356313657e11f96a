package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;
import static org.citizenreception.media.rtp.Bytes.hexOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RtxPacketizerTest {
    /** PT 96, seq 0x1234, one-byte extension, payload c0ffee, 2 bytes of padding. */
    private static final String ORIGINAL = "b0e01234 00000064 deadbeef bede0001 10ff0000 c0ffee 0002";

    @Test
    void wrapPutsTheOriginalSequenceNumberFirstAndDropsPadding() {
        ByteBuf original = hex(ORIGINAL);
        ByteBuf rtx = RtxPacketizer.wrap(PooledByteBufAllocator.DEFAULT, original, 0x01020304, 97, 7);
        assertThat(hexOf(rtx)).isEqualTo("90e10007" + "00000064" + "01020304" + "bede0001" + "10ff0000" + "1234" + "c0ffee");
        assertThat(hexOf(original)).isEqualTo(ORIGINAL.replace(" ", ""));
        assertThat(RtxPacketizer.originalSequenceNumber(rtx)).isEqualTo(0x1234);
        rtx.release();
        original.release();
    }

    @Test
    void unwrapRestoresTheOriginalPacketInPlace() {
        ByteBuf rtx = hex("90e10007 00000064 01020304 bede0001 10ff0000 1234 c0ffee");
        assertThat(RtxPacketizer.unwrap(rtx, 0xdeadbeef, 96)).isTrue();
        assertThat(hexOf(rtx)).isEqualTo("90e01234" + "00000064" + "deadbeef" + "bede0001" + "10ff0000" + "c0ffee");
        assertThat(RtpHeaderExtensions.findData(rtx, 1)).isPositive();
        rtx.release();
    }

    @Test
    void paddingOnlyAndMalformedPacketsAreRefused() {
        ByteBuf probe = hex("a0610007 00000064 01020304 0000 0004");
        assertThat(RtxPacketizer.originalSequenceNumber(probe)).isEqualTo(-1);
        assertThat(RtxPacketizer.unwrap(probe, 1, 96)).isFalse();
        probe.release();
        ByteBuf junk = hex("0102");
        assertThat(RtxPacketizer.wrap(PooledByteBufAllocator.DEFAULT, junk, 1, 97, 1)).isNull();
        junk.release();
    }
}
