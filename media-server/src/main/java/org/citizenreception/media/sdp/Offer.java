package org.citizenreception.media.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.citizenreception.media.dtls.CertificateFingerprint;

/**
 * A WebRTC offer the bridge can serve, with per-m-line choices made. Construction validates:
 * anything unservable throws {@link UnsupportedOfferException} with its exact message.
 *
 * @param iceUfrag     the offerer's ICE username fragment
 * @param icePassword  the offerer's ICE password
 * @param fingerprint  the offerer's DTLS certificate fingerprint
 * @param media        one entry per m-line, in offer order
 * @param session      the parsed document, for anything else
 */
public record Offer(String iceUfrag, String icePassword, CertificateFingerprint fingerprint,
                    List<NegotiatedMedia> media, SessionDescription session) {

    private static final Set<String> SERVED_EXTENSIONS = Set.of(
            RtpExtensions.MID, RtpExtensions.ABS_SEND_TIME, RtpExtensions.TRANSPORT_WIDE_CC, RtpExtensions.AUDIO_LEVEL,
            RtpExtensions.RTP_STREAM_ID, RtpExtensions.REPAIRED_RTP_STREAM_ID);
    private static final List<String> SERVED_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");

    public static Offer parse(String sdp) {
        return parse(sdp, false);
    }

    /**
     * Reads another bridge's answer to this bridge's own offer (a cascade link) with the same rules
     * and into the same shape, so the link's endpoint is built like any other: the answer's
     * {@code a=setup:passive} is what makes this bridge the DTLS client there, and its directions
     * are the answerer's ({@code sendonly}: it sends, as an offerer's {@code sendonly} would).
     */
    public static Offer parseAnswer(String sdp) {
        return parse(sdp, true);
    }

    private static Offer parse(String sdp, boolean answer) {
        SessionDescription session = SdpParser.parse(sdp);
        List<MediaDescription> lines = session.media();
        if (lines.isEmpty()) {
            throw new UnsupportedOfferException(UnsupportedOfferException.NO_MEDIA);
        }
        MediaDescription first = lines.get(0);
        String fingerprintValue = session.attribute(first, "fingerprint");
        if (fingerprintValue == null) {
            throw new UnsupportedOfferException(UnsupportedOfferException.NO_DTLS_FINGERPRINT);
        }
        CertificateFingerprint fingerprint;
        try {
            fingerprint = CertificateFingerprint.parse(fingerprintValue);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOfferException(UnsupportedOfferException.UNUSABLE_DTLS_FINGERPRINT);
        }
        String ufrag = session.attribute(first, "ice-ufrag");
        String password = session.attribute(first, "ice-pwd");
        if (ufrag == null || password == null || ufrag.isBlank() || password.isBlank()) {
            throw new UnsupportedOfferException(UnsupportedOfferException.NO_ICE_CREDENTIALS);
        }
        if (!answer && "passive".equals(session.attribute(first, "setup"))) {
            throw new UnsupportedOfferException(UnsupportedOfferException.DTLS_CLIENT_ROLE);
        }
        Set<String> bundled = bundledMids(session);
        List<NegotiatedMedia> media = new ArrayList<>();
        boolean anyServed = false;
        boolean anyAudioOrVideo = false;
        for (MediaDescription line : lines) {
            boolean audioOrVideo = MediaKind.fromSdp(line.kind()) != null;
            anyAudioOrVideo |= audioOrVideo;
            if (line.port() == 0 || !audioOrVideo || line.mid() == null) {
                media.add(rejected(line));
                continue;
            }
            if (!bundled.contains(line.mid())) {
                throw new UnsupportedOfferException(UnsupportedOfferException.NO_BUNDLE);
            }
            if (!line.hasAttribute("rtcp-mux")) {
                throw new UnsupportedOfferException(UnsupportedOfferException.NO_RTCP_MUX);
            }
            NegotiatedMedia chosen = negotiate(line);
            anyServed |= !chosen.rejected();
            media.add(chosen);
        }
        if (!anyAudioOrVideo) {
            throw new UnsupportedOfferException(UnsupportedOfferException.NO_MEDIA);
        }
        if (!anyServed) {
            throw new UnsupportedOfferException(UnsupportedOfferException.NO_COMMON_CODEC);
        }
        return new Offer(ufrag, password, fingerprint, List.copyOf(media), session);
    }

    /** The served (not rejected) m-lines of {@code kind}. */
    public List<NegotiatedMedia> served(MediaKind kind) {
        return media.stream().filter(m -> !m.rejected() && m.kind().equals(kind.sdpName())).toList();
    }

    private static Set<String> bundledMids(SessionDescription session) {
        for (String group : session.attributes("group")) {
            String[] parts = group.trim().split("\\s+");
            if (parts.length > 0 && parts[0].equals("BUNDLE")) {
                return new HashSet<>(Arrays.asList(parts).subList(1, parts.length));
            }
        }
        throw new UnsupportedOfferException(UnsupportedOfferException.NO_BUNDLE);
    }

    private static NegotiatedMedia rejected(MediaDescription line) {
        return new NegotiatedMedia(line.mid() == null ? "" : line.mid(), line.kind(), true, line.direction(), -1, "",
                null, -1, List.of(), Map.of(), List.of(), Map.of(), List.of());
    }

    private static NegotiatedMedia negotiate(MediaDescription line) {
        Map<Integer, String> rtpmaps = line.rtpmaps();
        Map<Integer, String> fmtps = line.fmtps();
        int pt = MediaKind.fromSdp(line.kind()) == MediaKind.AUDIO ? chooseAudio(line, rtpmaps) : chooseVideo(line, rtpmaps, fmtps);
        if (pt < 0) {
            return rejected(line);
        }
        int rtxPt = -1;
        for (Map.Entry<Integer, String> fmtp : fmtps.entrySet()) {
            String codec = rtpmaps.getOrDefault(fmtp.getKey(), "");
            if (codec.toLowerCase(Locale.ROOT).startsWith("rtx/") && fmtp.getValue().trim().equals("apt=" + pt)) {
                rtxPt = fmtp.getKey();
                break;
            }
        }
        List<String> offeredFeedback = line.rtcpFeedback().getOrDefault(pt, List.of());
        List<String> feedback = SERVED_FEEDBACK.stream().filter(offeredFeedback::contains).toList();
        Map<String, Integer> extensionIds = new LinkedHashMap<>();
        line.extmaps().forEach((id, uri) -> {
            if (SERVED_EXTENSIONS.contains(uri)) {
                extensionIds.putIfAbsent(uri, id);
            }
        });
        Map<Long, Long> rtx = line.rtxSsrcs();
        List<Long> ssrcs = new ArrayList<>();
        for (Long ssrc : line.ssrcs().keySet()) {
            if (!rtx.containsValue(ssrc)) {
                ssrcs.add(ssrc);
            }
        }
        return new NegotiatedMedia(line.mid(), line.kind(), false, line.direction(), pt, rtpmaps.get(pt),
                fmtps.get(pt), rtxPt, feedback, Map.copyOf(extensionIds), List.copyOf(ssrcs), Map.copyOf(rtx),
                line.sendRids());
    }

    private static int chooseAudio(MediaDescription line, Map<Integer, String> rtpmaps) {
        for (int pt : line.formats()) {
            String codec = rtpmaps.getOrDefault(pt, "");
            if (codec.equalsIgnoreCase("opus/48000/2")) {
                return pt;
            }
        }
        return -1;
    }

    /** VP8 first (cheapest keyframe detection, picture-id continuity); else H.264 mode 1, constrained baseline preferred. */
    private static int chooseVideo(MediaDescription line, Map<Integer, String> rtpmaps, Map<Integer, String> fmtps) {
        for (int pt : line.formats()) {
            if (rtpmaps.getOrDefault(pt, "").equalsIgnoreCase("VP8/90000")) {
                return pt;
            }
        }
        int anyH264 = -1;
        for (int pt : line.formats()) {
            if (!rtpmaps.getOrDefault(pt, "").equalsIgnoreCase("H264/90000")) {
                continue;
            }
            String fmtp = fmtps.getOrDefault(pt, "").toLowerCase(Locale.ROOT);
            if (!fmtp.contains("packetization-mode=1")) {
                continue;
            }
            if (fmtp.contains("profile-level-id=42e0")) {
                return pt;
            }
            if (anyH264 < 0) {
                anyH264 = pt;
            }
        }
        return anyH264;
    }
}
