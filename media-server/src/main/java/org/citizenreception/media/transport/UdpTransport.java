package org.citizenreception.media.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ResourceLeakDetector;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.stats.MediaMetrics;

/**
 * The one UDP socket every endpoint shares, on one event loop thread. Epoll when the native
 * transport loads, NIO otherwise.
 *
 * <p>On epoll, {@link EpollChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE} plus a receive buffer of
 * {@value #DATAGRAMS_PER_READ} times that size makes Netty use recvmmsg: one syscall reads up to
 * that many datagrams, each handed on as a slice of the one pooled buffer. What the handling of
 * one datagram writes is flushed before the next is handled (see {@link #send}).
 */
public final class UdpTransport implements PacketSender, AutoCloseable {
    /** Above any MTU we meet; a larger datagram is truncated by the kernel and fails to parse. */
    static final int MAX_DATAGRAM_BYTES = 2048;
    static final int DATAGRAMS_PER_READ = 32;
    /** 4 MiB socket buffers ride out a burst of keyframes to 200 viewers without kernel drops. */
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /**
     * Writes made on the event loop reach the kernel at least every this many datagrams (one
     * sendmmsg each), so the first viewers of a 200-viewer fan-out are not held back until the
     * last one's copy is encrypted; small enough to bound that wait, large enough to keep syscalls
     * a small share of the cost.
     */
    static final int FLUSH_EVERY_DATAGRAMS = 32;

    /** The event loop group this transport shuts down on close; null for a link socket (see {@link #bindBeside}). */
    private final EventLoopGroup group;
    /** For a link socket: the bridge's transport, whose fan-out helpers it shares; null otherwise. */
    private final UdpTransport parent;
    private final Channel channel;
    private final MediaMetrics metrics;
    /**
     * Helper threads sharing a long fan-out ({@value #FANOUT_HELPERS_PROPERTY}; default one per further
     * core): they shorten one packet's fan-out, never its CPU, which the hand-off adds to.
     */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    static final String FANOUT_HELPERS_PROPERTY = "reception.media.fanout-helpers";
    private final ParallelFanOut fanOut;
    private final Consumer<List<DatagramPacket>> writeHeld = this::writeHeld;
    /** Event loop only: datagrams written and not yet flushed, and whether {@link #flushTask} is queued. */
    private int unflushed;
    private boolean flushScheduled;
    private final Runnable flushTask = () -> {
        flushScheduled = false;
        flushPending();
    };

    /** The ICE-TCP listener whose writes are flushed with ours, or null; set once at start (never on a link socket). */
    private volatile TcpTransport tcp;

    private UdpTransport(EventLoopGroup group, UdpTransport parent, Channel channel, MediaMetrics metrics) {
        this.group = group;
        this.parent = parent;
        this.channel = channel;
        this.metrics = metrics;
        this.fanOut = parent != null ? null : new ParallelFanOut(Integer.getInteger(FANOUT_HELPERS_PROPERTY,
                Math.max(0, Runtime.getRuntime().availableProcessors() - 1)));
    }

    /**
     * Binds the socket; throws {@link UncheckedIOException} when the port cannot be bound.
     *
     * @param stunReceiver gets every STUN datagram (ownership passes)
     * @param addresses    routes all other datagrams by sender
     */
    public static UdpTransport bind(String host, int port, MediaMetrics metrics, DatagramReceiver stunReceiver,
                                    EndpointAddressTable addresses) {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            // Netty's default (simple) records a stack trace for one buffer in 128: with one pooled copy
            // per packet per viewer that is hundreds of stack traces a second. Tests run paranoid
            // (the parent pom sets the property), and so can a deployment that hunts a leak.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the demultiplexer is added once the transport exists, before bind
                    }
                });
        if (epoll) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * DATAGRAMS_PER_READ));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES));
        }
        try {
            // The handler needs the transport and the transport needs the channel: register first,
            // then publish the instance before the first read can happen (bind).
            Channel channel = bootstrap.register().syncUninterruptibly().channel();
            UdpTransport transport = new UdpTransport(group, null, channel, metrics);
            channel.pipeline().addLast(new DemultiplexingHandler(stunReceiver, addresses, metrics, transport));
            channel.bind(new InetSocketAddress(host, port)).syncUninterruptibly();
            return transport;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            // Epoll reports a taken port as a NativeIoException, NIO as a BindException: say it the same way.
            throw new UncheckedIOException("cannot bind udp " + host + ":" + port + ": " + e.getMessage(),
                    e instanceof java.io.IOException io ? io : new java.io.IOException(e));
        }
    }

    /**
     * A second socket on {@code parent}'s event loop, for one cascade link: the link's own 5-tuple
     * (the peer bridge tells its endpoints apart by address, and a link has two transports, down and
     * up) while its packets are handled on the same thread as the viewers they fan out to, so the
     * conference's state stays confined to one thread. Long fan-outs use {@code parent}'s helpers.
     * Closing it leaves the event loop to {@code parent}.
     */
    public static UdpTransport bindBeside(UdpTransport parent, String host, int port, MediaMetrics metrics,
                                          DatagramReceiver stunReceiver, EndpointAddressTable addresses) {
        Bootstrap bootstrap = new Bootstrap()
                .group(parent.channel.eventLoop())
                .channel(parent.channel.getClass())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                    }
                });
        if (parent.isEpoll()) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * DATAGRAMS_PER_READ));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES));
        }
        Channel channel = null;
        try {
            channel = bootstrap.register().syncUninterruptibly().channel();
            UdpTransport transport = new UdpTransport(null, parent, channel, metrics);
            channel.pipeline().addLast(new DemultiplexingHandler(stunReceiver, addresses, metrics, transport));
            channel.bind(new InetSocketAddress(host, port)).syncUninterruptibly();
            return transport;
        } catch (Exception e) {
            if (channel != null) {
                channel.close();
            }
            throw new UncheckedIOException("cannot bind udp " + host + ":" + port + ": " + e.getMessage(),
                    e instanceof java.io.IOException io ? io : new java.io.IOException(e));
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The one-thread group the UDP socket runs on; {@link TcpTransport} puts its connections on it too. */
    EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** From now on {@link #flushPending} flushes {@code tcpTransport}'s connections too. */
    void attach(TcpTransport tcpTransport) {
        this.tcp = tcpTransport;
    }

    public boolean isEpoll() {
        return channel instanceof EpollDatagramChannel;
    }

    /**
     * On the event loop the write waits for the next flush: the end of the incoming datagram being
     * handled ({@link #flushPending}), every {@value #FLUSH_EVERY_DATAGRAMS} writes, or a flush task
     * queued behind the current one (timers, fast start), whichever comes first. From any other
     * thread it is flushed at once. A {@link TcpConnectionAddress} recipient is written to its
     * connection, framed, under the same rules.
     */
    @Override
    public void send(ByteBuf payload, InetSocketAddress recipient) {
        metrics.sent(payload.readableBytes());
        if (parent == null && Thread.currentThread() instanceof ParallelFanOut.FanOutThread helper) {
            // written by the event loop once the fan-out is done (a TCP one too: its connection is the loop's)
            helper.held.add(new DatagramPacket(payload, recipient));
            return;
        }
        if (recipient instanceof TcpConnectionAddress tcpPeer) {
            tcpPeer.connection().send(payload);
            return;
        }
        DatagramPacket packet = new DatagramPacket(payload, recipient);
        if (!channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(packet, channel.voidPromise());
            return;
        }
        write(packet);
    }

    /** Event loop. */
    private void write(DatagramPacket packet) {
        channel.write(packet, channel.voidPromise());
        if (++unflushed >= FLUSH_EVERY_DATAGRAMS) {
            flushPending();
        } else if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void writeHeld(List<DatagramPacket> held) {
        for (DatagramPacket packet : held) {
            if (packet.recipient() instanceof TcpConnectionAddress tcpPeer) {
                tcpPeer.connection().send(packet.content());
            } else {
                write(packet);
            }
        }
    }

    /**
     * Runs {@code action} on every item, spread over the event loop and {@link ParallelFanOut}'s
     * helpers when the list is long and the caller is the event loop; returns when all ran.
     */
    @Override
    public <T> void forEachInParallel(List<T> items, Consumer<? super T> action) {
        if (parent != null) {
            // a helper's writes to this socket go through writeAndFlush (see send), so sharing is safe
            parent.forEachInParallel(items, action);
        } else if (channel.eventLoop().inEventLoop()) {
            fanOut.forEach(items, action, writeHeld);
        } else {
            items.forEach(action);
        }
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /**
     * Hands what the event loop wrote so far to the kernel. Called after each incoming datagram, so
     * a packet's fan-out leaves before the next datagram of the same recvmmsg batch is handled.
     */
    void flushPending() {
        if (unflushed > 0) {
            unflushed = 0;
            channel.flush();
        }
        TcpTransport tcpTransport = tcp;
        if (tcpTransport != null) {
            tcpTransport.flushPending();
        }
    }

    @Override
    public void close() {
        if (parent != null) {
            // never wait on the shared event loop from itself
            channel.close();
            return;
        }
        fanOut.close();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
