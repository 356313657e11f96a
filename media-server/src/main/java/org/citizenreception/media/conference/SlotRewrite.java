package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Send stage 1: the viewer's copy gets the slot's SSRC, sequence numbers and timestamps, so the
 * viewer sees one continuous stream whoever fills the slot ({@link SlotRewriter}). Refused while
 * the slot's video waits for the new source's keyframe; a retransmission is rewritten to the number
 * it had when first sent.
 */
final class SlotRewrite extends PacketStage<OutgoingPacket> {
    private final SlotRewriter rewriter;

    SlotRewrite(StageMeter meter, SlotRewriter rewriter) {
        super(meter);
        this.rewriter = rewriter;
    }

    @Override
    protected Verdict handle(ByteBuf packet, OutgoingPacket context) {
        boolean rewritten = context.retransmission ? rewriter.rewriteRetransmission(packet) : rewriter.rewrite(packet);
        if (!rewritten) {
            context.refusedByRewriter = true;
            return Verdict.dropped(DropReason.REWRITE_REFUSED);
        }
        context.rewrittenTimestamp = RtpHeader.timestamp(packet);
        context.payloadOctets = packet.readableBytes() - RtpHeader.headerLength(packet);
        return Verdict.CONTINUE;
    }
}
