package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.citizenreception.client.feedback.TransportCcReceiver;
import org.citizenreception.client.rtp.Rtcp;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.ReceiverReport;
import org.citizenreception.media.rtcp.Remb;
import org.citizenreception.media.rtcp.ReportBlock;
import org.citizenreception.media.rtcp.RtcpCompoundCursor;
import org.citizenreception.media.rtcp.TransportCcFeedback;
import org.junit.jupiter.api.Test;

/**
 * The generator's feedback writers (media-client) read back by the server's own parsers
 * (media-server, on the bench's classpath): what the server would make of a generator viewer.
 */
class FeedbackWritersAgainstServerParsersTest {
    private static final long T0 = 1_000_000_000L;

    @Test
    void transportCcFeedbackReportsEveryPacketWithTheArrivalTheServerReadsBack() {
        Random random = new Random(15);
        TransportCcReceiver receiver = new TransportCcReceiver();
        TreeMap<Integer, Long> arrivals = new TreeMap<>();
        long now = T0 + 3_000_000L;
        long[] first = {-1, -1}; // sequence number, arrival
        for (int seq = 65_000; seq < 65_000 + 300; seq++) {
            now += random.nextInt(8) == 0 ? 90_000_000L : random.nextInt(2_000_000); // some large gaps
            if (random.nextInt(10) == 0) {
                continue; // lost
            }
            receiver.onPacket(seq & 0xFFFF, now);
            arrivals.put(seq & 0xFFFF, now);
            if (first[0] < 0) {
                first[0] = seq & 0xFFFF;
                first[1] = now;
            }
        }
        byte[] out = new byte[TransportCcReceiver.maxFeedbackBytes()];
        int length = receiver.writeFeedback(out, 7, 9);
        ByteBuf buf = Unpooled.wrappedBuffer(out, 0, length);

        assertThat(TransportCcFeedback.isTransportCc(buf, 0, length)).isTrue();
        long reference = TransportCcFeedback.referenceTime64ms(buf, 0) * 256L;
        List<Integer> received = new ArrayList<>();
        long[] ticks = {reference};
        boolean whole = TransportCcFeedback.visitPackets(buf, 0, length, (seq, got, delta) -> {
            if (got) {
                ticks[0] += delta;
                received.add(seq);
                long expectedTicks = Math.round((arrivals.get(seq) - first[1]) / 250_000.0);
                assertThat(ticks[0]).as("arrival of %d in 250 µs ticks since the first", seq).isEqualTo(expectedTicks);
            } else {
                assertThat(arrivals).doesNotContainKey(seq);
            }
        });

        assertThat(whole).isTrue();
        assertThat(received).hasSize(arrivals.size());
        assertThat(TransportCcFeedback.baseSequenceNumber(buf, 0)).isEqualTo((int) first[0]);
    }

    @Test
    void aNackNamesExactlyTheLostSequenceNumbers() {
        int[] lost = {65_530, 65_531, 65_535, 0, 3, 40, 41};
        byte[] nack = Rtcp.nack(1, 2, lost, lost.length);
        List<Integer> read = new ArrayList<>();

        GenericNack.forEachLostSequenceNumber(Unpooled.wrappedBuffer(nack), 0, nack.length, read::add);

        assertThat(GenericNack.isNack(Unpooled.wrappedBuffer(nack), 0, nack.length)).isTrue();
        assertThat(read).containsExactlyInAnyOrder(65_530, 65_531, 65_535, 0, 3, 40, 41);
    }

    @Test
    void aVideoReportIsAReceiverReportSdesAndRembTheServerWalks() {
        byte[] rr = Rtcp.receiverReport(0x1234L, List.of(new Rtcp.ReportBlock(0xCAFEL, 3, 17, 70_000, 0, 0, 0)));
        byte[] compound = Rtcp.compound(rr, Rtcp.sdesCname(0x1234L, "crl-viewer"), Rtcp.remb(0x1234L, 3_000_000, 0xCAFEL));
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(buf);
        List<Integer> types = new ArrayList<>();
        boolean sawRr = false;
        boolean sawRemb = false;
        while (cursor.next()) {
            types.add(cursor.packetType());
            int at = cursor.offset();
            if (ReceiverReport.isValid(buf, at, cursor.length())) {
                sawRr = true;
                int block = ReceiverReport.reportBlockOffset(at, 0);
                assertThat(ReportBlock.sourceSsrc(buf, block)).isEqualTo(0xCAFE);
                assertThat(ReportBlock.cumulativeLost(buf, block)).isEqualTo(17);
            }
            if (Remb.isRemb(buf, at, cursor.length())) {
                sawRemb = true;
                assertThat(Remb.bitrateBps(buf, at)).isBetween(2_990_000L, 3_000_000L);
                assertThat(Remb.ssrc(buf, at, 0)).isEqualTo(0xCAFE);
            }
        }

        assertThat(cursor.isMalformed()).isFalse();
        assertThat(types).containsExactly(201, 202, 206);
        assertThat(sawRr).isTrue();
        assertThat(sawRemb).isTrue();
    }
}
