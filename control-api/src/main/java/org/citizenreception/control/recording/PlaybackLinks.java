package org.citizenreception.control.recording;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.citizenreception.control.error.DomainErrors;

/**
 * Short-lived links to one recording's file, for a {@code <video src>} or a download link: the
 * browser cannot add an Authorization header there, and a bearer token never goes into a URL. The
 * link carries its expiry and an HMAC-SHA256 over {@code "recording-id:expiry"} under a random key
 * of this process: it opens that one file, read-only, until it expires, and a restart voids every
 * link (the page asks for a new one).
 */
public final class PlaybackLinks {
    private static final String HMAC = "HmacSHA256";

    /** A link to the inline stream and one to the download, valid until {@code expiresAt}. */
    public record Link(long recordingId, String url, String downloadUrl, Instant expiresAt) {
    }

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration lifetime;

    public PlaybackLinks(Clock clock, Duration lifetime) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, HMAC);
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Link issue(long recordingId) {
        Instant expires = clock.instant().plus(lifetime);
        long exp = expires.getEpochSecond();
        String url = "/api/v1/recordings/" + recordingId + "/stream?exp=" + exp + "&sig=" + sign(recordingId, exp);
        return new Link(recordingId, url, url + "&download=1", expires);
    }

    /**
     * Passes only a signature of this process for {@code recordingId} that has not expired: 401
     * without one, 403 for a wrong, altered or expired one.
     */
    public void check(long recordingId, String exp, String sig) {
        if (exp == null || sig == null || exp.isBlank() || sig.isBlank()) {
            throw DomainErrors.unauthorized("a recording's stream needs a playback link (exp and sig); ask POST /api/v1/recordings/"
                    + recordingId + "/playback for one");
        }
        long expiry;
        try {
            expiry = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            throw DomainErrors.forbidden("the playback link is not valid");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(sig);
        } catch (IllegalArgumentException e) {
            throw DomainErrors.forbidden("the playback link is not valid");
        }
        byte[] expected = HexFormat.of().parseHex(sign(recordingId, expiry));
        if (!MessageDigest.isEqual(expected, given)) {
            throw DomainErrors.forbidden("the playback link is not valid for recording " + recordingId);
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            throw DomainErrors.forbidden("the playback link has expired; ask for a new one");
        }
    }

    private String sign(long recordingId, long exp) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((recordingId + ":" + exp).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
