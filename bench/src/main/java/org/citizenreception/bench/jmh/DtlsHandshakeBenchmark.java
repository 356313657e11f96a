package org.citizenreception.bench.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.citizenreception.client.dtls.ClientCertificate;
import org.citizenreception.client.dtls.DtlsSrtpHandshake;
import org.citizenreception.client.dtls.QueueDatagramTransport;
import org.citizenreception.media.dtls.CertificateFingerprint;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.dtls.DtlsListener;
import org.citizenreception.media.dtls.DtlsSession;
import org.citizenreception.media.srtp.SrtpKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One whole DTLS-SRTP handshake, the bridge's {@link DtlsSession} (server, on a pool thread as in
 * the bridge) against the load generator's bctls client, records passed in memory: what one
 * viewer's join costs in handshake CPU on both sides, without network or event-loop waits. A join
 * storm of N viewers on C cores cannot connect faster than N times this over C.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DtlsHandshakeBenchmark {
    private DtlsCertificate serverCertificate;
    private ClientCertificate clientCertificate;
    private ExecutorService serverThreads;

    @Setup(Level.Trial)
    public void setUp() {
        serverCertificate = DtlsCertificate.generateEcdsa("bench");
        clientCertificate = ClientCertificate.generate();
        serverThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-dtls-server");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        serverThreads.shutdownNow();
    }

    @Benchmark
    public SrtpKeys handshake() throws Exception {
        CompletableFuture<SrtpKeys> serverKeys = new CompletableFuture<>();
        QueueDatagramTransport[] client = new QueueDatagramTransport[1];
        DtlsSession server = new DtlsSession("bench", serverCertificate,
                CertificateFingerprint.parse("sha-256 " + clientCertificate.fingerprintSha256()), serverThreads,
                record -> client[0].offer(record), new DtlsListener() {
                    @Override
                    public void handshakeCompleted(SrtpKeys keys) {
                        serverKeys.complete(keys);
                    }

                    @Override
                    public void dtlsFailed(String reason) {
                        serverKeys.completeExceptionally(new IllegalStateException(reason));
                    }
                });
        client[0] = new QueueDatagramTransport(server::receive);
        try {
            DtlsSrtpHandshake.run(true, clientCertificate, serverCertificate.fingerprint().value(), client[0]);
            return serverKeys.get(5, TimeUnit.SECONDS);
        } finally {
            server.close();
            client[0].close();
        }
    }
}
