/**
 * DTLS 1.2 server role for DTLS-SRTP (RFC 5763, 5764) on BouncyCastle's bctls.
 *
 * <p>{@link org.citizenreception.media.dtls.DtlsCertificate} is the bridge's ECDSA P-256
 * self-signed certificate whose fingerprint goes into every SDP answer.
 * {@link org.citizenreception.media.dtls.DtlsSession} runs one endpoint's handshake over a
 * {@link org.citizenreception.media.dtls.QueuedDatagramTransport}: the event loop only copies
 * records into a queue; bctls blocks on that queue on a handshake thread, never on the event loop.
 * {@link org.citizenreception.media.dtls.HandshakeExecutor} gives each handshake in progress a
 * thread but lets only one per core compute: a handshake waiting for its peer holds no core, so a
 * slow peer delays nobody else. The client's certificate must match the fingerprint of its SDP offer; use_srtp
 * picks {@code AEAD_AES_128_GCM} when offered, else {@code AES_CM_128_HMAC_SHA1_80}.
 *
 * <p>Callers: the conference package (one session per endpoint).
 */
package org.citizenreception.media.dtls;
