package org.citizenreception.control.config;

import java.util.Optional;

/**
 * A STUN or TURN server that WHIP/WHEP clients are told about in {@code Link} headers
 * (RFC 9725 §4.6), so a room behind a strict NAT can relay through TURN. TURN servers carry the
 * configured long-term credential; it is handed only to signed-in clients and never logged.
 *
 * @param url        a {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URI (RFC 7064, RFC 7065)
 * @param username   present for TURN
 * @param credential present for TURN with a long-term credential
 * @param minted     a TURN server whose credential is minted per client from {@code media.turn-secret}
 *                   (username and credential then empty here)
 */
public record IceServer(String url, Optional<String> username, Optional<String> credential, boolean minted) {
    private static final String KEY = "media.ice-servers";

    public IceServer(String url, Optional<String> username, Optional<String> credential) {
        this(url, username, credential, false);
    }

    /** Without the credential, so logging a configuration never leaks the TURN password. */
    @Override
    public String toString() {
        return "IceServer[" + url + username.map(u -> ", username=" + u).orElse("")
                + credential.map(c -> ", credential=***").orElse("") + (minted ? ", minted credentials" : "") + "]";
    }

    static IceServer parse(String url, String turnUsername, String turnCredential, boolean turnSecretSet) {
        String trimmed = url.trim();
        // No spaces, quotes or angle brackets: the URI goes between <> in a Link header as it is.
        if (!trimmed.matches("(stuns?|turns?):[^\\s<>\"\\\\]+")) {
            throw new ConfigProblem(KEY, url, "stun:, stuns:, turn: or turns: URIs, e.g. turn:turn.example.vn:3478?transport=udp");
        }
        boolean turn = trimmed.startsWith("turn");
        if (!turn) {
            return new IceServer(trimmed, Optional.empty(), Optional.empty());
        }
        if (turnSecretSet) {
            if (!turnUsername.isBlank() || !turnCredential.isBlank()) {
                throw new ConfigProblem("media.turn-secret and media.turn-username/media.turn-credential are both set;"
                        + " keep only media.turn-secret (short-lived credentials minted per client)");
            }
            return new IceServer(trimmed, Optional.empty(), Optional.empty(), true);
        }
        if (turnUsername.isBlank()) {
            throw new ConfigProblem("media.turn-username", turnUsername, "the TURN username for " + trimmed
                    + " (or media.turn-secret, preferred)");
        }
        if (turnCredential.isBlank()) {
            // The value itself is a secret: never echo it, even when wrong.
            throw new ConfigProblem("media.turn-credential is empty; the TURN password for " + trimmed + " is required");
        }
        return new IceServer(trimmed, Optional.of(turnUsername), Optional.of(turnCredential));
    }
}
