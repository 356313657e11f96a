package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtcp.TransportCcFeedbackWriter.NOT_RECEIVED;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.citizenreception.media.rtp.Bytes;
import org.citizenreception.media.rtp.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TransportCcFeedbackTest {
    /** A libwebrtc feedback packet as captured and decoded by Wireshark (olivermichel/webrtc-analysis test data). */
    private static final String CAPTURED = "afcd0007 00000001 dd586eb6 00010009 5e911000 2009 1c0c2c38 00040008 18 01";
    private static final int[] CAPTURED_DELTAS = {0x1c, 0x0c, 0x2c, 0x38, 0x00, 0x04, 0x00, 0x08, 0x18};

    @Test
    void readsACapturedLibwebrtcFeedbackPacket() {
        ByteBuf buf = Bytes.hex(CAPTURED);
        assertThat(TransportCcFeedback.isTransportCc(buf, 0, 32)).isTrue();
        assertThat(TransportCcFeedback.baseSequenceNumber(buf, 0)).isEqualTo(1);
        assertThat(TransportCcFeedback.packetStatusCount(buf, 0)).isEqualTo(9);
        assertThat(TransportCcFeedback.referenceTime64ms(buf, 0)).isEqualTo(6197520);
        List<Integer> deltas = new ArrayList<>();
        assertThat(TransportCcFeedback.visitPackets(buf, 0, 32, (seq, received, delta) -> deltas.add(delta))).isTrue();
        assertThat(deltas).containsExactly(28, 12, 44, 56, 0, 4, 0, 8, 24);
        buf.release();
    }

    @Test
    void writesTheSameBytesLibwebrtcDidForTheSameArrivals() {
        assertThat(write(1, 6197520, 0, CAPTURED_DELTAS).replace("11223344", "dd586eb6"))
                .isEqualTo(CAPTURED.replace(" ", ""));
    }

    @Test
    void mixedStatusesUseATwoBitVectorAndPadWithTheCount() {
        // seq 100 small delta 4 ticks (1 ms), 101 lost, 102 large delta 300 ticks.
        // chunk 11 01 00 10 00.. = 0xd200; deltas 04, 012c; 25 bytes -> 3 bytes padding, P bit set.
        String hex = write(0x64, 0x10, 7, new int[] {4, NOT_RECEIVED, 300});
        assertThat(hex).isEqualTo("afcd0006" + "00000001" + "11223344" + "00640003" + "00001007" + "d200" + "04012c" + "000003");
    }

    @Test
    void longRunsUseARunLengthChunk() {
        int[] deltas = new int[20];
        java.util.Arrays.fill(deltas, 1);
        // run-length chunk 0 01 0000000010100 = 0x2014, twenty 1-tick deltas, 2 bytes padding.
        assertThat(write(0, 0, 0, deltas)).isEqualTo(
                "afcd000a" + "00000001" + "11223344" + "00000014" + "00000000" + "2014" + "01".repeat(20) + "0002");
    }

    @Test
    void alternatingSmallStatusesUseAOneBitVector() {
        // 1 0 1 0 1 -> 1 0 10101 000000000 = 0xaa00; deltas 05 05 05; 25 bytes -> padded.
        assertThat(write(65535, 0, 1, new int[] {5, NOT_RECEIVED, 5, NOT_RECEIVED, 5}))
                .isEqualTo("afcd0006" + "00000001" + "11223344" + "ffff0005" + "00000001" + "aa00" + "050505" + "000003");
    }

    @Test
    void readsBackWhatItWritesAcrossTheSequenceWrap() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int count = 1 + random.nextInt(300);
            int base = random.nextInt(65536);
            int[] deltas = new int[count];
            for (int i = 0; i < count; i++) {
                int kind = random.nextInt(10);
                deltas[i] = kind < 2 ? NOT_RECEIVED : kind < 9 ? random.nextInt(256) : random.nextInt(65536) - 32768;
            }
            ByteBuf out = Bytes.buffer();
            TransportCcFeedbackWriter.write(out, 1, 2, base, -5, round & 0xff, deltas, count);
            assertThat(out.readableBytes() % 4).isZero();
            assertThat(RtcpCompoundCursor.isValidCompound(out)).isTrue();
            assertThat(TransportCcFeedback.isTransportCc(out, 0, out.readableBytes())).isTrue();
            assertThat(TransportCcFeedback.referenceTime64ms(out, 0)).isEqualTo(-5);
            assertThat(TransportCcFeedback.feedbackPacketCount(out, 0)).isEqualTo(round & 0xff);
            List<int[]> seen = new ArrayList<>();
            boolean ok = TransportCcFeedback.visitPackets(out, 0, out.readableBytes(),
                    (seq, received, delta) -> seen.add(new int[] {seq, received ? delta : NOT_RECEIVED}));
            assertThat(ok).isTrue();
            assertThat(seen).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(seen.get(i)[0]).isEqualTo((base + i) & 0xffff);
                assertThat(seen.get(i)[1]).as("round %d packet %d", round, i).isEqualTo(deltas[i]);
            }
            assertThat(out.release()).isTrue();
        }
    }

    @Test
    void truncatedFeedbackVisitsNothing() {
        ByteBuf buf = Bytes.buffer();
        TransportCcFeedbackWriter.write(buf, 1, 2, 0, 0, 0, new int[] {300, 300, 300}, 3);
        int[] visited = {0};
        assertThat(TransportCcFeedback.visitPackets(buf, 0, buf.readableBytes() - 8, (s, r, d) -> visited[0]++)).isFalse();
        assertThat(visited[0]).isZero();
        buf.release();
    }

    private static String write(int base, int referenceTime, int feedbackCount, int[] deltas) {
        ByteBuf out = Bytes.buffer();
        try {
            TransportCcFeedbackWriter.write(out, 1, 0x11223344, base, referenceTime, feedbackCount, deltas, deltas.length);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }
}
