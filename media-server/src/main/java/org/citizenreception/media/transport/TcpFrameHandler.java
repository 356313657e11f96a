package org.citizenreception.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TcpMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the RFC 4571 frames of one ICE-TCP connection as {@link DemultiplexingHandler} routes
 * datagrams (RFC 7983 by the first byte): STUN to the ICE agent, DTLS and SRTP to the endpoint the
 * connection is bound to. Unlike UDP, one connection carries one peer's stream only, so a frame that
 * is empty, oversized or none of the three kinds means the stream is not ICE-TCP (or is out of
 * step): the connection closes and is counted; other connections never notice. A connection on which
 * no binding request authenticates within {@link #UNAUTHENTICATED_TIMEOUT_MILLIS} is closed too, so
 * idle sockets cannot pile up.
 *
 * <p>Ownership: takes each frame (a retained slice of the decoder's cumulation); it is passed on
 * (ownership moves to the receiver) or released here.
 */
final class TcpFrameHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpFrameHandler.class);
    /** Longer than any ICE check schedule takes to reach a candidate pair, short enough to shed port scanners. */
    static final long UNAUTHENTICATED_TIMEOUT_MILLIS = 10_000;

    private final TcpConnection connection;
    private final DatagramReceiver stunReceiver;
    private final MediaMetrics metrics;
    private final TcpMetrics tcpMetrics;
    /** Hands this frame's answers (and any fan-out it caused) to the kernel, as after each UDP datagram. */
    private final Runnable flushAfterFrame;
    private ScheduledFuture<?> unauthenticatedTimer;
    private boolean closing;

    TcpFrameHandler(TcpConnection connection, DatagramReceiver stunReceiver, MediaMetrics metrics, TcpMetrics tcpMetrics,
                    Runnable flushAfterFrame) {
        this.connection = connection;
        this.stunReceiver = stunReceiver;
        this.metrics = metrics;
        this.tcpMetrics = tcpMetrics;
        this.flushAfterFrame = flushAfterFrame;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        tcpMetrics.connectionOpened();
        unauthenticatedTimer = ctx.executor().schedule(() -> {
            if (connection.receiver() == null && ctx.channel().isActive()) {
                tcpMetrics.closedUnauthenticated();
                ctx.close();
            }
        }, UNAUTHENTICATED_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        tcpMetrics.connectionClosed();
        if (unauthenticatedTimer != null) {
            unauthenticatedTimer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        int length = frame.readableBytes();
        if (closing) {
            frame.release(); // the rest of a read after a framing error
            return;
        }
        tcpMetrics.received(TcpConnection.LENGTH_PREFIX_BYTES + length);
        metrics.received(length);
        PacketKind kind = length == 0 ? PacketKind.UNKNOWN : PacketKind.classify(frame.getByte(frame.readerIndex()));
        try {
            switch (kind) {
                case STUN -> stunReceiver.receive(frame, connection.address());
                case DTLS, RTP_OR_RTCP -> {
                    DatagramReceiver receiver = connection.receiver();
                    if (receiver == null) {
                        metrics.dropped(DropReason.UNKNOWN_ADDRESS);
                        frame.release();
                    } else {
                        receiver.receive(frame, connection.address());
                    }
                }
                default -> {
                    frame.release();
                    closeForFraming(ctx);
                }
            }
        } catch (RuntimeException e) {
            // the receiver owned the frame when it threw; see DemultiplexingHandler
            log.warn("receiver of a {} frame from {} failed", kind, connection, e);
        } finally {
            flushAfterFrame.run();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            closeForFraming(ctx);
            return;
        }
        // a reset by a client that left is routine; anything else closes this connection only
        log.debug("ice-tcp connection {} failed: {}", connection, cause.toString());
        ctx.close();
    }

    private void closeForFraming(ChannelHandlerContext ctx) {
        if (!closing) {
            closing = true;
            tcpMetrics.framingError();
            log.info("ice-tcp connection {} closed: not RFC 4571 framed STUN, DTLS or RTP", connection);
            ctx.close();
        }
    }
}
