package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Random;
import org.citizenreception.media.rtp.Bytes;
import org.citizenreception.media.rtp.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Random bytes from the wire must never make a view throw once the cursor accepted a packet. */
@ExtendWith(NoLeaks.class)
class RtcpRandomBytesTest {
    @Test
    void randomDatagramsNeverThrowThroughCursorAndViews() {
        Random random = new Random(7);
        RtcpCompoundCursor cursor = new RtcpCompoundCursor();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(120)];
            random.nextBytes(bytes);
            if (bytes.length >= 4) {
                // Make most of them look like RTCP so the views are reached.
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3f));
                bytes[1] = (byte) (200 + random.nextInt(7));
                bytes[2] = 0;
                bytes[3] = (byte) random.nextInt(bytes.length / 4);
            }
            ByteBuf buf = Bytes.untracked(bytes.length + 1).writeBytes(bytes);
            cursor.reset(buf);
            while (cursor.next()) {
                readEverything(buf, cursor.offset(), cursor.length());
            }
            assertThat(buf.release()).isTrue();
        }
    }

    private static void readEverything(ByteBuf buf, int at, int length) {
        if (SenderReport.isValid(buf, at, length)) {
            for (int i = 0; i < SenderReport.reportCount(buf, at); i++) {
                ReportBlock.jitter(buf, SenderReport.reportBlockOffset(at, i));
            }
            SenderReport.octetCount(buf, at);
        }
        if (ReceiverReport.isValid(buf, at, length)) {
            for (int i = 0; i < ReceiverReport.reportCount(buf, at); i++) {
                ReportBlock.delaySinceLastSenderReport(buf, ReceiverReport.reportBlockOffset(at, i));
            }
        }
        if (RtcpHeader.packetType(buf, at) == RtcpHeader.SDES) {
            Sdes.visitItems(buf, at, length, (ssrc, type, b, index, len) -> b.getByte(index + len - 1 + (len == 0 ? 1 : 0)));
        }
        if (Bye.isValid(buf, at, length) && Bye.sourceCount(buf, at) > 0) {
            Bye.ssrc(buf, at, Bye.sourceCount(buf, at) - 1);
        }
        if (GenericNack.isNack(buf, at, length)) {
            GenericNack.forEachLostSequenceNumber(buf, at, length, seq -> { });
        }
        if (Fir.isFir(buf, at, length) && Fir.entryCount(length) > 0) {
            Fir.sequenceNumber(buf, at, Fir.entryCount(length) - 1);
        }
        if (Remb.isRemb(buf, at, length)) {
            Remb.bitrateBps(buf, at);
            if (Remb.ssrcCount(buf, at) > 0) {
                Remb.ssrc(buf, at, Remb.ssrcCount(buf, at) - 1);
            }
        }
        if (TransportCcFeedback.isTransportCc(buf, at, length)) {
            TransportCcFeedback.visitPackets(buf, at, length, (seq, received, delta) -> { });
        }
    }
}
