package org.citizenreception.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.srtp.SrtpKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client role a bridge takes on its own end of a cascade link, against our own server role
 * (what the upstream bridge runs), over real UDP on loopback: the keys agree crosswise, and a
 * server whose certificate is not the answer's fingerprint is refused.
 */
class DtlsClientSessionTest {
    private static final DtlsCertificate UPSTREAM = DtlsCertificate.generateEcdsa("upstream-bridge");
    private static final DtlsCertificate DOWNSTREAM = DtlsCertificate.generateEcdsa("downstream-bridge");

    private final ExecutorService handshakes = Executors.newFixedThreadPool(4);
    private DatagramSocket serverSocket;
    private DatagramSocket clientSocket;
    private DtlsSession server;
    private DtlsSession client;
    private final CompletableFuture<SrtpKeys> serverKeys = new CompletableFuture<>();
    private final CompletableFuture<SrtpKeys> clientKeys = new CompletableFuture<>();

    @BeforeEach
    void sockets() throws Exception {
        serverSocket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        clientSocket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() {
        server.close();
        client.close();
        serverSocket.close();
        clientSocket.close();
        handshakes.shutdownNow();
    }

    @Test
    void theClientRoleAgreesOnKeysWithTheServerRole() throws Exception {
        connect(UPSTREAM.fingerprint());
        SrtpKeys ours = clientKeys.get(20, TimeUnit.SECONDS);
        SrtpKeys theirs = serverKeys.get(20, TimeUnit.SECONDS);
        assertThat(ours.profile()).isEqualTo(theirs.profile());
        assertThat(ours.localKey()).isEqualTo(theirs.remoteKey());
        assertThat(ours.localSalt()).isEqualTo(theirs.remoteSalt());
        assertThat(ours.remoteKey()).isEqualTo(theirs.localKey());
        assertThat(client.isEstablished()).isTrue();
    }

    @Test
    void aServerWhoseCertificateIsNotTheAnswersFingerprintIsRefused() {
        connect(DtlsCertificate.generateEcdsa("someone-else").fingerprint());
        assertThatThrownBy(() -> clientKeys.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("dtls handshake failed");
    }

    private void connect(CertificateFingerprint expectedServer) {
        server = new DtlsSession("upstream", UPSTREAM, DOWNSTREAM.fingerprint(), handshakes,
                record -> send(serverSocket, clientSocket, record), listener(serverKeys));
        client = DtlsSession.client("downstream", DOWNSTREAM, expectedServer, HandshakeExecutor.unlimited(handshakes),
                record -> send(clientSocket, serverSocket, record), listener(clientKeys));
        read(serverSocket, server);
        read(clientSocket, client);
        client.startClient();
        client.startClient(); // a second check succeeding starts nothing more
    }

    private static void send(DatagramSocket from, DatagramSocket to, byte[] record) {
        try {
            from.send(new DatagramPacket(record, record.length, to.getLocalSocketAddress()));
        } catch (IOException e) {
            // the socket closed at the end of the test
        }
    }

    private void read(DatagramSocket socket, DtlsSession session) {
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[2048];
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    socket.receive(packet);
                    session.receive(Arrays.copyOf(buf, packet.getLength()));
                }
            } catch (IOException closed) {
                // end of test
            }
        });
        reader.setDaemon(true);
        reader.start();
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
