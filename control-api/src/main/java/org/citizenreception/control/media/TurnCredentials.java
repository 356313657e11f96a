package org.citizenreception.control.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.citizenreception.control.config.TurnRestSecret;

/**
 * Mints a TURN credential for one client, TURN REST style, the scheme coturn's
 * {@code use-auth-secret} checks: {@code username = <expiry unix seconds>:<who>},
 * {@code credential = base64(HMAC-SHA1(secret, username))}. The TURN server recomputes the HMAC and
 * refuses the credential once the expiry has passed; nothing is stored on either side.
 */
public final class TurnCredentials {
    /** A minted username and credential, valid until {@code expiresAt}. */
    public record Credential(String username, String credential, Instant expiresAt) {
        @Override
        public String toString() {
            return "Credential[" + username + ", credential=***]";
        }
    }

    private TurnCredentials() {
    }

    public static Credential mint(TurnRestSecret secret, String who, Instant now) {
        Instant expiresAt = now.plus(secret.lifetime());
        String username = expiresAt.getEpochSecond() + ":" + who;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String credential = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
            return new Credential(username, credential, expiresAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA1", e);
        }
    }
}
