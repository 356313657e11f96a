package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Send stage 4, the last: hands the encrypted packet to the viewer's connection, which writes it
 * to the selected address (on the event loop flushed with the rest of the fan-out, sendmmsg).
 * Consumes the packet: the transport owns it from here.
 */
final class SendToViewer extends PacketStage<OutgoingPacket> {
    private final Endpoint viewer;

    SendToViewer(StageMeter meter, Endpoint viewer) {
        super(meter);
        this.viewer = viewer;
    }

    @Override
    protected Verdict handle(ByteBuf packet, OutgoingPacket context) {
        if (viewer.remoteAddress() == null || viewer.isClosed()) {
            return Verdict.dropped(DropReason.NO_REMOTE);
        }
        viewer.send(packet);
        context.sent = true;
        return Verdict.CONSUMED;
    }
}
