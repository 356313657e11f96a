package org.citizenreception.media.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The one UDP socket every endpoint shares. Epoll when the native transport loads, NIO otherwise.
 *
 * <p>Buffer ownership: {@link SimpleChannelInboundHandler} releases each datagram after
 * {@code channelRead0} returns; a stage that keeps a buffer beyond that must retain it.
 */
public final class UdpTransport implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private UdpTransport(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static UdpTransport bind(String host, int port, MeterRegistry meters) {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Counter dropped = Counter.builder("reception_media_packets_dropped")
                .description("datagrams dropped because no stage accepted them")
                .tag("reason", "unrouted")
                .register(meters);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        dropped.increment();
                    }
                });
        try {
            Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            return new UdpTransport(group, channel);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            // Epoll reports a taken port as a NativeIoException, NIO as a BindException: say it the same way.
            throw new UncheckedIOException("cannot bind udp " + host + ":" + port + ": " + e.getMessage(),
                    e instanceof java.io.IOException io ? io : new java.io.IOException(e));
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
