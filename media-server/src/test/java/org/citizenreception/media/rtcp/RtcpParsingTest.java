package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.rtp.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RtcpParsingTest {
    private static final String SR = "80c80006 11223344 e54f0e1a 80000000 00015f90 0000000a 000003e8";
    private static final String SDES_CNAME_ABCD = "81ca0003 11223344 01046162 63640000";
    private static final String RR_ONE_BLOCK = "81c90007 00000001 11223344 40fffffe 00010005 00000010 0f1a8000 00010000";

    @Test
    void cursorWalksACompoundSenderReportAndSdes() {
        ByteBuf buf = hex(SR + SDES_CNAME_ABCD);
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(buf);

        assertThat(cursor.next()).isTrue();
        assertThat(cursor.packetType()).isEqualTo(RtcpHeader.SR);
        assertThat(cursor.offset()).isZero();
        assertThat(cursor.length()).isEqualTo(28);
        int sr = cursor.offset();
        assertThat(SenderReport.isValid(buf, sr, cursor.length())).isTrue();
        assertThat(SenderReport.senderSsrc(buf, sr)).isEqualTo(0x11223344);
        assertThat(SenderReport.ntpTimestamp(buf, sr)).isEqualTo(0xe54f0e1a80000000L);
        assertThat(SenderReport.compactNtp(SenderReport.ntpTimestamp(buf, sr))).isEqualTo(0x0e1a8000);
        assertThat(SenderReport.rtpTimestamp(buf, sr)).isEqualTo(90_000);
        assertThat(SenderReport.packetCount(buf, sr)).isEqualTo(10);
        assertThat(SenderReport.octetCount(buf, sr)).isEqualTo(1000);
        assertThat(SenderReport.reportCount(buf, sr)).isZero();

        assertThat(cursor.next()).isTrue();
        assertThat(cursor.packetType()).isEqualTo(RtcpHeader.SDES);
        assertThat(Sdes.cname(buf, cursor.offset(), cursor.length(), 0x11223344)).isEqualTo("abcd");

        assertThat(cursor.next()).isFalse();
        assertThat(cursor.isMalformed()).isFalse();
        assertThat(RtcpCompoundCursor.isValidCompound(buf)).isTrue();
        assertThat(buf.release()).isTrue();
    }

    @Test
    void receiverReportBlockFieldsIncludingNegativeCumulativeLoss() {
        ByteBuf buf = hex(RR_ONE_BLOCK);
        assertThat(ReceiverReport.isValid(buf, 0, buf.readableBytes())).isTrue();
        assertThat(ReceiverReport.reportCount(buf, 0)).isEqualTo(1);
        int block = ReceiverReport.reportBlockOffset(0, 0);
        assertThat(ReportBlock.sourceSsrc(buf, block)).isEqualTo(0x11223344);
        assertThat(ReportBlock.fractionLost(buf, block)).isEqualTo(64);
        assertThat(ReportBlock.cumulativeLost(buf, block)).isEqualTo(-2);
        assertThat(ReportBlock.extendedHighestSequenceNumber(buf, block)).isEqualTo(0x10005);
        assertThat(ReportBlock.jitter(buf, block)).isEqualTo(16);
        assertThat(ReportBlock.lastSenderReport(buf, block)).isEqualTo(0x0f1a8000);
        assertThat(ReportBlock.delaySinceLastSenderReport(buf, block)).isEqualTo(0x10000);
        buf.release();
    }

    @Test
    void byeListsItsSources() {
        ByteBuf buf = hex("82cb0002 11223344 55667788");
        assertThat(Bye.isValid(buf, 0, 12)).isTrue();
        assertThat(Bye.sourceCount(buf, 0)).isEqualTo(2);
        assertThat(Bye.ssrc(buf, 0, 1)).isEqualTo(0x55667788);
        buf.release();
    }

    @Test
    void nackExpandsPidAndBitmaskAcrossTheWrap() {
        // PID 65534 with BLP 0x000b: 65535, 0 and 2 lost as well; then PID 10 alone.
        ByteBuf buf = hex("81cd0004 00000001 11223344 fffe000b 000a0000");
        assertThat(GenericNack.isNack(buf, 0, buf.readableBytes())).isTrue();
        assertThat(GenericNack.mediaSsrc(buf, 0)).isEqualTo(0x11223344);
        assertThat(GenericNack.lostCount(buf, 0, buf.readableBytes())).isEqualTo(5);
        List<Integer> lost = new ArrayList<>();
        GenericNack.forEachLostSequenceNumber(buf, 0, buf.readableBytes(), lost::add);
        assertThat(lost).containsExactly(65534, 65535, 0, 2, 10);
        buf.release();
    }

    @Test
    void pliFirAndRembAreRecognised() {
        ByteBuf pli = hex("81ce0002 00000001 11223344");
        assertThat(Pli.isPli(pli, 0, 12)).isTrue();
        assertThat(Pli.mediaSsrc(pli, 0)).isEqualTo(0x11223344);
        assertThat(Fir.isFir(pli, 0, 12)).isFalse();
        pli.release();

        ByteBuf fir = hex("84ce0004 00000001 00000000 11223344 05000000");
        assertThat(Fir.isFir(fir, 0, 20)).isTrue();
        assertThat(Fir.entryCount(20)).isEqualTo(1);
        assertThat(Fir.targetSsrc(fir, 0, 0)).isEqualTo(0x11223344);
        assertThat(Fir.sequenceNumber(fir, 0, 0)).isEqualTo(5);
        fir.release();

        ByteBuf remb = hex("8fce0005 00000001 00000000 52454d42 010bd090 11223344");
        assertThat(Remb.isRemb(remb, 0, 24)).isTrue();
        assertThat(Remb.bitrateBps(remb, 0)).isEqualTo(1_000_000);
        assertThat(Remb.ssrcCount(remb, 0)).isEqualTo(1);
        assertThat(Remb.ssrc(remb, 0, 0)).isEqualTo(0x11223344);
        assertThat(Remb.isRemb(remb, 0, 20)).as("SSRC list cut off").isFalse();
        remb.release();
    }

    @Test
    void cursorStopsOnTruncatedOrWrongVersionPacketsAfterTheGoodOnes() {
        ByteBuf truncated = hex(SR + "81ca0009 11223344");
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(truncated);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.isMalformed()).isTrue();
        truncated.release();

        for (String bad : new String[] {"", "80", "40c80000", "80c8ffff 00000000"}) {
            ByteBuf buf = hex(bad);
            assertThat(RtcpCompoundCursor.isValidCompound(buf)).as(bad).isFalse();
            buf.release();
        }
    }
}
