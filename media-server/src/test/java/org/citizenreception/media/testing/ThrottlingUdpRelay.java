package org.citizenreception.media.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP relay between one client and the bridge whose downlink (bridge to client) is a thin line:
 * a token bucket of {@code rateBps} with a queue that holds at most {@link #QUEUE_MILLIS} of that
 * rate, packets beyond it dropped at the tail, as a commune's router does. What a delay-based
 * estimator sees is then the real thing: queueing delay growing when too much is sent, loss when
 * the queue is full. The uplink (the client's RTCP, REMB, STUN) passes at once. The rate can be
 * changed while it runs ({@link #setRateBps}; {@link #UNLIMITED} lifts the throttle).
 *
 * <p>Chosen over nftables in network namespaces because the viewers then stay in the test's JVM
 * (no child JVMs to start and read), and the relay shapes (queues) where an nftables {@code limit}
 * rule only polices (drops), which hides the queueing the viewer's estimator reacts to first.
 */
public final class ThrottlingUdpRelay implements AutoCloseable {
    public static final long UNLIMITED = Long.MAX_VALUE;
    /** A router's buffer: 300 ms at the line's rate. */
    static final long QUEUE_MILLIS = 300;
    /** Burst the bucket allows after an idle moment: two full packets. */
    private static final long BUCKET_BYTES = 2_400;

    private final DatagramSocket clientSide;
    private final DatagramSocket bridgeSide;
    private final InetSocketAddress bridge;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long rateBps;
    private volatile SocketAddress client;
    private long queuedBytes;
    private final Thread up;
    private final Thread down;
    private final Thread pacer;

    public ThrottlingUdpRelay(InetSocketAddress bridge, long rateBps) {
        setRateBps(rateBps);
        try {
            clientSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            bridgeSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            bridgeSide.setReceiveBufferSize(2 * 1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.bridge = bridge;
        up = start(this::clientToBridge, "throttle-up");
        down = start(this::bridgeToQueue, "throttle-down");
        pacer = start(this::queueToClient, "throttle-pacer");
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The downlink's rate from now on, bits per second, or {@link #UNLIMITED}. */
    public void setRateBps(long rateBps) {
        if (rateBps <= 0) {
            throw new IllegalArgumentException("rateBps must be positive: " + rateBps);
        }
        this.rateBps = rateBps;
    }

    /** Packets dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** The bridge's answer with its port replaced by the relay's. */
    public String rewriteAnswer(String answer) {
        int bridgePort = bridge.getPort();
        int relayPort = clientSide.getLocalPort();
        return answer.replace(" " + bridgePort + " ", " " + relayPort + " ")
                .replace("a=rtcp:" + bridgePort + " ", "a=rtcp:" + relayPort + " ");
    }

    private void clientToBridge() {
        byte[] buf = new byte[2048];
        while (!clientSide.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                clientSide.receive(packet);
                client = packet.getSocketAddress();
                bridgeSide.send(new DatagramPacket(buf, packet.getLength(), bridge));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void bridgeToQueue() {
        byte[] buf = new byte[2048];
        while (!bridgeSide.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                bridgeSide.receive(packet);
                byte[] datagram = Arrays.copyOf(buf, packet.getLength());
                long rate = rateBps;
                long limitBytes = rate == UNLIMITED ? Long.MAX_VALUE : Math.max(BUCKET_BYTES, rate / 8 * QUEUE_MILLIS / 1000);
                synchronized (queue) {
                    if (queuedBytes + datagram.length > limitBytes) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    queue.addLast(datagram);
                    queuedBytes += datagram.length;
                    queue.notifyAll();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Sends the queue's head once the bucket holds its size; the bucket fills at the rate. */
    private void queueToClient() {
        double tokens = BUCKET_BYTES;
        long last = System.nanoTime();
        while (!clientSide.isClosed()) {
            byte[] head;
            synchronized (queue) {
                while (queue.isEmpty() && !clientSide.isClosed()) {
                    try {
                        queue.wait(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                head = queue.peekFirst();
            }
            if (head == null) {
                continue;
            }
            long rate = rateBps;
            long now = System.nanoTime();
            tokens = rate == UNLIMITED ? head.length : Math.min(BUCKET_BYTES, tokens + (now - last) * (rate / 8.0) / 1e9);
            last = now;
            if (tokens < head.length) {
                long waitNanos = (long) ((head.length - tokens) * 1e9 / (rate / 8.0));
                LockSupport.parkNanos(Math.max(waitNanos, 50_000));
                continue;
            }
            tokens -= head.length;
            synchronized (queue) {
                queue.pollFirst();
                queuedBytes -= head.length;
            }
            SocketAddress to = client;
            if (to != null) {
                try {
                    clientSide.send(new DatagramPacket(head, head.length, to));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        clientSide.close();
        bridgeSide.close();
        synchronized (queue) {
            queue.notifyAll();
        }
        for (Thread thread : new Thread[] {up, down, pacer}) {
            thread.interrupt();
        }
    }
}
