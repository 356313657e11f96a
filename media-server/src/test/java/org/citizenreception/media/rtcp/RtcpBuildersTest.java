package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.citizenreception.media.rtp.Bytes;
import org.citizenreception.media.rtp.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Builders checked against wire bytes worked out by hand from the RFC layouts. */
@ExtendWith(NoLeaks.class)
class RtcpBuildersTest {
    @Test
    void senderReportWithoutBlocks() {
        assertWrites(out -> SenderReport.write(out, 0x11223344, 0xe54f0e1a80000000L, 90_000, 10, 1000, 0),
                "80c80006 11223344 e54f0e1a 80000000 00015f90 0000000a 000003e8");
    }

    @Test
    void receiverReportWithOneBlock() {
        assertWrites(out -> {
            ReceiverReport.write(out, 1, 1);
            ReportBlock.write(out, 0x11223344, 64, -2, 0x10005, 16, 0x0f1a8000, 0x10000);
        }, "81c90007 00000001 11223344 40fffffe 00010005 00000010 0f1a8000 00010000");
    }

    @Test
    void cumulativeLossIsClampedToTwentyFourBits() {
        assertWrites(out -> ReportBlock.write(out, 1, 0, 1 << 30, 0, 0, 0, 0),
                "00000001 007fffff 00000000 00000000 00000000 00000000");
    }

    @Test
    void sdesCnamePadsTheChunkToThirtyTwoBits() {
        assertWrites(out -> Sdes.writeCname(out, 0x11223344, "abcd".getBytes(StandardCharsets.US_ASCII)),
                "81ca0003 11223344 01046162 63640000");
        assertWrites(out -> Sdes.writeCname(out, 0x11223344, "a".getBytes(StandardCharsets.US_ASCII)),
                "81ca0002 11223344 01016100");
    }

    @Test
    void byePliAndFir() {
        assertWrites(out -> Bye.write(out, 0x11223344), "81cb0001 11223344");
        assertWrites(out -> Pli.write(out, 1, 0x11223344), "81ce0002 00000001 11223344");
        assertWrites(out -> Fir.write(out, 1, 0x11223344, 5), "84ce0004 00000001 00000000 11223344 05000000");
        assertWrites(out -> Fir.write(out, 1, new int[] {0xA, 0xB}, new int[] {1, 255}, 2),
                "84ce0006 00000001 00000000 0000000a 01000000 0000000b ff000000");
    }

    @Test
    void nackPacksUpToSixteenFollowersIntoOneEntry() {
        // 101 is PID+1 (bit 0), 103 PID+3 (bit 2), 116 PID+16 (bit 15); 117 needs a new entry.
        int[] lost = {100, 101, 103, 116, 117, 200};
        assertWrites(out -> assertThat(GenericNack.write(out, 1, 0x11223344, lost, 0, lost.length)).isEqualTo(3),
                "81cd0005 00000001 11223344 00648005 00750000 00c80000");
    }

    @Test
    void nackPacksAcrossTheSequenceWrap() {
        int[] lost = {65534, 65535, 0, 2};
        assertWrites(out -> GenericNack.write(out, 1, 0x11223344, lost, 0, 4),
                "81cd0003 00000001 11223344 fffe000b");
    }

    @Test
    void rembUsesTheSmallestExponentThatFitsTheMantissa() {
        assertWrites(out -> Remb.write(out, 1, 1_000_000, new int[] {0x11223344}, 1),
                "8fce0005 00000001 00000000 52454d42 010bd090 11223344");
        assertWrites(out -> Remb.write(out, 1, 100_000, new int[0], 0),
                "8fce0004 00000001 00000000 52454d42 000186a0");
    }

    private static void assertWrites(Consumer<ByteBuf> writer, String expectedHex) {
        ByteBuf out = Bytes.buffer();
        try {
            writer.accept(out);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(expectedHex.replace(" ", ""));
        } finally {
            assertThat(out.release()).isTrue();
        }
    }
}
