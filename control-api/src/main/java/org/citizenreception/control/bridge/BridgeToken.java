package org.citizenreception.control.bridge;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token between control-api and its media bridges, both ways: HMAC-SHA256 under the secret
 * both sides are configured with ({@code bridge.secret}), over who sends it, to whom, and until when:
 * {@code crb1.<bridge id>.<audience>.<expiry epoch seconds>.<base64url MAC>}. No user or password is
 * involved and nothing is stored: a token proves knowledge of the secret for a minute, and a token
 * meant for a bridge cannot be replayed to control-api (the audience is signed).
 *
 * <p>Why not a static token: one leaked from a log or a proxy would be good forever. Why not mutual
 * TLS: the bridge's API often runs on a private network without a PKI; the token needs none.
 */
public final class BridgeToken {
    /** The token a bridge presents to control-api. */
    public static final String TO_CONTROL = "control";
    /** The token control-api presents to a bridge. */
    public static final String TO_BRIDGE = "bridge";
    /** Long enough for a clock a little off; short enough that a captured token is soon worthless. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** A token valid further ahead than this was not minted by us (or the clocks disagree badly). */
    private static final Duration MAX_AHEAD = LIFETIME.plusSeconds(30);
    private static final String VERSION = "crb1";
    public static final Pattern BRIDGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    /** Shorter secrets are guessable offline from one captured token. */
    public static final int MIN_SECRET_CHARS = 16;

    private final SecretKeySpec key;

    public BridgeToken(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("bridge.secret must have at least " + MIN_SECRET_CHARS + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A token from {@code bridgeId} (or about it, when control-api calls it) for {@code audience}, valid from {@code now}. */
    public String mint(String bridgeId, String audience, Instant now) {
        if (!BRIDGE_ID.matcher(bridgeId).matches()) {
            throw new IllegalArgumentException("bridgeId must be letters, digits, '-' or '_': " + bridgeId);
        }
        String signed = VERSION + "." + bridgeId + "." + audience + "." + now.plus(LIFETIME).getEpochSecond();
        return signed + "." + mac(signed);
    }

    /** The bridge id the token names, when it is ours, for {@code audience}, and not expired at {@code now}. */
    public Optional<String> verify(String token, String audience, Instant now) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0]) || !audience.equals(parts[2])) {
            return Optional.empty();
        }
        String signed = token.substring(0, token.lastIndexOf('.'));
        if (!MessageDigest.isEqual(mac(signed).getBytes(StandardCharsets.US_ASCII), parts[4].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(expiry);
        if (!now.isBefore(expires) || expires.isAfter(now.plus(MAX_AHEAD))) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    private String mac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The token of an {@code Authorization: Bearer ...} header, or null. */
    public static String bearer(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorizationHeader.substring(7).trim();
    }
}
