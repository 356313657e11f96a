package org.citizenreception.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits datagrams per RFC 7983: STUN goes to the ICE agent whatever the sender (a binding
 * request is how an address gets known); DTLS and RTP/RTCP go to the receiver bound to the
 * sender's address, or are dropped as {@link DropReason#UNKNOWN_ADDRESS}.
 *
 * <p>Ownership: takes each {@link DatagramPacket}; its content is passed on (ownership moves
 * to the receiver) or released here when dropped.
 */
final class DemultiplexingHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DemultiplexingHandler.class);

    private final DatagramReceiver stunReceiver;
    private final EndpointAddressTable addresses;
    private final MediaMetrics metrics;
    private final UdpTransport transport;

    DemultiplexingHandler(DatagramReceiver stunReceiver, EndpointAddressTable addresses, MediaMetrics metrics,
                          UdpTransport transport) {
        this.stunReceiver = stunReceiver;
        this.addresses = addresses;
        this.metrics = metrics;
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        metrics.received(length);
        if (length == 0) {
            metrics.dropped(DropReason.UNKNOWN_TYPE);
            content.release();
            return;
        }
        PacketKind kind = PacketKind.classify(content.getByte(content.readerIndex()));
        try {
            switch (kind) {
                case STUN -> stunReceiver.receive(content, packet.sender());
                case DTLS, RTP_OR_RTCP -> {
                    DatagramReceiver receiver = addresses.lookup(packet.sender());
                    if (receiver == null) {
                        metrics.dropped(DropReason.UNKNOWN_ADDRESS);
                        content.release();
                    } else {
                        receiver.receive(content, packet.sender());
                    }
                }
                default -> {
                    metrics.dropped(DropReason.UNKNOWN_TYPE);
                    content.release();
                }
            }
        } catch (RuntimeException e) {
            // The receiver owned the buffer when it threw; a receiver that throws is a bug we log, not a
            // reason to stop reading the socket for every other endpoint.
            log.warn("receiver of a {} datagram failed", kind, e);
        } finally {
            // this datagram's fan-out leaves now, not after the rest of the recvmmsg batch
            transport.flushPending();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        transport.flushPending();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("udp socket error", cause);
    }
}
