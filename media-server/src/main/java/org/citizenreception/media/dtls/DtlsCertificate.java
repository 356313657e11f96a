package org.citizenreception.media.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A self-signed ECDSA P-256 certificate. WebRTC trusts it by the fingerprint in SDP, not by a CA,
 * so one generated at start serves every endpoint of the process. P-256 because every browser
 * supports it and its handshakes cost a fraction of RSA's.
 */
public final class DtlsCertificate {
    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final CertificateFingerprint fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = CertificateFingerprint.of("sha-256", der);
    }

    /** @param commonName the subject CN, visible to nobody but packet captures */
    public static DtlsCertificate generateEcdsa(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                    name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new DtlsCertificate(holder.getEncoded(), PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate an ECDSA certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CertificateFingerprint fingerprint() {
        return fingerprint;
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The certificate as bctls sends it, bound to {@code crypto}. */
    public Certificate toTlsCertificate(BcTlsCrypto crypto) {
        try {
            return new Certificate(new TlsCertificate[] {new BcTlsCertificate(crypto, der)});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests that play the DTLS client with this certificate. */
    public AsymmetricKeyParameter privateKeyForClientUse() {
        return privateKey;
    }
}
