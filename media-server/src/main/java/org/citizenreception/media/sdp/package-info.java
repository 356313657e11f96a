/**
 * SDP offer/answer for WebRTC clients (RFC 8829 as browsers speak it): parse an offer
 * ({@link org.citizenreception.media.sdp.SdpParser}, {@link org.citizenreception.media.sdp.Offer}),
 * pick what the bridge can serve per m-line ({@link org.citizenreception.media.sdp.NegotiatedMedia}),
 * and write the answer ({@link org.citizenreception.media.sdp.AnswerBuilder}). BUNDLE, rtcp-mux
 * and a DTLS fingerprint are required; codecs are Opus, VP8 and H.264 packetization-mode 1.
 * Everything the bridge cannot serve is one {@link org.citizenreception.media.sdp.UnsupportedOfferException}
 * with one of a few exact messages.
 *
 * <p>Callers: the conference package. Pure functions over strings; no I/O, no state.
 */
package org.citizenreception.media.sdp;
