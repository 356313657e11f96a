/**
 * ICE-lite (RFC 8445 section 2.5): the bridge never sends connectivity checks; it answers STUN
 * binding requests that authenticate with an endpoint's short-term credentials, learns the
 * client's address from them, and watches consent freshness (RFC 7675).
 *
 * <p>{@link org.citizenreception.media.ice.IceLiteAgent} receives every STUN datagram from the
 * transport and finds the {@link org.citizenreception.media.ice.IceSession} by the local ufrag in
 * USERNAME. STUN messages are decoded and built with ice4j's message classes; MESSAGE-INTEGRITY
 * and FINGERPRINT are computed with ice4j's own helpers but appended here, because ice4j's
 * encoder wants a whole {@code StunStack} (threads, sockets) just to look up a password.
 *
 * <p>Callers: the conference package creates sessions; the transport delivers datagrams.
 */
package org.citizenreception.media.ice;
