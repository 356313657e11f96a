package org.citizenreception.media.dtls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the bridge's DTLS handshakes: a thread per handshake in progress, but only one handshake per
 * core computing at any moment.
 *
 * <p>bctls's {@code DTLSServerProtocol.accept} is blocking: a handshake holds its thread for every
 * round trip to the peer (and up to its timeout when a peer stalls). With a fixed handful of threads
 * a join storm queued each handshake behind others that were only waiting for their peers, so one
 * slow peer delayed everyone behind it. Here waiting costs a parked thread and nothing else: a
 * handshake holds a core permit only while bctls computes, gives it back whenever it would wait for
 * the peer ({@link QueuedDatagramTransport}) and takes one again when the peer's next flight
 * arrives. The permits keep a storm's EC work from crowding out the event loop beyond the cores;
 * the time a handshake waits for one is the storm's real queue, reported to the
 * {@link HandshakeObserver}.
 */
public final class HandshakeExecutor implements Executor, AutoCloseable {
    /**
     * Handshakes in progress with a thread each; more queue for one. A parked thread costs its
     * stack (committed as used, tens of KB) and expires 30 s after its last handshake.
     */
    public static final int MAX_THREADS = 256;

    private final Executor threads;
    /** Null: no limit (an executor supplied by a test or benchmark). */
    private final Semaphore cores;
    private final HandshakeObserver observer;

    private HandshakeExecutor(Executor threads, Semaphore cores, HandshakeObserver observer) {
        this.threads = threads;
        this.cores = cores;
        this.observer = observer;
    }

    /** @param computingAtOnce handshakes computing at the same time (the cores they may use) */
    public static HandshakeExecutor start(int computingAtOnce, HandshakeObserver observer) {
        if (computingAtOnce <= 0) {
            throw new IllegalArgumentException("computingAtOnce must be positive: " + computingAtOnce);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "media-dtls-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        // fair: a handshake whose peer answered first computes first, none starves behind newcomers
        return new HandshakeExecutor(pool, new Semaphore(computingAtOnce, true), observer);
    }

    /** One permit per available processor: a storm's handshakes use the machine's cores, no more. */
    public static HandshakeExecutor forThisMachine(HandshakeObserver observer) {
        return start(Math.max(1, Runtime.getRuntime().availableProcessors()), observer);
    }

    /** Runs handshakes on {@code executor} without a core limit or observer (tests, benchmarks). */
    public static HandshakeExecutor unlimited(Executor executor) {
        return new HandshakeExecutor(executor, null, HandshakeObserver.NONE);
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    /** Blocks until a core permit is free; returns the nanoseconds waited. */
    long acquireCore() throws InterruptedException {
        if (cores == null) {
            return 0;
        }
        long start = System.nanoTime();
        cores.acquire();
        return System.nanoTime() - start;
    }

    void releaseCore() {
        if (cores != null) {
            cores.release();
        }
    }

    HandshakeObserver observer() {
        return observer;
    }

    /** Stops the handshake threads it started (their sessions are closed by then). */
    @Override
    public void close() {
        if (threads instanceof ThreadPoolExecutor pool) {
            pool.shutdownNow();
        }
    }
}
