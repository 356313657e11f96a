package org.citizenreception.media.sdp;

import java.util.List;
import java.util.Map;

/**
 * What the bridge will use on one m-line of an offer: the codec chosen (with the offerer's
 * payload type), its RTX payload type if offered, the header extension ids the offerer uses for
 * the URIs we understand, and the offerer's own SSRCs.
 *
 * @param mid              the m-line's mid
 * @param kind             "audio" or "video"
 * @param rejected         true for an m-line we answer with port 0 (stopped, or a kind we do not serve)
 * @param offerDirection   the offerer's direction
 * @param payloadType      the offerer's payload type for the codec, -1 when rejected
 * @param codec            e.g. "opus/48000/2", "VP8/90000"
 * @param fmtp             the offerer's fmtp for the codec, or null
 * @param rtxPayloadType   the offerer's RTX payload type whose apt is the codec, or -1
 * @param feedback         rtcp-fb values the offerer lists for the codec
 * @param extensionIds     URI to id, for {@link RtpExtensions} URIs the offerer included
 * @param ssrcs            the offerer's media SSRCs (RTX ones excluded), in offer order
 * @param rtxSsrcs         media SSRC to RTX SSRC
 * @param sendRids         simulcast RIDs the offerer will send, lowest layer first (the order of its encodings)
 */
public record NegotiatedMedia(String mid, String kind, boolean rejected, String offerDirection, int payloadType,
                              String codec, String fmtp, int rtxPayloadType, List<String> feedback,
                              Map<String, Integer> extensionIds, List<Long> ssrcs, Map<Long, Long> rtxSsrcs,
                              List<String> sendRids) {

    public boolean isAudio() {
        return MediaKind.fromSdp(kind) == MediaKind.AUDIO;
    }

    public boolean isVideo() {
        return MediaKind.fromSdp(kind) == MediaKind.VIDEO;
    }

    /** Codec name without clock rate: "opus", "VP8", "H264". */
    public String codecName() {
        int slash = codec.indexOf('/');
        return slash < 0 ? codec : codec.substring(0, slash);
    }

    public int clockRate() {
        String[] parts = codec.split("/");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : 90000;
    }

    public int extensionId(String uri) {
        Integer id = extensionIds.get(uri);
        return id == null ? -1 : id;
    }

    /** True when the offerer will send media on this m-line. */
    public boolean offererSends() {
        return !rejected && (offerDirection.equals("sendonly") || offerDirection.equals("sendrecv"));
    }

    /** True when the offerer will receive media on this m-line. */
    public boolean offererReceives() {
        return !rejected && (offerDirection.equals("recvonly") || offerDirection.equals("sendrecv"));
    }
}
