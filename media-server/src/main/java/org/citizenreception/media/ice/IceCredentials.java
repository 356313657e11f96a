package org.citizenreception.media.ice;

import java.security.SecureRandom;

/**
 * A ufrag/password pair. Local credentials are random: 8 ice-chars of ufrag (48 bits, unique
 * among a few thousand endpoints with overwhelming probability) and 24 of password (144 bits,
 * above the RFC 8445 minimum of 128).
 */
public record IceCredentials(String ufrag, String password) {
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public IceCredentials {
        if (ufrag == null || ufrag.isEmpty() || ufrag.indexOf(':') >= 0) {
            throw new IllegalArgumentException("ufrag must be non-empty and without ':', was " + ufrag);
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("password must be non-empty");
        }
    }

    public static IceCredentials random() {
        return new IceCredentials(randomChars(8), randomChars(24));
    }

    private static String randomChars(int count) {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
            chars[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(chars);
    }
}
