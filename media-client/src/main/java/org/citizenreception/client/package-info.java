/**
 * A lightweight WebRTC peer in Java: a publisher that sends synthetic VP8 + Opus and a viewer that
 * measures what it receives, both over real ICE, DTLS-SRTP and RTP/RTCP. It exists to test and load
 * the bridge from outside, the way a browser talks to it, at a fraction of a browser's cost. It is
 * an independent implementation on purpose and must never depend on {@code media-server}.
 *
 * <h2>Using it</h2>
 * <pre>{@code
 * try (ClientGroup group = ClientGroup.create()) {            // one event-loop group for all peers
 *     Publisher host = group.publisher(PeerOptions.defaults().videoBitrateBps(2_500_000));
 *     host.connect(Signaller.http(URI.create("https://127.0.0.1:8443/whip/42"), hostToken))
 *         .get(10, TimeUnit.SECONDS);                          // ICE + DTLS done, media flowing
 *
 *     Viewer room = group.viewer(PeerOptions.defaults().nack(true).pliAfterMillis(500));
 *     room.connect(Signaller.http(URI.create("https://127.0.0.1:8443/whep/42"), roomToken)).get();
 *     Thread.sleep(5_000);
 *     ViewerStats s = room.stats();     // packets, loss, duplicates, reordering per SSRC,
 *                                       // latency histogram, join-to-keyframe, PLIs sent
 *     PublisherStats p = host.stats();  // keyframeRequests() = PLI + FIR received
 * }                                     // close() leaves (WHIP/WHEP DELETE) and frees everything
 * }</pre>
 * In-process tests skip HTTP with {@code Signaller.direct(offer -> answerer.answer(offer))}.
 *
 * <h2>What it does on the wire</h2>
 * <ul>
 * <li>Offer: BUNDLE of audio (mid 0) and video (mid 1), rtcp-mux, one host candidate, ECDSA
 *     certificate fingerprint, {@code setup:actpass}; Opus 111 with audio level; VP8 96 + RTX 97
 *     with nack, nack pli, ccm fir, transport-cc, goog-remb; mid, abs-send-time, transport-wide-cc.
 *     Viewers are recvonly; publishers sendonly with {@code a=ssrc}/msid and an FID group.</li>
 * <li>ICE: controlling, aggressive nomination (USE-CANDIDATE on every check) against the answer's
 *     candidates; answers the peer's own checks and learns peer-reflexive addresses from them, so a
 *     full-ICE peer (libwebrtc) connects too; consent checks every 5 s.</li>
 * <li>DTLS 1.2 (bctls) in the role the answer's {@code a=setup} implies, run on a handshake thread;
 *     use_srtp offers AEAD_AES_128_GCM then AES_CM_128_HMAC_SHA1_80; the peer certificate must
 *     match the SDP fingerprint; keys exported per RFC 5764 into jitsi-srtp contexts.</li>
 * <li>Publisher: see {@link org.citizenreception.client.Publisher}; every video packet carries a
 *     {@link org.citizenreception.client.rtp.SendStamp} so viewers in the same JVM measure
 *     forwarding latency exactly (abs-send-time is the fallback).</li>
 * <li>Viewer: see {@link org.citizenreception.client.Viewer}. SRTP authentication failures are
 *     counted apart from every other drop: a non-zero count is a bridge bug, not network noise.</li>
 * </ul>
 *
 * <h2>Threads and buffers</h2>
 * Each peer owns one UDP channel on one event loop of its group; all of its packet work and state
 * stay there, and stats are read by a task submitted to that loop. Signalling and the bctls
 * handshake block, so they run on the group's handshake pool, never on an event loop. Datagrams are
 * copied into heap arrays on arrival and their ByteBufs released at once.
 */
package org.citizenreception.client;
