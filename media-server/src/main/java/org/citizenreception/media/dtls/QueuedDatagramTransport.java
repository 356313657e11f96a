package org.citizenreception.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;

/**
 * bctls's view of the network for one endpoint: records the event loop {@link #offer}s are
 * {@link #receive}d by the handshake thread; {@link #send} hands copies to the shared socket.
 *
 * <p>The queue is bounded: a peer flooding DTLS records fills it and further records are
 * refused (and counted by the caller) rather than growing memory.
 *
 * <p>A {@link PeerWait} hears when bctls is about to block for the peer's next record and when it
 * resumes, so the handshake can give its core back meanwhile ({@link HandshakeExecutor}).
 */
public final class QueuedDatagramTransport implements DatagramTransport {
    /** Sends never exceed this: fits a 1280-byte IPv6 minimum MTU minus IP/UDP headers. */
    static final int SEND_LIMIT_BYTES = 1200;
    static final int RECEIVE_LIMIT_BYTES = 2048;
    private static final int QUEUE_CAPACITY = 64;
    private static final byte[] CLOSED = new byte[0];

    /** Told around each wait for the peer; called on the thread that receives. */
    interface PeerWait {
        PeerWait NONE = new PeerWait() {
            @Override
            public void waiting() {
            }

            @Override
            public void resumed() {
            }
        };

        /** No record is queued and bctls will block for one. */
        void waiting();

        /** The wait is over (a record came, or the wait timed out), before bctls goes on. */
        void resumed() throws InterruptedIOException;
    }

    private final BlockingQueue<byte[]> incoming = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Consumer<byte[]> outgoing;
    private final PeerWait peerWait;
    private volatile boolean closed;

    /** @param outgoing takes each record the handshake sends (a fresh array it may keep) */
    public QueuedDatagramTransport(Consumer<byte[]> outgoing) {
        this(outgoing, PeerWait.NONE);
    }

    QueuedDatagramTransport(Consumer<byte[]> outgoing, PeerWait peerWait) {
        this.outgoing = outgoing;
        this.peerWait = peerWait;
    }

    /** Called by the event loop; false when full or closed. */
    public boolean offer(byte[] record) {
        return !closed && incoming.offer(record);
    }

    public boolean hasPending() {
        return !incoming.isEmpty();
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT_BYTES;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT_BYTES;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] record = incoming.poll();
        if (record == null && waitMillis > 0) {
            peerWait.waiting();
            try {
                record = incoming.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a DTLS record");
            } finally {
                peerWait.resumed();
            }
        }
        if (record == null) {
            return -1;
        }
        if (record == CLOSED) {
            throw new IOException("transport closed");
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        outgoing.accept(copy);
    }

    /** Wakes a blocked handshake so its thread returns to the pool. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            incoming.clear();
            incoming.offer(CLOSED);
        }
    }
}
