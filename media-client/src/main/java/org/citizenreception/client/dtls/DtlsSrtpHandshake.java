package org.citizenreception.client.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One blocking DTLS 1.2 handshake with use_srtp, in whichever role the answer's {@code a=setup}
 * gives us: the client when the answerer is passive (our bridge, an ICE-lite server), the server
 * when it is active (libwebrtc answering an actpass offer). Either way the peer's certificate must
 * match the SDP fingerprint (RFC 5763 5) and the result is the SRTP keys of both directions.
 * Run it on a handshake thread, never on an event loop: bctls blocks in {@code receive}.
 */
public final class DtlsSrtpHandshake {
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    /** bctls retransmits with backoff inside this budget; a weak line needs a few rounds. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    private DtlsSrtpHandshake() {
    }

    /** Runs the handshake to the end and returns the SRTP keys; throws on any failure or mismatch. */
    public static SrtpKeys run(boolean asClient, ClientCertificate certificate, String remoteFingerprintSha256,
            QueueDatagramTransport transport) throws IOException {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        if (asClient) {
            Client client = new Client(crypto, certificate, remoteFingerprintSha256);
            DTLSTransport dtls = new DTLSClientProtocol().connect(client, transport);
            return client.keys(dtls);
        }
        Server server = new Server(crypto, certificate, remoteFingerprintSha256);
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        DTLSTransport dtls = protocol.accept(server, transport);
        return server.keys(dtls);
    }

    static void checkFingerprint(Certificate peer, String expected) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        String actual = ClientCertificate.sha256Fingerprint(peer.getCertificateAt(0).getEncoded());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "peer certificate " + actual + " does not match the SDP fingerprint " + expected);
        }
    }

    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, ClientCertificate certificate)
            throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), certificate.toTlsCertificate(crypto),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    static SrtpKeys export(TlsContext context, int profileId, boolean weAreClient) throws IOException {
        SrtpProfile profile = SrtpProfile.byId(profileId);
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "unsupported SRTP profile " + profileId);
        }
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeys.materialBytes(profile));
        return SrtpKeys.split(profile, material, weAreClient);
    }

    private static final class Client extends DefaultTlsClient {
        private final ClientCertificate certificate;
        private final String expectedFingerprint;
        private int profileId = -1;

        Client(BcTlsCrypto crypto, ClientCertificate certificate, String expectedFingerprint) {
            super(crypto);
            this.certificate = certificate;
            this.expectedFingerprint = expectedFingerprint;
        }

        private SrtpKeys keys;

        SrtpKeys keys(DTLSTransport ignored) {
            return keys;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = export(context, profileId, true); // bctls allows the exporter only from here
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return HANDSHAKE_TIMEOUT_MILLIS;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            if (extensions == null) {
                extensions = new Hashtable();
            }
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(SrtpProfile.ids(), TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (chosen == null || chosen.getProtectionProfiles().length != 1) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no SRTP profile");
            }
            profileId = chosen.getProtectionProfiles()[0];
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    checkFingerprint(serverCertificate.getCertificate(), expectedFingerprint);
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return signer(context, (BcTlsCrypto) getCrypto(), certificate);
                }
            };
        }
    }

    private static final class Server extends DefaultTlsServer {
        private final ClientCertificate certificate;
        private final String expectedFingerprint;
        private int profileId = -1;

        Server(BcTlsCrypto crypto, ClientCertificate certificate, String expectedFingerprint) {
            super(crypto);
            this.certificate = certificate;
            this.expectedFingerprint = expectedFingerprint;
        }

        private SrtpKeys keys;

        SrtpKeys keys(DTLSTransport ignored) {
            return keys;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = export(context, profileId, false);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return HANDSHAKE_TIMEOUT_MILLIS;
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return signer(context, (BcTlsCrypto) getCrypto(), certificate);
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
            Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
            return new CertificateRequest(types, algorithms, null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            checkFingerprint(clientCertificate, expectedFingerprint);
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered != null) {
                for (int ours : SrtpProfile.ids()) {
                    for (int theirs : offered.getProtectionProfiles()) {
                        if (ours == theirs && profileId < 0) {
                            profileId = ours;
                        }
                    }
                }
            }
            if (profileId < 0) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offered no SRTP profile we support");
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = super.getServerExtensions();
            if (extensions == null) {
                extensions = new Hashtable();
            }
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profileId}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }
    }
}
