package org.citizenreception.media.stats;

import java.util.Locale;

/**
 * The stretches of a viewer's join, as the bridge sees them; the tag values of
 * {@code reception_media_join_phase}. {@link #ANSWER}, {@link #DTLS} and {@link #FIRST_KEYFRAME}
 * are the server's own work (with the peer's share of the DTLS round trips); {@link #ICE} and
 * {@link #CLIENT_HELLO} wait for the client; {@link #SERVER} is the sum of the three server ones and
 * {@link #TOTAL} runs from the WHEP POST to the first keyframe sent.
 */
public enum JoinPhase {
    /** WHEP POST received to answer ready. */
    ANSWER,
    /** Answer ready to the client's first authenticated ICE check (the client's work). */
    ICE,
    /** ICE connected to the client's first DTLS record (the client's work). */
    CLIENT_HELLO,
    /** First DTLS record to handshake done: queue for a core, bctls, and the client's flights. */
    DTLS,
    /** Handshake done to the first video keyframe packet sent to the viewer. */
    FIRST_KEYFRAME,
    /** {@link #ANSWER} + {@link #DTLS} + {@link #FIRST_KEYFRAME}. */
    SERVER,
    /** WHEP POST received to the first keyframe sent. */
    TOTAL;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
