package org.citizenreception.media.transport;

/**
 * What a datagram on the shared port is, told by its first byte (RFC 7983, section 7).
 * ZRTP and TURN channel ranges are not served by this bridge and count as {@link #UNKNOWN}.
 */
public enum PacketKind {
    STUN, DTLS, RTP_OR_RTCP, UNKNOWN;

    public static PacketKind classify(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 128 && b <= 191) {
            return RTP_OR_RTCP;
        }
        return UNKNOWN;
    }
}
