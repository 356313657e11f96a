package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import org.citizenreception.media.rtp.WireBytes;

/**
 * A compound RTCP datagram as a viewer or publisher can send it (after SRTCP), walked the way the
 * endpoint walks it: the cursor, then the view each packet type selects — SR/RR report blocks, SDES
 * items, BYE, PLI, FIR, generic NACK, REMB, transport-wide congestion control feedback.
 * Contract: the cursor stops on malformed bytes (never throws); a packet it accepts lies inside
 * the datagram; the views never read outside it; one NACK packet asks for at most 17 sequence
 * numbers per FCI entry (its wire form), so its cost is bounded by its size.
 */
class RtcpCompoundFuzzTest {
    private final RtcpCompoundCursor cursor = new RtcpCompoundCursor();

    @FuzzTest(maxDuration = "10m")
    void compoundPacketsAreWalkedWithinTheirBytes(byte[] datagram) {
        ByteBuf buf = WireBytes.exact(datagram, datagram.length % 3);
        try {
            cursor.reset(buf);
            int end = buf.writerIndex();
            while (cursor.next()) {
                int at = cursor.offset();
                int length = cursor.length();
                assertThat(length).isGreaterThanOrEqualTo(RtcpHeader.LENGTH);
                assertThat(at + length).as("a packet the cursor accepts ends inside the datagram").isLessThanOrEqualTo(end);
                readAsTheEndpointDoes(buf, at, length);
            }
            assertThat(RtcpCompoundCursor.isValidCompound(buf)).isEqualTo(!cursor.isMalformed());
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    private static void readAsTheEndpointDoes(ByteBuf buf, int at, int length) {
        if (Pli.isPli(buf, at, length)) {
            Pli.mediaSsrc(buf, at);
        }
        if (Fir.isFir(buf, at, length)) {
            for (int i = 0; i < Fir.entryCount(length); i++) {
                Fir.targetSsrc(buf, at, i);
                Fir.sequenceNumber(buf, at, i);
            }
        }
        if (GenericNack.isNack(buf, at, length)) {
            GenericNack.mediaSsrc(buf, at);
            int[] asked = new int[1];
            GenericNack.forEachLostSequenceNumber(buf, at, length, seq -> {
                assertThat(seq).isBetween(0, 0xffff);
                asked[0]++;
            });
            assertThat(asked[0]).isLessThanOrEqualTo(17 * GenericNack.fciCount(length));
            assertThat(GenericNack.lostCount(buf, at, length)).isEqualTo(asked[0]);
        }
        if (ReceiverReport.isValid(buf, at, length)) {
            ReceiverReport.senderSsrc(buf, at);
            for (int i = 0; i < ReceiverReport.reportCount(buf, at); i++) {
                readReportBlock(buf, ReceiverReport.reportBlockOffset(at, i), at + length);
            }
        }
        if (SenderReport.isValid(buf, at, length)) {
            SenderReport.senderSsrc(buf, at);
            SenderReport.ntpTimestamp(buf, at);
            SenderReport.rtpTimestamp(buf, at);
            SenderReport.packetCount(buf, at);
            SenderReport.octetCount(buf, at);
            for (int i = 0; i < SenderReport.reportCount(buf, at); i++) {
                readReportBlock(buf, SenderReport.reportBlockOffset(at, i), at + length);
            }
        }
        if (RtcpHeader.packetType(buf, at) == RtcpHeader.SDES) {
            Sdes.visitItems(buf, at, length, (ssrc, type, b, index, itemLength) -> {
                assertThat(index + itemLength).as("an SDES item ends inside its packet").isLessThanOrEqualTo(at + length);
            });
            Sdes.cname(buf, at, length, 1);
        }
        if (Bye.isValid(buf, at, length)) {
            for (int i = 0; i < Bye.sourceCount(buf, at); i++) {
                Bye.ssrc(buf, at, i);
            }
        }
        if (Remb.isRemb(buf, at, length)) {
            assertThat(Remb.bitrateBps(buf, at)).isNotNegative();
            for (int i = 0; i < Remb.ssrcCount(buf, at); i++) {
                Remb.ssrc(buf, at, i);
            }
        }
        if (TransportCcFeedback.isTransportCc(buf, at, length)) {
            TransportCcFeedback.baseSequenceNumber(buf, at);
            TransportCcFeedback.referenceTime64ms(buf, at);
            TransportCcFeedback.feedbackPacketCount(buf, at);
            int statusCount = TransportCcFeedback.packetStatusCount(buf, at);
            int[] visited = new int[1];
            TransportCcFeedback.visitPackets(buf, at, length, (seq, received, delta) -> visited[0]++);
            assertThat(visited[0]).as("never more packets than the status count says").isLessThanOrEqualTo(statusCount);
        }
    }

    private static void readReportBlock(ByteBuf buf, int block, int packetEnd) {
        assertThat(block + ReportBlock.LENGTH).as("a report block ends inside its packet").isLessThanOrEqualTo(packetEnd);
        ReportBlock.sourceSsrc(buf, block);
        ReportBlock.fractionLost(buf, block);
        ReportBlock.cumulativeLost(buf, block);
        ReportBlock.extendedHighestSequenceNumber(buf, block);
        ReportBlock.jitter(buf, block);
        ReportBlock.lastSenderReport(buf, block);
        ReportBlock.delaySinceLastSenderReport(buf, block);
    }
}
