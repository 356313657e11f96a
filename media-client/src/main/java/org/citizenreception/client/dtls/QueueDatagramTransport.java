package org.citizenreception.client.dtls;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Lets bctls' blocking handshake run on its own thread while the peer's socket belongs to a Netty
 * event loop: the loop {@link #offer}s each DTLS record it reads, bctls takes them from the queue,
 * and what bctls sends goes straight to {@code sender} (a thread-safe channel write). The queue is
 * bounded so a peer that floods DTLS cannot grow it without limit.
 */
public final class QueueDatagramTransport implements DatagramTransport {
    /** Path MTU of loopback and most lines, less IP/UDP headers. */
    private static final int MTU = 1200;
    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>(256);
    private final Consumer<byte[]> sender;
    private volatile boolean closed;

    public QueueDatagramTransport(Consumer<byte[]> sender) {
        this.sender = sender;
    }

    /** Called from the event loop with a copy of one DTLS datagram; returns false when it was dropped. */
    public boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        try {
            byte[] d = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (d == null) {
                return -1;
            }
            if (d == CLOSED) {
                throw new IOException("transport closed");
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        sender.accept(copy);
    }

    @Override
    public void close() {
        closed = true;
        inbound.clear();
        inbound.offer(CLOSED);
    }
}
