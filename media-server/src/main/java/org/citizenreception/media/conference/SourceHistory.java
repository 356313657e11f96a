package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 5: the stream's own record of the packet: its highest sequence number (receiver
 * reports), the gaps the bridge will NACK upstream, and for video a retained reference in the
 * retransmission buffer (viewers' NACKs, fast start). An observer: it never drops.
 */
final class SourceHistory extends PacketStage<ReceivedPacket> {
    SourceHistory(StageMeter meter) {
        super(meter);
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        context.source.recordArrival(RtpHeader.sequenceNumber(packet), packet);
        return Verdict.CONTINUE;
    }
}
