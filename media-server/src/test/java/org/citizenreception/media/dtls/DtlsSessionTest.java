package org.citizenreception.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.UDPTransport;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our DTLS server against a bctls client, over real UDP on loopback. */
class DtlsSessionTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generateEcdsa("bridge");
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generateEcdsa("browser");

    private final ExecutorService handshakes = Executors.newFixedThreadPool(2);
    private DatagramSocket serverSocket;
    private DatagramSocket clientSocket;
    private Thread serverReader;
    private DtlsSession session;
    private final CompletableFuture<SrtpKeys> serverKeys = new CompletableFuture<>();

    @BeforeEach
    void sockets() throws Exception {
        serverSocket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        clientSocket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        clientSocket.connect(serverSocket.getLocalSocketAddress());
    }

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
        serverSocket.close();
        clientSocket.close();
        handshakes.shutdownNow();
    }

    private void startServer(CertificateFingerprint expectedClient) {
        session = new DtlsSession("ep-test", SERVER_CERT, expectedClient, handshakes, record -> {
            try {
                serverSocket.send(new DatagramPacket(record, record.length, clientSocket.getLocalSocketAddress()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, new DtlsListener() {
            @Override
            public void handshakeCompleted(SrtpKeys keys) {
                serverKeys.complete(keys);
            }

            @Override
            public void dtlsFailed(String reason) {
                serverKeys.completeExceptionally(new IOException(reason));
            }
        });
        serverReader = new Thread(() -> {
            byte[] buf = new byte[2048];
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    serverSocket.receive(packet);
                    session.receive(Arrays.copyOf(buf, packet.getLength()));
                }
            } catch (SocketException closed) {
                // socket closed at the end of the test
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        serverReader.setDaemon(true);
        serverReader.start();
    }

    @Test
    void negotiatesAesGcmWhenTheClientOffersItAndBothSidesExportTheSameKeys() throws Exception {
        startServer(CLIENT_CERT.fingerprint());
        DtlsSrtpTestClient client = new DtlsSrtpTestClient(CLIENT_CERT, SERVER_CERT.fingerprint(),
                0x0008, SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.id());

        SrtpKeys clientKeys = client.connect(new UDPTransport(clientSocket, 1500));
        SrtpKeys bridgeKeys = serverKeys.get(5, TimeUnit.SECONDS);

        assertThat(bridgeKeys.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(bridgeKeys.localKey()).isEqualTo(clientKeys.remoteKey());
        assertThat(bridgeKeys.localSalt()).isEqualTo(clientKeys.remoteSalt());
        assertThat(bridgeKeys.remoteKey()).isEqualTo(clientKeys.localKey());
        assertThat(session.isEstablished()).isTrue();
        assertSrtpRoundTrips(clientKeys, bridgeKeys);
    }

    @Test
    void fallsBackToAesCmHmacSha1WhenThatIsAllTheClientOffers() throws Exception {
        startServer(CLIENT_CERT.fingerprint());
        DtlsSrtpTestClient client = new DtlsSrtpTestClient(CLIENT_CERT, SERVER_CERT.fingerprint(),
                SrtpProfile.AES_CM_128_HMAC_SHA1_80.id());

        SrtpKeys clientKeys = client.connect(new UDPTransport(clientSocket, 1500));
        SrtpKeys bridgeKeys = serverKeys.get(5, TimeUnit.SECONDS);

        assertThat(bridgeKeys.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertSrtpRoundTrips(clientKeys, bridgeKeys);
    }

    @Test
    void rejectsAClientWhoseCertificateDoesNotMatchTheOfferedFingerprint() {
        DtlsCertificate impostor = DtlsCertificate.generateEcdsa("impostor");
        startServer(CLIENT_CERT.fingerprint());
        DtlsSrtpTestClient client = new DtlsSrtpTestClient(impostor, SERVER_CERT.fingerprint(),
                SrtpProfile.AEAD_AES_128_GCM.id());

        assertThatThrownBy(() -> client.connect(new UDPTransport(clientSocket, 1500))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> serverKeys.get(5, TimeUnit.SECONDS)).hasMessageContaining("dtls");
        assertThat(session.isEstablished()).isFalse();
    }

    private static void assertSrtpRoundTrips(SrtpKeys clientKeys, SrtpKeys bridgeKeys) {
        try (SrtpTransformer browser = new SrtpTransformer(clientKeys);
             SrtpTransformer bridge = new SrtpTransformer(bridgeKeys)) {
            byte[] rtp = rtpPacket(0x11223344, 1000, 200);
            ByteBuf packet = Unpooled.buffer(rtp.length + 16).writeBytes(rtp);
            assertThat(browser.protectRtp(packet)).isTrue();
            assertThat(packet.readableBytes()).isEqualTo(rtp.length + bridgeKeys.profile().tagBytes());
            assertThat(bridge.unprotectRtp(packet)).isTrue();
            assertThat(ByteBufUtilBytes.of(packet)).isEqualTo(rtp);

            ByteBuf back = Unpooled.buffer(rtp.length + 16).writeBytes(rtp);
            assertThat(bridge.protectRtp(back)).isTrue();
            assertThat(browser.unprotectRtp(back)).isTrue();
            assertThat(ByteBufUtilBytes.of(back)).isEqualTo(rtp);
            packet.release();
            back.release();
        }
    }

    static byte[] rtpPacket(int ssrc, int sequence, int payloadBytes) {
        byte[] p = new byte[12 + payloadBytes];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (sequence >> 8);
        p[3] = (byte) sequence;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buf) {
            byte[] out = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), out);
            return out;
        }
    }
}
