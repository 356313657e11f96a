package org.citizenreception.bench.jmh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TcpMetrics;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.TcpTransport;
import org.citizenreception.media.transport.UdpTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the last step of a viewer's send path costs per packet over UDP and over ICE-TCP: the
 * viewer's copy of a 1,200-byte packet handed to {@link UdpTransport#send} on the event loop, 64 at
 * a time (one fan-out), then flushed (sendmmsg for UDP; RFC 4571 framing into a direct buffer and
 * one write per connection for TCP), to a loopback client that drains it. Everything before this
 * step (rewrite, SRTP) is the same for both transports, so the difference here is the difference
 * per viewer. Besides JMH's wall time it prints the event loop's own CPU time per packet (user +
 * system, from the thread's clock), which a loaded machine's waiting does not inflate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportSendBenchmark {
    static final int PACKETS = 64;
    private static final int PACKET_BYTES = 1200;

    @Param({"udp", "tcp"})
    public String transport;

    private UdpTransport udp;
    private TcpTransport tcp;
    private TcpMetrics tcpMetrics;
    private InetSocketAddress viewer;
    private DatagramChannel udpClient;
    private Socket tcpClient;
    private Thread drain;
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final byte[] template = new byte[PACKET_BYTES];
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Runnable fanOut;
    private Runnable afterFlush;
    /** Event loop only: the thread's CPU clock when the fan-out in hand began. */
    private long fanOutStartCpuNanos;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        template[0] = (byte) 0x80;
        MediaMetrics metrics = new MediaMetrics(new SimpleMeterRegistry());
        tcpMetrics = new TcpMetrics(new SimpleMeterRegistry());
        CompletableFuture<InetSocketAddress> tcpPeer = new CompletableFuture<>();
        udp = UdpTransport.bind("127.0.0.1", 0, metrics, (datagram, sender) -> {
            datagram.release();
            tcpPeer.complete(sender);
        }, new EndpointAddressTable());
        if ("tcp".equals(transport)) {
            tcp = TcpTransport.bind(udp, "127.0.0.1", 0, metrics, tcpMetrics, (frame, sender) -> {
                frame.release();
                tcpPeer.complete(sender);
            });
            tcpClient = new Socket();
            tcpClient.setReceiveBufferSize(4 * 1024 * 1024);
            tcpClient.connect(tcp.localAddress());
            tcpClient.getOutputStream().write(new byte[] {0, 20, 0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                    11, 12});
            viewer = tcpPeer.get(10, TimeUnit.SECONDS); // the connection's own address: sends reach it framed
            InputStream in = tcpClient.getInputStream();
            drain = new Thread(() -> drainTcp(in), "bench-tcp-viewer");
        } else {
            udpClient = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            udpClient.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            viewer = (InetSocketAddress) udpClient.getLocalAddress();
            drain = new Thread(this::drainUdp, "bench-udp-viewer");
        }
        drain.setDaemon(true);
        drain.start();
        fanOut = () -> {
            fanOutStartCpuNanos = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < PACKETS; i++) {
                // the viewer's own copy, as the send path makes it (pooled heap buffer)
                ByteBuf copy = udp.alloc().heapBuffer(PACKET_BYTES);
                copy.writeBytes(template);
                udp.send(copy, viewer);
            }
        };
        // Queued after the flush tasks the sends queued behind the fan-out (a timer's writes are flushed so):
        // the CPU between the two includes every write and flush syscall, and no idle time.
        afterFlush = () -> {
            cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - fanOutStartCpuNanos);
            packetsSent.addAndGet(PACKETS);
        };
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public void sendToOneViewer() throws Exception {
        udp.eventLoop().submit(fanOut).get();
        udp.eventLoop().submit(afterFlush).get();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n%s: event-loop CPU %.0f ns per packet over %d packets; tcp drops %.0f%n", transport,
                (double) cpuNanos.get() / packetsSent.get(), packetsSent.get(),
                tcpMetrics.dropCount(TcpMetrics.TcpDrop.BUFFER_FULL));
        drain.interrupt();
        if (tcpClient != null) {
            tcpClient.close();
        }
        if (udpClient != null) {
            udpClient.close();
        }
        if (tcp != null) {
            tcp.close();
        }
        udp.close();
    }

    private void drainUdp() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                buffer.clear();
                udpClient.receive(buffer);
            }
        } catch (IOException closed) {
            // the trial is over
        }
    }

    private static void drainTcp(InputStream in) {
        byte[] buffer = new byte[256 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException closed) {
            // the trial is over
        }
    }
}
