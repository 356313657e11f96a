/**
 * DTLS-SRTP for the client: an ECDSA certificate, a blocking bctls handshake in either role run on a
 * handshake thread over {@link org.citizenreception.client.dtls.QueueDatagramTransport}, and the
 * exported SRTP keys. Callers: {@code org.citizenreception.client} only.
 */
package org.citizenreception.client.dtls;
