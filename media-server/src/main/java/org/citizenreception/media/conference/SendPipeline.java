package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.StageMeter.Direction;

/**
 * The way out to one viewer for one slot, as stages in packet order (read the constructor top to
 * bottom): rewrite into the slot's numbering, RTX for a retransmission, SRTP, send. One per
 * {@link Subscription}; run by one thread at a time (see {@link OutgoingPacket}).
 *
 * <p>Ownership: {@link #send} takes the viewer's own pooled copy (plain RTP with room for the
 * SRTP tag, and for the RTX header when a retransmission); the stage that drops it has it released,
 * the last one passes it to the transport.
 */
final class SendPipeline {
    private final OutgoingPacket context = new OutgoingPacket();
    private final PacketStage<OutgoingPacket>[] stages;

    @SuppressWarnings("unchecked")
    SendPipeline(Endpoint viewer, SlotRewriter rewriter, int rtxSsrc, int rtxPayloadType) {
        MediaMetrics metrics = viewer.context().metrics();
        this.stages = new PacketStage[] {
                new SlotRewrite(metrics.stage(Direction.SEND, "rewrite"), rewriter),
                new RtxWrap(metrics.stage(Direction.SEND, "rtx"), rtxSsrc, rtxPayloadType),
                new SrtpProtect(metrics.stage(Direction.SEND, "srtp_protect")),
                new SendToViewer(metrics.stage(Direction.SEND, "send"), viewer),
        };
    }

    /**
     * Takes ownership of {@code copy} and sends it with {@code srtp}.
     *
     * @return what the stages learnt; {@code sent} tells whether it left
     */
    OutgoingPacket send(ByteBuf copy, SrtpTransformer srtp, boolean retransmission) {
        OutgoingPacket facts = context.reset(srtp, retransmission);
        for (int i = 0; i < stages.length; i++) {
            if (!stages[i].process(copy, facts)) {
                return facts;
            }
        }
        copy.release();
        return facts;
    }

    /**
     * Takes ownership of {@code padding}, a padding-only RTX packet already on the viewer's RTX SSRC,
     * and sends it past the rewrite stage (it belongs to no source) with the next RTX sequence number.
     * True when it left.
     */
    boolean sendPadding(ByteBuf padding, SrtpTransformer srtp) {
        OutgoingPacket facts = context.reset(srtp, false);
        facts.padding = true;
        for (int i = 1; i < stages.length; i++) {
            if (!stages[i].process(padding, facts)) {
                return facts.sent;
            }
        }
        padding.release();
        return facts.sent;
    }
}
