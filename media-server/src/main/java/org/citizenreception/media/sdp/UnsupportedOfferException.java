package org.citizenreception.media.sdp;

/**
 * An SDP offer the bridge cannot serve. The message is one of the constants below, exactly,
 * so the HTTP layer can show it to the user and tests can match it.
 */
public final class UnsupportedOfferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String NO_COMMON_CODEC =
            "offer has no codec in common with the bridge (audio needs opus/48000/2, video needs VP8 or H264 packetization-mode=1)";
    public static final String NO_BUNDLE =
            "offer does not bundle its media (a=group:BUNDLE must list every m-line)";
    public static final String NO_DTLS_FINGERPRINT =
            "offer has no DTLS fingerprint (a=fingerprint is required)";
    public static final String UNUSABLE_DTLS_FINGERPRINT =
            "offer's DTLS fingerprint is malformed or uses an unknown hash (a=fingerprint:<sha-1|sha-224|sha-256|sha-384|sha-512> <hex>)";
    public static final String NO_RTCP_MUX =
            "offer does not multiplex RTCP (a=rtcp-mux is required)";
    public static final String NO_ICE_CREDENTIALS =
            "offer has no ICE credentials (a=ice-ufrag and a=ice-pwd are required)";
    public static final String DTLS_CLIENT_ROLE =
            "offer asks the bridge to be the DTLS client (a=setup:passive); the bridge is always the DTLS server";
    public static final String NO_MEDIA =
            "offer has no audio or video m-line";
    public static final String MALFORMED =
            "offer is not a valid SDP document";

    public UnsupportedOfferException(String message) {
        super(message);
    }
}
