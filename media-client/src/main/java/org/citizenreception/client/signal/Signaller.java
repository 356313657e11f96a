package org.citizenreception.client.signal;

import java.io.IOException;
import java.net.URI;
import java.util.function.Function;

/**
 * How a peer trades its offer for an answer: over WHIP/WHEP HTTP, or directly in-process (tests that
 * hold the answering side in the same JVM). {@link #leave()} ends the session where that means
 * something (the WHIP/WHEP DELETE).
 */
public interface Signaller {
    /** Sends the offer and returns the answer SDP; may block (never called on an event loop). */
    String exchange(String offerSdp) throws IOException, InterruptedException;

    /** Leaves the session; idempotent; the default does nothing. */
    default void leave() {
    }

    /** In-process signalling: {@code answerer} receives the offer and returns the answer. */
    static Signaller direct(Function<String, String> answerer) {
        return answerer::apply;
    }

    /** WHIP (RFC 9725) or WHEP: POST the offer to {@code endpoint} with a bearer token (may be null). */
    static Signaller http(URI endpoint, String bearerToken) {
        return new HttpSignaller(endpoint, bearerToken);
    }
}
