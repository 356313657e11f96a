package org.citizenreception.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

/**
 * Handshakes on one core permit, peers wired to the bridge's sessions through in-memory record
 * queues: what one peer does cannot delay another's handshake beyond the computing they share.
 */
class HandshakeExecutorTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generateEcdsa("bridge");
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generateEcdsa("room");
    /** Far below the bridge's 15 s handshake timeout, which a queued handshake used to wait out behind a stalled one. */
    private static final long HEALTHY_WITHIN_SECONDS = 10;

    @Test
    void aPeerThatGoesQuietMidHandshakeHoldsUpNoOtherPeersHandshake() throws Exception {
        List<long[]> timings = new CopyOnWriteArrayList<>();
        // each client on its own thread: the common pool has one thread on 2 cores and would queue the second
        ExecutorService clients = Executors.newCachedThreadPool();
        try (HandshakeExecutor executor = HandshakeExecutor.start(1,
                (coreWaitNanos, computingNanos) -> timings.add(new long[] {coreWaitNanos, computingNanos}))) {
            // The stalled peer's hello reaches the bridge; the bridge's answer never reaches the peer.
            AtomicInteger stalledRecordsSent = new AtomicInteger();
            CompletableFuture<SrtpKeys> stalledKeys = new CompletableFuture<>();
            DtlsSession stalled = new DtlsSession("stalled", SERVER_CERT, CLIENT_CERT.fingerprint(), executor,
                    record -> stalledRecordsSent.incrementAndGet(), listener(stalledKeys));
            QueuedDatagramTransport stalledPeer = new QueuedDatagramTransport(stalled::receive);
            clients.execute(() -> {
                try {
                    client().connect(stalledPeer);
                } catch (IOException expected) {
                    // closed at the end of the test
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stalledRecordsSent.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling a condition: the bridge answered the stalled peer's hello
            }
            assertThat(stalledRecordsSent.get()).as("the bridge answered the stalled peer's hello").isPositive();

            CompletableFuture<SrtpKeys> healthyKeys = new CompletableFuture<>();
            QueuedDatagramTransport[] healthyPeer = new QueuedDatagramTransport[1];
            DtlsSession healthy = new DtlsSession("healthy", SERVER_CERT, CLIENT_CERT.fingerprint(), executor,
                    record -> healthyPeer[0].offer(record), listener(healthyKeys));
            healthyPeer[0] = new QueuedDatagramTransport(healthy::receive);
            CompletableFuture<SrtpKeys> clientKeys = CompletableFuture.supplyAsync(() -> {
                try {
                    return client().connect(healthyPeer[0]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, clients);

            SrtpKeys bridgeSide = healthyKeys.get(HEALTHY_WITHIN_SECONDS, TimeUnit.SECONDS);
            assertThat(bridgeSide.localKey()).isEqualTo(clientKeys.get(HEALTHY_WITHIN_SECONDS, TimeUnit.SECONDS).remoteKey());
            assertThat(stalled.isEstablished()).as("the stalled handshake is still waiting for its peer").isFalse();
            assertThat(stalledKeys).isNotDone();
            assertThat(timings).as("one handshake completed, and its time was accounted").hasSize(1);
            assertThat(timings.get(0)[1]).as("computing nanos").isPositive();
            assertThat(timings.get(0)[0]).as("core wait nanos").isNotNegative();

            stalled.close();
            stalledPeer.close();
            healthy.close();
            healthyPeer[0].close();
        } finally {
            clients.shutdownNow();
        }
    }

    private static DtlsSrtpTestClient client() {
        return new DtlsSrtpTestClient(CLIENT_CERT, SERVER_CERT.fingerprint(), SrtpProfile.AEAD_AES_128_GCM.id());
    }

    private static DtlsListener listener(CompletableFuture<SrtpKeys> keys) {
        return new DtlsListener() {
            @Override
            public void handshakeCompleted(SrtpKeys completed) {
                keys.complete(completed);
            }

            @Override
            public void dtlsFailed(String reason) {
                keys.completeExceptionally(new IOException(reason));
            }
        };
    }
}
