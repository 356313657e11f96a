package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Send stage 3: encrypts the copy in place with the viewer's SRTP context (the copy was made with
 * room for the tag). The copies differ per viewer from here on.
 */
final class SrtpProtect extends PacketStage<OutgoingPacket> {
    SrtpProtect(StageMeter meter) {
        super(meter);
    }

    @Override
    protected Verdict handle(ByteBuf packet, OutgoingPacket context) {
        return context.srtp.protectRtp(packet) ? Verdict.CONTINUE : Verdict.dropped(DropReason.SRTP_PROTECT_FAILED);
    }
}
