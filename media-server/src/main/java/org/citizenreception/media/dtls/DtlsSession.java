package org.citizenreception.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.citizenreception.media.srtp.SrtpKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's DTLS association, server role (a browser, a WHIP/WHEP client, or a cascade link
 * from a downstream bridge), or client role for this bridge's own end of a cascade link
 * ({@link #client}, started by {@link #startClient} once ICE has a pair). As server, the first
 * record from the peer starts the handshake on {@code executor}; records after it are fed to bctls in drain tasks on the same
 * executor (a retransmitted client Finished must be answered, an alert must close us). At most
 * one task per session runs at a time, because bctls's transport is not thread-safe.
 *
 * <p>The handshake computes only while it holds one of the executor's core permits and gives it
 * back while it waits for the peer, so a slow peer holds nobody else's handshake up.
 */
public final class DtlsSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsSession.class);

    private final String logId;
    private final DtlsCertificate certificate;
    private final CertificateFingerprint remoteFingerprint;
    private final HandshakeExecutor executor;
    private final DtlsListener listener;
    private final QueuedDatagramTransport transport;
    private final boolean client;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean taskScheduled = new AtomicBoolean();
    private volatile DTLSTransport established;
    private volatile boolean closed;
    /** When the first record was queued (event loop), read by the handshake thread after the executor's hand-off. */
    private volatile long firstRecordNanos;
    /** Handshake thread only: the core permit held, and where the handshake's time went so far. */
    private boolean holdsCore;
    private long coreWaitNanos;
    private long computingSinceNanos;
    private long computingNanos;

    /**
     * @param logId    prefix of every log line (the endpoint's id)
     * @param toRemote sends one record to the peer's current address
     */
    public DtlsSession(String logId, DtlsCertificate certificate, CertificateFingerprint remoteFingerprint,
                       HandshakeExecutor executor, Consumer<byte[]> toRemote, DtlsListener listener) {
        this(logId, certificate, remoteFingerprint, executor, toRemote, listener, false);
    }

    private DtlsSession(String logId, DtlsCertificate certificate, CertificateFingerprint remoteFingerprint,
                        HandshakeExecutor executor, Consumer<byte[]> toRemote, DtlsListener listener, boolean client) {
        this.client = client;
        this.logId = logId;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.executor = executor;
        this.listener = listener;
        this.transport = new QueuedDatagramTransport(toRemote, new CoreHandback());
    }

    /** Without a core limit: {@code executor} runs each handshake as it comes (tests, benchmarks). */
    public DtlsSession(String logId, DtlsCertificate certificate, CertificateFingerprint remoteFingerprint,
                       Executor executor, Consumer<byte[]> toRemote, DtlsListener listener) {
        this(logId, certificate, remoteFingerprint, HandshakeExecutor.unlimited(executor), toRemote, listener);
    }

    /** The client role: nothing happens until {@link #startClient}. */
    public static DtlsSession client(String logId, DtlsCertificate certificate, CertificateFingerprint remoteFingerprint,
                                     HandshakeExecutor executor, Consumer<byte[]> toRemote, DtlsListener listener) {
        return new DtlsSession(logId, certificate, remoteFingerprint, executor, toRemote, listener, true);
    }

    /** Client role: sends the ClientHello (from a handshake thread). Once; later calls do nothing. */
    public void startClient() {
        if (!client || closed || !started.compareAndSet(false, true)) {
            return;
        }
        firstRecordNanos = System.nanoTime();
        listener.handshakeStarted();
        taskScheduled.set(true);
        executor.execute(this::handshake);
    }

    /** Called on the event loop with a copy of one DTLS record; false when it was refused. */
    public boolean receive(byte[] record) {
        if (closed || !transport.offer(record)) {
            return false;
        }
        if (client) {
            if (established != null) {
                scheduleDrain();
            }
        } else if (started.compareAndSet(false, true)) {
            firstRecordNanos = System.nanoTime();
            listener.handshakeStarted();
            taskScheduled.set(true);
            executor.execute(this::handshake);
        } else if (established != null) {
            scheduleDrain();
        }
        return true;
    }

    public boolean isEstablished() {
        return established != null;
    }

    private void handshake() {
        try {
            takeCore(firstRecordNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taskScheduled.set(false);
            return; // the bridge is closing
        }
        try {
            SrtpKeys keys;
            DTLSTransport dtls;
            if (client) {
                DtlsSrtpClient tlsClient = new DtlsSrtpClient(new DtlsCrypto(), certificate, remoteFingerprint);
                dtls = new DTLSClientProtocol().connect(tlsClient, transport);
                keys = tlsClient.keys();
            } else {
                DtlsSrtpServer server = new DtlsSrtpServer(new DtlsCrypto(), certificate, remoteFingerprint);
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // No HelloVerifyRequest cookie round trip (RFC 6347 4.2.1): it proves the client owns its
                // address, which ICE already did (records come only from addresses a binding request with
                // our password bound), and under a join storm each round trip waits behind media.
                protocol.setVerifyRequests(false);
                dtls = protocol.accept(server, transport);
                keys = server.keys();
            }
            giveCoreBack();
            executor.observer().handshakeCompleted(coreWaitNanos, computingNanos);
            established = dtls;
            log.debug("{} dtls established ({}), srtp profile {}", logId, client ? "client" : "server", keys.profile());
            listener.handshakeCompleted(keys);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.info("{} dtls handshake failed: {}", logId, e.toString());
                listener.dtlsFailed("dtls handshake failed: " + e.getMessage());
            }
            return;
        } finally {
            giveCoreBack();
            taskScheduled.set(false);
        }
        if (transport.hasPending()) {
            scheduleDrain();
        }
    }

    /** Handshake thread: waits for a core permit, counting the wait from {@code readySinceNanos}. */
    private void takeCore(long readySinceNanos) throws InterruptedException {
        executor.acquireCore();
        holdsCore = true;
        computingSinceNanos = System.nanoTime();
        coreWaitNanos += computingSinceNanos - readySinceNanos;
    }

    private void giveCoreBack() {
        if (holdsCore) {
            holdsCore = false;
            computingNanos += System.nanoTime() - computingSinceNanos;
            executor.releaseCore();
        }
    }

    /** Lends the core to other handshakes while bctls waits for this peer's next flight. */
    private final class CoreHandback implements QueuedDatagramTransport.PeerWait {
        @Override
        public void waiting() {
            giveCoreBack();
        }

        @Override
        public void resumed() throws InterruptedIOException {
            if (established != null || holdsCore) {
                return; // after the handshake (drain tasks) no permit is needed
            }
            try {
                takeCore(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a core to go on with the handshake");
            }
        }
    }

    private void scheduleDrain() {
        if (taskScheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** Lets bctls process records after the handshake: retransmissions, alerts. Data channels are not served. */
    private void drain() {
        byte[] scratch = new byte[QueuedDatagramTransport.RECEIVE_LIMIT_BYTES];
        try {
            while (!closed && transport.hasPending()) {
                established.receive(scratch, 0, scratch.length, 1);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.info("{} dtls closed by peer: {}", logId, e.toString());
                listener.dtlsFailed("dtls closed: " + e.getMessage());
            }
        } finally {
            taskScheduled.set(false);
        }
        if (!closed && transport.hasPending()) {
            scheduleDrain();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
    }
}
