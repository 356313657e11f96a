package org.citizenreception.media.dtls;

import org.citizenreception.media.srtp.SrtpKeys;

/** What a DTLS session tells its endpoint. Called on a handshake executor thread unless said otherwise. */
public interface DtlsListener {
    /** The peer's first record arrived (on the event loop): the handshake is queued for a core. */
    default void handshakeStarted() {
    }

    void handshakeCompleted(SrtpKeys keys);

    /** The handshake failed or timed out, or the peer closed or sent a fatal alert later. */
    void dtlsFailed(String reason);
}
