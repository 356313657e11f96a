package org.citizenreception.media.dtls;

import java.io.IOException;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;

/**
 * What the bridge's DTLS-SRTP server role (every client's handshake) and client role (a cascade
 * link toward another bridge) must agree on: one cipher-suite list, one handshake timeout, one way
 * to sign with the bridge's certificate and to export the SRTP keys. BouncyCastle's client and
 * server bases differ, so the two roles share these instead of a superclass.
 */
final class DtlsSrtpSettings {
    /** ECDHE with the bridge's ECDSA certificate; AEAD first. */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };
    /** Long enough for a lossy commune link to retransmit a few times; short enough to free the thread. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    private DtlsSrtpSettings() {
    }

    /** Signs this side's handshake with the bridge's certificate (ECDSA over SHA-256). */
    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, DtlsCertificate certificate) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), certificate.toTlsCertificate(crypto),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** RFC 5764 4.2: the SRTP keys exported from the completed handshake, this side's named local. */
    static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile, boolean localIsServer) throws IOException {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialBytes());
        return SrtpKeys.fromKeyingMaterial(profile, material, localIsServer);
    }
}
