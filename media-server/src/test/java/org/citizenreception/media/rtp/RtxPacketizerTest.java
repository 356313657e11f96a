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
    void wrapInPlaceGivesTheSameBytesAsWrapWithoutASecondBuffer() {
        ByteBuf expected;
        ByteBuf original = hex(ORIGINAL);
        expected = RtxPacketizer.wrap(PooledByteBufAllocator.DEFAULT, original, 0x01020304, 97, 7);
        ByteBuf own = PooledByteBufAllocator.DEFAULT.heapBuffer(original.readableBytes() + RtxPacketizer.OSN_LENGTH);
        own.writeBytes(original, original.readerIndex(), original.readableBytes());
        int capacity = own.capacity();

        assertThat(RtxPacketizer.wrapInPlace(own, 0x01020304, 97, 7)).isTrue();

        assertThat(hexOf(own)).isEqualTo(hexOf(expected));
        assertThat(own.capacity()).as("no reallocation when the caller reserved room for the OSN").isEqualTo(capacity);
        assertThat(RtxPacketizer.unwrap(own, 0xdeadbeef, 96)).isTrue();
        // the original again, less its padding (RTX never carries padding over)
        assertThat(hexOf(own)).isEqualTo("90e01234 00000064 deadbeef bede0001 10ff0000 c0ffee".replace(" ", ""));
        expected.release();
        own.release();
        original.release();
    }

    @Test
    void wrapInPlaceMovesALargePayloadIntactAndWorksOffTheBuffersFirstByte() {
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.heapBuffer(1300);
        packet.writeZero(5).readerIndex(5); // a packet that does not start at index 0 of its buffer
        ByteBuf header = hex("80600001 00000064 deadbeef");
        packet.writeBytes(header);
        header.release();
        for (int i = 0; i < 1200; i++) {
            packet.writeByte(i * 7);
        }

        assertThat(RtxPacketizer.wrapInPlace(packet, 42, 97, 0xffff)).isTrue();

        assertThat(packet.readableBytes()).isEqualTo(12 + 2 + 1200);
        assertThat(RtpHeader.ssrc(packet)).isEqualTo(42);
        assertThat(RtpHeader.payloadType(packet)).isEqualTo(97);
        assertThat(RtpHeader.sequenceNumber(packet)).isEqualTo(0xffff);
        assertThat(RtxPacketizer.originalSequenceNumber(packet)).isEqualTo(1);
        for (int i = 0; i < 1200; i++) {
            assertThat(packet.getByte(packet.readerIndex() + 14 + i)).as("payload byte %d", i).isEqualTo((byte) (i * 7));
        }
        packet.release();
    }

    @Test
    void wrapInPlaceRefusesMalformedPacketsUntouched() {
        ByteBuf junk = hex("0102");
        assertThat(RtxPacketizer.wrapInPlace(junk, 1, 97, 1)).isFalse();
        assertThat(hexOf(junk)).isEqualTo("0102");
        junk.release();
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
