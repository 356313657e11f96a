package org.citizenreception.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An SDP {@code a=fingerprint} (RFC 8122): hash function name as in SDP ("sha-256") and the
 * upper-case, colon-separated hex digest.
 */
public record CertificateFingerprint(String algorithm, String value) {
    public CertificateFingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
        javaDigestName(algorithm);
    }

    /** Parses the value of an {@code a=fingerprint:} attribute, e.g. "sha-256 AB:CD:...". */
    public static CertificateFingerprint parse(String attributeValue) {
        String[] parts = attributeValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("fingerprint must be '<hash> <hex>', was '" + attributeValue + "'");
        }
        return new CertificateFingerprint(parts[0], parts[1]);
    }

    public static CertificateFingerprint of(String algorithm, byte[] derCertificate) {
        return new CertificateFingerprint(algorithm, digest(algorithm, derCertificate));
    }

    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(value.getBytes(), digest(algorithm, derCertificate).getBytes());
    }

    /** As it appears after {@code a=fingerprint:}. */
    public String toSdpValue() {
        return algorithm + " " + value;
    }

    private static String digest(String algorithm, byte[] der) {
        try {
            byte[] hash = MessageDigest.getInstance(javaDigestName(algorithm)).digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaDigestName(String sdpName) {
        return switch (sdpName) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash: " + sdpName);
        };
    }
}
