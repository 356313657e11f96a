package org.citizenreception.control.config;

import java.time.Duration;

/**
 * The secret shared with the TURN server (coturn's {@code static-auth-secret}) from which
 * short-lived TURN credentials are minted per client, TURN REST style (draft-uberti-behave-turn-rest):
 * nothing long-lived reaches a browser, and a leaked credential expires by itself.
 *
 * @param secret   {@code media.turn-secret}
 * @param lifetime {@code media.turn-credential-lifetime-minutes}: long enough for a reception session,
 *                 since TURN refreshes reuse the credential the allocation was made with
 */
public record TurnRestSecret(String secret, Duration lifetime) {
    /** Never prints the secret: configurations end up in logs. */
    @Override
    public String toString() {
        return "TurnRestSecret[secret=***, lifetime=" + lifetime + "]";
    }
}
