package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 2: RTCP leaves the media path here for {@link IncomingRtcp} (which borrows it; this
 * stage releases it after), and RTP goes on only if its header parses, so later stages may read
 * the header without checking.
 */
final class RtcpSplit extends PacketStage<ReceivedPacket> {
    /** Reads a decrypted compound RTCP packet it only borrows. */
    interface RtcpReader {
        void read(ByteBuf rtcp);
    }

    private final RtcpReader rtcp;

    RtcpSplit(StageMeter meter, RtcpReader rtcp) {
        super(meter);
        this.rtcp = rtcp;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        if (context.rtcp) {
            try {
                rtcp.read(packet);
            } finally {
                packet.release();
            }
            return Verdict.CONSUMED;
        }
        if (RtpHeader.headerLength(packet) < 0) {
            return Verdict.dropped(DropReason.RTP_MALFORMED);
        }
        return Verdict.CONTINUE;
    }
}
