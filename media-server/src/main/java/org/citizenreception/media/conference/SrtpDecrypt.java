package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.RtcpOrRtp;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 1: SRTP or SRTCP to plain RTP or RTCP, in place, with the endpoint's contexts. A
 * packet that does not authenticate is dropped; one that does proves its sender, which is told to
 * the connection (statistics, and following a NAT rebinding). Takes a heap buffer (jitsi-srtp works
 * on arrays) and passes the same buffer on.
 */
final class SrtpDecrypt extends PacketStage<ReceivedPacket> {
    /** The connection's side of a packet that authenticated. */
    interface Authenticated {
        /**
         * @param encryptedLength the datagram's length as received
         * @param elsewhere       the sender when it is not the selected address, else null
         */
        void authenticated(int encryptedLength, InetSocketAddress elsewhere);
    }

    private final Authenticated connection;

    SrtpDecrypt(StageMeter meter, Authenticated connection) {
        super(meter);
        this.connection = connection;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        int length = packet.readableBytes();
        boolean rtcp = RtcpOrRtp.isRtcp(packet);
        boolean authentic = rtcp ? context.srtp.unprotectRtcp(packet) : context.srtp.unprotectRtp(packet);
        if (!authentic) {
            return Verdict.dropped(DropReason.SRTP_AUTH_FAILED);
        }
        context.rtcp = rtcp;
        connection.authenticated(length, context.elsewhere);
        return Verdict.CONTINUE;
    }
}
