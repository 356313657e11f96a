package org.citizenreception.media.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;

/**
 * A DTLS-SRTP client as a browser plays it: offers use_srtp profiles, presents its own ECDSA
 * certificate, checks the server's against the SDP fingerprint, exports SRTP keys. Written
 * against bctls directly, independent of the server code under test.
 */
public final class DtlsSrtpTestClient extends DefaultTlsClient {
    private final DtlsCertificate ownCertificate;
    private final CertificateFingerprint expectedServer;
    private final int[] offeredProfiles;
    private SrtpKeys keys;
    private UseSRTPData chosen;

    public DtlsSrtpTestClient(DtlsCertificate ownCertificate, CertificateFingerprint expectedServer, int... offeredProfiles) {
        super(new BcTlsCrypto(new SecureRandom()));
        this.ownCertificate = ownCertificate;
        this.expectedServer = expectedServer;
        this.offeredProfiles = offeredProfiles;
    }

    /** Runs the handshake over {@code transport}; returns the keys seen from the client side. */
    public SrtpKeys connect(DatagramTransport transport) throws IOException {
        DTLSTransport dtls = new DTLSClientProtocol().connect(this, transport);
        dtls.getReceiveLimit();
        return keys;
    }

    /**
     * BouncyCastle's default, 0, waits forever: once the bridge closed the endpoint (its consent
     * timeout, a test's own close) the handshake never ends and the test hung for 19 minutes at load
     * 18. A minute is far past any handshake seen on a loaded CI machine, and turns that into an error.
     */
    @Override
    public int getHandshakeTimeoutMillis() {
        return 60_000;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!expectedServer.matches(der)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        ownCertificate.privateKeyForClientUse(), ownCertificate.toTlsCertificate(crypto),
                        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        SrtpProfile profile = SrtpProfile.choose(chosen.getProtectionProfiles());
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialBytes());
        keys = SrtpKeys.fromKeyingMaterial(profile, material, false);
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not select use_srtp");
        }
    }
}
