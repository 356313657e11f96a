package org.citizenreception.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;

/**
 * The bctls client side of DTLS-SRTP, for a cascade link where this bridge connects to another
 * (whose answer says {@code a=setup:passive}): DTLS 1.2 only, the same ECDHE-ECDSA suites and
 * certificate as {@link DtlsSrtpServer}, the server's certificate checked against the answer's
 * fingerprint (RFC 5763 5), every SRTP profile of ours offered, keys exported once complete.
 */
final class DtlsSrtpClient extends DefaultTlsClient {

    private final DtlsCertificate certificate;
    private final CertificateFingerprint expectedServerFingerprint;
    private SrtpProfile profile;
    private SrtpKeys keys;

    DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate certificate, CertificateFingerprint expectedServerFingerprint) {
        super(crypto);
        this.certificate = certificate;
        this.expectedServerFingerprint = expectedServerFingerprint;
    }

    /** The SRTP keys (local = client), once {@link #notifyHandshakeComplete()} ran; null before. */
    SrtpKeys keys() {
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsSrtpSettings.CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return DtlsSrtpSettings.HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        if (extensions == null) {
            extensions = new Hashtable();
        }
        int[] ids = new int[SrtpProfile.values().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = SrtpProfile.values()[i].id();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        profile = chosen == null || chosen.getProtectionProfiles().length != 1 ? null
                : SrtpProfile.choose(chosen.getProtectionProfiles());
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no SRTP profile of ours");
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                Certificate chain = serverCertificate.getCertificate();
                if (chain == null || chain.isEmpty()) {
                    throw new TlsFatalAlert(AlertDescription.handshake_failure, "server sent no certificate");
                }
                if (!expectedServerFingerprint.matches(chain.getCertificateAt(0).getEncoded())) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate,
                            "server certificate does not match the SDP fingerprint");
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
                return DtlsSrtpSettings.signer(context, crypto, certificate);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsSrtpSettings.exportKeys(context, profile, false);
    }
}
