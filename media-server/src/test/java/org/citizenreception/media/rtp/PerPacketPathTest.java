package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.RtcpCompoundCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The classes of this package wired the way the bridge uses them per packet (DESIGN.md, "What the
 * bridge does per packet"), as an executable example for the connectivity code: store, fan out a
 * rewritten copy per viewer, answer a viewer's NACK with RTX in the viewer's own numbering.
 */
@ExtendWith(NoLeaks.class)
class PerPacketPathTest {
    private static final int HOST = 0x11111111;
    private static final int VIEWER_VIDEO = 0x0A0A0A0A;
    private static final int VIEWER_RTX = 0x0B0B0B0B;
    private static final int VIEWER_RECEIVER = 0x0C0C0C0C;
    private static final int RTX_PAYLOAD_TYPE = 97;

    private final FakeNanoClock clock = new FakeNanoClock();
    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;

    @Test
    void aViewersNackIsAnsweredFromTheBufferAsRtxInTheViewersNumbering() {
        RetransmissionBuffer history = RetransmissionBuffer.forVideo(clock);
        SlotRewriter viewer = SlotRewriter.forVideo(VIEWER_VIDEO, 90_000, clock);
        viewer.switchTo(HOST, VideoCodec.VP8);
        List<ByteBuf> sentToViewer = new ArrayList<>();

        for (int seq = 40_000; seq < 40_010; seq++) {
            ByteBuf decrypted = TestPackets.vp8(HOST, seq, seq * 3000, seq & 0x7FFF, 1, seq == 40_000);
            history.insert(seq, decrypted.retainedDuplicate());
            if (viewer.accepts(RtpHeader.ssrc(decrypted))) {
                ByteBuf copy = allocator.directBuffer(decrypted.readableBytes() + 16); // room for the SRTP tag
                copy.writeBytes(decrypted, decrypted.readerIndex(), decrypted.readableBytes());
                if (viewer.rewrite(copy)) {
                    sentToViewer.add(copy); // the transport would encrypt and send, then release
                } else {
                    copy.release();
                }
            }
            decrypted.release();
            clock.advanceMillis(33);
        }
        assertThat(sentToViewer).hasSize(10);
        int lostOnTheWayToViewer = RtpHeader.sequenceNumber(sentToViewer.get(4));

        ByteBuf nack = allocator.directBuffer();
        GenericNack.write(nack, VIEWER_RECEIVER, VIEWER_VIDEO, new int[] {lostOnTheWayToViewer}, 0, 1);
        List<ByteBuf> retransmissions = new ArrayList<>();
        int[] rtxSeq = {0};
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(nack);
        while (cursor.next()) {
            if (GenericNack.isNack(nack, cursor.offset(), cursor.length())) {
                GenericNack.forEachLostSequenceNumber(nack, cursor.offset(), cursor.length(), outgoingSeq -> {
                    int sourceSeq = viewer.incomingSequenceNumberOf(outgoingSeq);
                    ByteBuf stored = sourceSeq < 0 ? null : history.get(sourceSeq);
                    if (stored == null) {
                        return;
                    }
                    ByteBuf copy = stored.copy();
                    stored.release();
                    if (viewer.rewriteRetransmission(copy)) {
                        retransmissions.add(RtxPacketizer.wrap(allocator, copy, VIEWER_RTX, RTX_PAYLOAD_TYPE, rtxSeq[0]++));
                    }
                    copy.release();
                });
            }
        }
        nack.release();

        assertThat(retransmissions).hasSize(1);
        ByteBuf rtx = retransmissions.get(0);
        assertThat(RtpHeader.ssrc(rtx)).isEqualTo(VIEWER_RTX);
        assertThat(RtpHeader.payloadType(rtx)).isEqualTo(RTX_PAYLOAD_TYPE);
        assertThat(RtxPacketizer.originalSequenceNumber(rtx)).isEqualTo(lostOnTheWayToViewer);
        assertThat(RtxPacketizer.unwrap(rtx, VIEWER_VIDEO, 96)).isTrue();
        assertThat(rtx.readableBytes()).isEqualTo(sentToViewer.get(4).readableBytes());
        assertThat(rtx.slice().equals(sentToViewer.get(4).slice())).as("the viewer recovers the exact bytes").isTrue();

        rtx.release();
        sentToViewer.forEach(ByteBuf::release);
        history.close();
    }
}
