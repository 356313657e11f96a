package org.citizenreception.media.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TcpMetrics;

/**
 * ICE-TCP (RFC 6544) passive candidates: one listening socket whose connections carry the same
 * STUN, DTLS and SRTP as the UDP port, each packet framed by a 16-bit length (RFC 4571). For rooms
 * whose firewall lets no UDP out (port 443 when this server is the front door).
 *
 * <p>The listener and every connection run on {@link UdpTransport}'s one event loop, so an
 * endpoint reached over TCP goes through the same stages, on the same thread, as one over UDP, and
 * its writes are flushed at the same moments (after each incoming packet, or by a task queued behind
 * a timer's writes).
 *
 * <p>Each connection's outbound queue is bounded by {@link #HIGH_WATER_BYTES}: above it packets are
 * dropped and counted ({@link TcpConnection#send}), which bounds what a stalled viewer costs in
 * memory and never delays the others.
 */
public final class TcpTransport implements AutoCloseable {
    /** The longest frame payload: any packet the bridge accepts over UDP; a longer one closes the connection. */
    static final int MAX_FRAME_BYTES = UdpTransport.MAX_DATAGRAM_BYTES;
    /**
     * About a second of a 2 Mbit/s viewer's media: a line that falls this far behind loses packets
     * (NACK and the next keyframe repair it) rather than growing a queue that would only add delay.
     */
    static final int HIGH_WATER_BYTES = 256 * 1024;
    static final int LOW_WATER_BYTES = 64 * 1024;

    private final EventLoop eventLoop;
    private final TcpMetrics metrics;
    /** Set once bound, before {@link #bind} returns. */
    private volatile Channel serverChannel;
    /** Event loop only: connections written to since the last flush. */
    private final List<TcpConnection> unflushed = new ArrayList<>();
    private boolean flushScheduled;
    private final Runnable flushTask = () -> {
        flushScheduled = false;
        flushPending();
    };

    private TcpTransport(EventLoop eventLoop, TcpMetrics metrics) {
        this.eventLoop = eventLoop;
        this.metrics = metrics;
    }

    /**
     * Listens on {@code host:port} on {@code udp}'s event loop and tells {@code udp} to flush this
     * transport's writes with its own; throws {@link UncheckedIOException} when the port cannot be bound.
     *
     * @param stunReceiver gets every STUN frame (ownership passes), with the connection's address as sender
     */
    public static TcpTransport bind(UdpTransport udp, String host, int port, MediaMetrics metrics, TcpMetrics tcpMetrics,
                                    DatagramReceiver stunReceiver) {
        // exists before the first connection can be accepted, which may be before bind() returns
        TcpTransport transport = new TcpTransport(udp.eventLoop(), tcpMetrics);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(udp.eventLoopGroup(), udp.eventLoopGroup())
                .channel(udp.isEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true) // media: a packet waits for no other
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER_BYTES, HIGH_WATER_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        TcpConnection connection = new TcpConnection(ch, transport, tcpMetrics);
                        ch.pipeline().addLast(frameDecoder(),
                                new TcpFrameHandler(connection, stunReceiver, metrics, tcpMetrics, udp::flushPending));
                    }
                });
        try {
            transport.serverChannel = bootstrap.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new UncheckedIOException("cannot listen on tcp " + host + ":" + port + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        udp.attach(transport);
        return transport;
    }

    /**
     * RFC 4571: a 16-bit length, then that many bytes; the length is stripped, a frame over the limit
     * fails fast. Netty's limit counts the length field too, hence the sum (the fuzz test found a
     * 2,048-byte packet refused).
     */
    static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(TcpConnection.LENGTH_PREFIX_BYTES + MAX_FRAME_BYTES, 0,
                TcpConnection.LENGTH_PREFIX_BYTES, 0, TcpConnection.LENGTH_PREFIX_BYTES);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Event loop: {@code connection} has unflushed writes; they leave at the next {@link #flushPending}. */
    void flushLater(TcpConnection connection) {
        unflushed.add(connection);
        if (!flushScheduled) {
            flushScheduled = true;
            eventLoop.execute(flushTask);
        }
    }

    /** Event loop: hands every connection's pending writes to the kernel (one writev each). */
    void flushPending() {
        if (unflushed.isEmpty()) {
            return;
        }
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }

    public TcpMetrics metrics() {
        return metrics;
    }

    /** Stops accepting; open connections close with the event loop ({@link UdpTransport#close}). */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
