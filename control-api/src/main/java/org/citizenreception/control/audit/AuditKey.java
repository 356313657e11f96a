package org.citizenreception.control.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.citizenreception.control.store.OwnerOnlyFiles;

/**
 * The secret that MACs the audit chain and signs its checkpoints. It lives outside the database, so
 * a copy of the database file alone cannot be re-chained: either in the environment
 * ({@code RECEPTION_AUDIT_KEY}, base64 of at least 32 bytes, e.g. from a secrets manager) or in a
 * file (default {@code <data.dir>/keys/audit.key}) created 0600 with 32 random bytes on first start.
 * An auditor verifying an export needs the same key.
 */
public final class AuditKey {
    static final int MIN_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final String source;

    private AuditKey(byte[] bytes, String source) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("the audit key from " + source + " has " + bytes.length
                    + " bytes; at least " + MIN_BYTES + " are needed");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.source = source;
    }

    /** The configured key when given (base64), else the key file, created on first use. */
    public static AuditKey load(Optional<String> base64, Path keyFile) {
        if (base64.isPresent()) {
            return decode(base64.get(), "the audit.key setting (RECEPTION_AUDIT_KEY)");
        }
        if (!Files.isRegularFile(keyFile)) {
            byte[] fresh = new byte[MIN_BYTES];
            new SecureRandom().nextBytes(fresh);
            OwnerOnlyFiles.file(keyFile);
            try {
                Files.writeString(keyFile, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the audit key " + keyFile, e);
            }
        }
        return fromFile(keyFile);
    }

    /** Reads a key file (base64 text), tightening its permissions to 0600 when it is the server's own. */
    public static AuditKey fromFile(Path keyFile) {
        try {
            OwnerOnlyFiles.restrict(keyFile, OwnerOnlyFiles.FILE);
            return decode(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit key " + keyFile, e);
        }
    }

    public static AuditKey decode(String base64, String source) {
        try {
            return new AuditKey(Base64.getDecoder().decode(base64.strip()), source);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the audit key")) {
                throw e;
            }
            throw new IllegalArgumentException("the audit key from " + source + " is not base64", e);
        }
    }

    byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }

    /** Where the key came from, for the start log; never the key. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "AuditKey[" + source + "]";
    }
}
