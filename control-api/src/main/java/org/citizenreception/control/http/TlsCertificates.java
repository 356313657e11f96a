package org.citizenreception.control.http;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The HTTPS certificate: the operator's PEM files, or a self-signed ECDSA certificate generated on
 * first start and kept under {@code <data.dir>/tls/} so browsers that accepted it keep accepting it.
 */
public final class TlsCertificates {
    static final char[] KEYSTORE_PASSWORD = "in-memory".toCharArray();
    private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(825);

    private TlsCertificates() {
    }

    public static KeyStore fromPemFiles(Path certificateFile, Path privateKeyFile) {
        try {
            List<X509Certificate> chain = readCertificates(certificateFile);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate found in " + certificateFile);
            }
            PrivateKey key = readPrivateKey(privateKeyFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("https", key, KEYSTORE_PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the HTTPS certificate or key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the HTTPS certificate or key is not usable: " + e.getMessage(), e);
        }
    }

    /** Reuses {@code dir/cert.pem} and {@code dir/key.pem} when present, otherwise writes new ones. */
    public static KeyStore selfSigned(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            generate(cert, key);
        } else {
            // An older version wrote the key with the default umask.
            org.citizenreception.control.store.OwnerOnlyFiles.folder(dir);
            org.citizenreception.control.store.OwnerOnlyFiles.file(key);
        }
        return fromPemFiles(cert, key);
    }

    private static void generate(Path certFile, Path keyFile) {
        try {
            // The private key is created 0600 in a 0700 folder before a byte of it is written.
            org.citizenreception.control.store.OwnerOnlyFiles.folder(certFile.getParent());
            org.citizenreception.control.store.OwnerOnlyFiles.file(keyFile);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=Citizen Reception Live (self-signed)");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(SELF_SIGNED_VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            // PKCS#8 carries the curve parameters; the legacy "EC PRIVATE KEY" form written from a JDK key does not.
            writePem(keyFile, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
            writePem(certFile, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed certificate under " + certFile.getParent(), e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file); PEMParser parser = new PEMParser(in)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file); PEMParser parser = new PEMParser(in)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no private key found in " + file);
    }
}
