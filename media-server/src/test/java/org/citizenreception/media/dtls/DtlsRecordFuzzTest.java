package org.citizenreception.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.citizenreception.media.srtp.SrtpKeys;
import org.slf4j.LoggerFactory;

/**
 * DTLS records as they reach an endpoint from its bound address (anything whose first byte is
 * 20-63), through {@link DtlsSession} into bctls's record layer and handshake. Each input is a
 * series of datagrams, followed by a fatal alert so a handshake still waiting ends. Contract:
 * nothing escapes the handshake task (a malformed record ends in {@code dtlsFailed} or is
 * ignored); every record we send fits the send limit; closing the session always frees the
 * handshake thread (no hang); a record is refused only when the bounded queue is full.
 */
class DtlsRecordFuzzTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generateEcdsa("bridge");
    private static final CertificateFingerprint CLIENT = CertificateFingerprint.parse(
            "sha-256 " + "AB:".repeat(31) + "AB");
    /** A fatal handshake_failure alert in epoch 0 with the highest sequence number, which no replay window drops. */
    private static final byte[] FATAL_ALERT = {21, (byte) 0xfe, (byte) 0xfd, 0, 0, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 2, 2, 40};
    private static final ExecutorService HANDSHAKES = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dtls-fuzz-handshake");
        t.setDaemon(true);
        return t;
    });

    static {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DtlsSession.class)).setLevel(Level.WARN);
    }

    @FuzzTest(maxDuration = "10m")
    void recordsEndTheHandshakeCleanlyOrAreIgnored(FuzzedDataProvider data) throws Exception {
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        List<byte[]> sent = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        DtlsSession session = new DtlsSession("fuzz", CERT, CLIENT, task -> HANDSHAKES.execute(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                escaped.set(t);
            }
        }), sent::add, new DtlsListener() {
            @Override
            public void handshakeCompleted(SrtpKeys keys) {
                ended.countDown();
            }

            @Override
            public void dtlsFailed(String reason) {
                ended.countDown();
            }
        });
        int records = data.consumeInt(1, 8);
        for (int i = 0; i < records && data.remainingBytes() > 0; i++) {
            byte[] record = data.consumeBytes(data.consumeInt(1, QueuedDatagramTransport.RECEIVE_LIMIT_BYTES));
            if (record.length > 0) {
                assertThat(session.receive(record)).as("an unfilled queue takes every record").isTrue();
            }
        }
        session.receive(FATAL_ALERT);
        ended.await(2, TimeUnit.SECONDS);
        session.close();
        Future<?> idle = HANDSHAKES.submit(() -> { });
        // A TimeoutException here is a handshake thread that close() did not free. The bound is wide
        // because the first input also loads (and instruments) bctls, which took 10 s on a loaded machine.
        idle.get(60, TimeUnit.SECONDS);

        assertThat(escaped.get()).as("nothing escapes the handshake task").isNull();
        for (byte[] record : sent) {
            assertThat(record.length).isLessThanOrEqualTo(QueuedDatagramTransport.SEND_LIMIT_BYTES);
        }
    }
}
