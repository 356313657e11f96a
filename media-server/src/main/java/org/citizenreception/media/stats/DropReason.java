package org.citizenreception.media.stats;

/**
 * Why the bridge dropped a packet: an incoming datagram ({@code reception_media_packets_dropped}),
 * or a packet a stage of the receive or send path gave up on ({@code reception_media_stage_drops}).
 * A closed set, so the {@code reason} tag stays bounded.
 */
public enum DropReason {
    /** The first byte matches none of the RFC 7983 ranges (STUN, DTLS, RTP/RTCP). */
    UNKNOWN_TYPE("unknown_type"),
    /** DTLS or SRTP from an address no endpoint has been nominated on by ICE. */
    UNKNOWN_ADDRESS("unknown_address"),
    /** STUN that ice4j cannot decode, or a STUN message that is not a binding request. */
    STUN_MALFORMED("stun_malformed"),
    /** A binding request whose USERNAME names no local ufrag. */
    STUN_UNKNOWN_USER("stun_unknown_user"),
    /** A binding request whose MESSAGE-INTEGRITY or FINGERPRINT does not verify. */
    STUN_UNAUTHORIZED("stun_unauthorized"),
    /** DTLS the endpoint's handshake queue refused (full, or the endpoint is closing). */
    DTLS_REJECTED("dtls_rejected"),
    /** SRTP or SRTCP before the DTLS handshake produced keys. */
    SRTP_NOT_READY("srtp_not_ready"),
    /** SRTP or SRTCP whose authentication tag does not verify, or a replayed packet. */
    SRTP_AUTH_FAILED("srtp_auth_failed"),
    /** RTP or RTCP too short or otherwise not parseable. */
    RTP_MALFORMED("rtp_malformed"),
    /** RTP with an SSRC the endpoint never announced and the bridge cannot place. */
    UNKNOWN_SSRC("unknown_ssrc"),
    /** Media from a viewer-only endpoint, which has nothing to publish. */
    NOT_PUBLISHING("not_publishing"),
    /** An RTX packet with no original inside: padding a publisher sends to probe bandwidth. */
    RTX_PADDING("rtx_padding"),
    /** Send path: the viewer's rewriter refused the packet (its slot is switching to a source's next keyframe). */
    REWRITE_REFUSED("rewrite_refused"),
    /** Send path: the viewer's SRTP context could not protect the packet (closed, or its index exhausted). */
    SRTP_PROTECT_FAILED("srtp_protect_failed"),
    /** Send path: the viewer has no selected address yet, or its endpoint closed meanwhile. */
    NO_REMOTE("no_remote");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code reason} tag. */
    public String tag() {
        return tag;
    }
}
