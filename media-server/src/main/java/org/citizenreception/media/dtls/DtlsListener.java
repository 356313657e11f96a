package org.citizenreception.media.dtls;

import org.citizenreception.media.srtp.SrtpKeys;

/** What a DTLS session tells its endpoint. Called on a handshake executor thread. */
public interface DtlsListener {
    void handshakeCompleted(SrtpKeys keys);

    /** The handshake failed or timed out, or the peer closed or sent a fatal alert later. */
    void dtlsFailed(String reason);
}
