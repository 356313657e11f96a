/**
 * SRTP/SRTCP glue over jitsi-srtp: {@link org.citizenreception.media.srtp.SrtpProfile} (what
 * DTLS negotiates), {@link org.citizenreception.media.srtp.SrtpKeys} (what it exports) and
 * {@link org.citizenreception.media.srtp.SrtpTransformer} (per-endpoint, per-SSRC contexts,
 * in place on pooled heap buffers). Callers: {@code dtls} produces keys, {@code conference}
 * protects and unprotects on the event loop.
 */
package org.citizenreception.media.srtp;
