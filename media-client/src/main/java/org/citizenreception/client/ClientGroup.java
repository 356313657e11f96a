package org.citizenreception.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.citizenreception.client.dtls.ClientCertificate;

/**
 * What many peers share: one Netty event-loop group (epoll when available) that owns every peer's
 * socket, a pool of handshake threads for the blocking parts of joining (HTTP signalling, bctls),
 * and one certificate. Parent of its peers: {@link #close()} closes them all, then the threads.
 */
public final class ClientGroup implements AutoCloseable {
    private final EventLoopGroup eventLoops;
    private final Class<? extends DatagramChannel> channelClass;
    private final ExecutorService handshakes;
    private final ClientCertificate certificate;
    private final Set<ClientPeer> peers = ConcurrentHashMap.newKeySet();
    private final org.citizenreception.client.feedback.FeedbackTicker feedbackTicker =
            new org.citizenreception.client.feedback.FeedbackTicker();
    private final AtomicInteger ids = new AtomicInteger();
    private final java.util.concurrent.Semaphore handshakePermits;
    private volatile boolean closed;

    private ClientGroup(int threads, int maxConcurrentHandshakes) {
        handshakePermits = new java.util.concurrent.Semaphore(maxConcurrentHandshakes, true);
        if (Epoll.isAvailable()) {
            eventLoops = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
            channelClass = EpollDatagramChannel.class;
        } else {
            eventLoops = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
            channelClass = NioDatagramChannel.class;
        }
        AtomicInteger n = new AtomicInteger();
        handshakes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "client-handshake-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        certificate = ClientCertificate.generate();
        org.citizenreception.client.srtp.SrtpSession.warmUp();
    }

    /** A group with one event loop per available core. */
    public static ClientGroup create() {
        int cores = Runtime.getRuntime().availableProcessors();
        return create(cores, 4 * cores);
    }

    public static ClientGroup create(int eventLoopThreads) {
        return create(eventLoopThreads, 4 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param maxConcurrentHandshakes DTLS handshakes allowed to run at once. Each costs a few
     *     milliseconds of elliptic-curve CPU; a join storm of hundreds started together on two cores
     *     makes every one of them late and most time out, whereas a bounded number finish in turn.
     */
    public static ClientGroup create(int eventLoopThreads, int maxConcurrentHandshakes) {
        if (eventLoopThreads < 1 || maxConcurrentHandshakes < 1) {
            throw new IllegalArgumentException("eventLoopThreads and maxConcurrentHandshakes must be >= 1");
        }
        return new ClientGroup(eventLoopThreads, maxConcurrentHandshakes);
    }

    /** A new publisher (not yet connected: call {@link ClientPeer#connect}). */
    public Publisher publisher(PeerOptions options) {
        return register(new Publisher(this, "pub-" + ids.incrementAndGet(), options));
    }

    /** A new viewer (not yet connected: call {@link ClientPeer#connect}). */
    public Viewer viewer(PeerOptions options) {
        return register(new Viewer(this, "view-" + ids.incrementAndGet(), options));
    }

    public boolean usesEpoll() {
        return channelClass == EpollDatagramChannel.class;
    }

    private <T extends ClientPeer> T register(T peer) {
        if (closed) {
            throw new IllegalStateException("client group is closed");
        }
        peers.add(peer);
        return peer;
    }

    void forget(ClientPeer peer) {
        peers.remove(peer);
    }

    EventLoopGroup eventLoops() {
        return eventLoops;
    }

    Class<? extends DatagramChannel> channelClass() {
        return channelClass;
    }

    ExecutorService handshakes() {
        return handshakes;
    }

    java.util.concurrent.Semaphore handshakePermits() {
        return handshakePermits;
    }

    /** The one periodic task per event loop that drives viewers' libwebrtc-like feedback. */
    org.citizenreception.client.feedback.FeedbackTicker feedbackTicker() {
        return feedbackTicker;
    }

    ClientCertificate certificate() {
        return certificate;
    }

    /** Closes every peer (leaving its session), then stops the threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ClientPeer peer : peers.toArray(new ClientPeer[0])) {
            peer.close();
        }
        feedbackTicker.close();
        handshakes.shutdownNow();
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
