package org.citizenreception.control.petition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.citizenreception.control.store.OwnerOnlyFiles;

/**
 * The keyed hash (HMAC-SHA256) of an ID-card number, stored beside the protected number so that a
 * secretary finds a citizen's earlier petitions by the exact number. The key lives outside the
 * database (default {@code <data.dir>/keys/case-history.key}, 0600, 32 random bytes made on first
 * start), so the column alone cannot be matched against the small space of 12-digit CCCD numbers.
 *
 * <p>Numbers are compared after removing spaces and dots and upper-casing: "001 0870 12345" and
 * "001087012345" are the same card.
 */
public final class IdNumberHash {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEY_BYTES = 32;
    private final SecretKeySpec key;

    private IdNumberHash(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The key file's key, the file created with a fresh random key when missing. */
    public static IdNumberHash load(Path keyFile) {
        try {
            if (!Files.isRegularFile(keyFile)) {
                OwnerOnlyFiles.folder(keyFile.toAbsolutePath().getParent());
                byte[] fresh = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(fresh);
                OwnerOnlyFiles.file(keyFile);
                Files.writeString(keyFile, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
            }
            OwnerOnlyFiles.restrict(keyFile, OwnerOnlyFiles.FILE);
            byte[] bytes = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
            if (bytes.length < KEY_BYTES) {
                throw new IllegalArgumentException("the case-history key " + keyFile + " has " + bytes.length + " bytes; "
                        + KEY_BYTES + " are needed");
            }
            return new IdNumberHash(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the case-history key " + keyFile, e);
        }
    }

    /** The stored form of {@code idNumber}; null for a petitioner without one. */
    public String of(String idNumber) {
        String normal = normalise(idNumber);
        if (normal.isEmpty()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(normal.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }

    static String normalise(String idNumber) {
        return idNumber == null ? "" : idNumber.replaceAll("[\\s.\\-]", "").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "IdNumberHash[key withheld]";
    }
}
