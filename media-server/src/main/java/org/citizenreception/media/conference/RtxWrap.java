package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtxPacketizer;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Send stage 2: a retransmission goes out as RFC 4588 RTX when the viewer negotiated it, on its own
 * SSRC and sequence numbers (the viewer's SRTP replay window then never sees an old sequence
 * number, and its stats count the repair), turned in place (the copy was made with room for the
 * original sequence number). Live packets, and every packet of a viewer without RTX, pass as they are.
 */
final class RtxWrap extends PacketStage<OutgoingPacket> {
    private final int rtxSsrc;
    private final int rtxPayloadType;
    /** The RTX stream's own sequence numbers (random start, RFC 3550 5.1). */
    private int rtxSequence = ThreadLocalRandom.current().nextInt(1 << 16);

    /** @param rtxPayloadType the viewer's RTX payload type, or -1 when it has none */
    RtxWrap(StageMeter meter, int rtxSsrc, int rtxPayloadType) {
        super(meter);
        this.rtxSsrc = rtxSsrc;
        this.rtxPayloadType = rtxPayloadType;
    }

    @Override
    protected Verdict handle(ByteBuf packet, OutgoingPacket context) {
        if (context.padding) {
            RtpHeader.setSequenceNumber(packet, rtxSequence++ & 0xFFFF);
            return Verdict.CONTINUE;
        }
        if (!context.retransmission || rtxPayloadType < 0) {
            return Verdict.CONTINUE;
        }
        if (!RtxPacketizer.wrapInPlace(packet, rtxSsrc, rtxPayloadType, rtxSequence++ & 0xFFFF)) {
            return Verdict.dropped(DropReason.RTP_MALFORMED);
        }
        return Verdict.CONTINUE;
    }
}
