package org.citizenreception.client.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the offer a browser would send (or, with {@link #answering}, the matching answer): one BUNDLE group of an audio (mid 0) and a video (mid 1)
 * m-line, rtcp-mux, one host candidate, our certificate fingerprint and {@code setup:actpass}.
 * Payload types and extension ids are the constants below, the ones Chrome uses, so a server
 * that hard-codes them by mistake is not caught here; the answer's values win for sending.
 */
public final class SdpOfferBuilder {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int RTX_PT = 97;
    public static final int EXT_AUDIO_LEVEL = 1;
    public static final int EXT_ABS_SEND_TIME = 2;
    public static final int EXT_TRANSPORT_CC = 3;
    public static final int EXT_MID = 4;

    public static final String URI_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String URI_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String URI_TRANSPORT_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String URI_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

    private String ufrag;
    private String pwd;
    private String fingerprintSha256;
    private String candidateHost = "127.0.0.1";
    private int candidatePort;
    private boolean send;
    private long audioSsrc;
    private long videoSsrc;
    private long rtxSsrc;
    private String cname = "crl-client";
    private SdpAnswer remoteOffer;

    public SdpOfferBuilder ice(String ufrag, String pwd) {
        this.ufrag = ufrag;
        this.pwd = pwd;
        return this;
    }

    /** Colon-separated upper-case hex, as in {@code a=fingerprint:sha-256}. */
    public SdpOfferBuilder fingerprint(String sha256) {
        this.fingerprintSha256 = sha256;
        return this;
    }

    public SdpOfferBuilder candidate(String host, int port) {
        this.candidateHost = host;
        this.candidatePort = port;
        return this;
    }

    /** A publisher's offer: sendonly, with the SSRCs it will use (RTX pairs with video via FID). */
    public SdpOfferBuilder sendOnly(long audioSsrc, long videoSsrc, long rtxSsrc, String cname) {
        this.send = true;
        this.audioSsrc = audioSsrc;
        this.videoSsrc = videoSsrc;
        this.rtxSsrc = rtxSsrc;
        this.cname = cname;
        return this;
    }

    /** A viewer's offer (the default): recvonly, no SSRCs. */
    public SdpOfferBuilder recvOnly() {
        this.send = false;
        return this;
    }

    /**
     * Writes an answer to {@code remoteOffer} instead of an offer: the offer's m-line order, mids,
     * payload types and extension ids; {@code setup:active} (we become the DTLS client) unless the
     * offerer already claimed active; m-lines without Opus or VP8 are rejected with port 0.
     */
    public SdpOfferBuilder answering(SdpAnswer remoteOffer) {
        this.remoteOffer = remoteOffer;
        return this;
    }

    /** The {@code a=setup} value this description carries. */
    public String setup() {
        if (remoteOffer == null) {
            return "actpass";
        }
        return "active".equals(remoteOffer.setup()) ? "passive" : "active";
    }

    public String build() {
        if (ufrag == null || pwd == null || fingerprintSha256 == null || candidatePort == 0) {
            throw new IllegalStateException("ice credentials, fingerprint and candidate are required");
        }
        List<String> l = new ArrayList<>();
        l.add("v=0");
        l.add("o=- " + (System.nanoTime() & 0x7FFFFFFFFFFFL) + " 2 IN IP4 127.0.0.1");
        l.add("s=-");
        l.add("t=0 0");
        List<String[]> lines = new ArrayList<>(); // kind, mid
        if (remoteOffer == null) {
            lines.add(new String[] {"audio", "0"});
            lines.add(new String[] {"video", "1"});
        } else {
            for (SdpAnswer.Media m : remoteOffer.media()) {
                lines.add(new String[] {m.kind, m.mid == null ? Integer.toString(lines.size()) : m.mid});
            }
        }
        List<String> bundle = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (accepted(i, lines.get(i)[0])) {
                bundle.add(lines.get(i)[1]);
            }
        }
        l.add("a=group:BUNDLE " + String.join(" ", bundle));
        l.add("a=extmap-allow-mixed");
        l.add("a=msid-semantic: WMS " + (send ? "crl" : ""));
        for (int i = 0; i < lines.size(); i++) {
            String kind = lines.get(i)[0];
            String mid = lines.get(i)[1];
            SdpAnswer.Media offered = remoteOffer == null ? null : remoteOffer.media().get(i);
            if (!accepted(i, kind)) {
                l.add("m=" + kind + " 0 UDP/TLS/RTP/SAVPF " + (offered != null && !offered.payloadTypes.isEmpty()
                        ? offered.payloadTypes.values().iterator().next() : 0));
                l.add("c=IN IP4 0.0.0.0");
                l.add("a=mid:" + mid);
                l.add("a=inactive");
            } else if (kind.equals("audio")) {
                addAudio(l, mid, offered);
            } else {
                addVideo(l, mid, offered);
            }
        }
        return String.join("\r\n", l) + "\r\n";
    }

    private boolean accepted(int index, String kind) {
        if (remoteOffer == null) {
            return true;
        }
        SdpAnswer.Media m = remoteOffer.media().get(index);
        if (m.rejected) {
            return false;
        }
        return kind.equals("audio") ? m.payloadType("opus") >= 0 : kind.equals("video") && m.payloadType("vp8") >= 0;
    }

    private void common(List<String> l, String mid) {
        l.add("c=IN IP4 0.0.0.0");
        l.add("a=rtcp:9 IN IP4 0.0.0.0");
        l.add(String.format(Locale.ROOT, "a=candidate:1 1 udp 2130706431 %s %d typ host generation 0",
                candidateHost, candidatePort));
        l.add("a=end-of-candidates");
        l.add("a=ice-ufrag:" + ufrag);
        l.add("a=ice-pwd:" + pwd);
        l.add("a=fingerprint:sha-256 " + fingerprintSha256);
        l.add("a=setup:" + setup());
        l.add("a=mid:" + mid);
    }

    /** Our default id for {@code uri} when offering; the offer's (or none) when answering. */
    private void extmap(List<String> l, SdpAnswer.Media offered, int ourId, String uri) {
        int id = offered == null ? ourId : offered.extmapId(uri);
        if (id > 0) {
            l.add("a=extmap:" + id + " " + uri);
        }
    }

    private void addAudio(List<String> l, String mid, SdpAnswer.Media offered) {
        int opus = offered == null ? OPUS_PT : offered.payloadType("opus");
        l.add("m=audio 9 UDP/TLS/RTP/SAVPF " + opus);
        common(l, mid);
        extmap(l, offered, EXT_AUDIO_LEVEL, URI_AUDIO_LEVEL);
        extmap(l, offered, EXT_ABS_SEND_TIME, URI_ABS_SEND_TIME);
        extmap(l, offered, EXT_TRANSPORT_CC, URI_TRANSPORT_CC);
        extmap(l, offered, EXT_MID, URI_MID);
        l.add(send ? "a=sendonly" : "a=recvonly");
        if (send) {
            l.add("a=msid:crl crl-audio");
        }
        l.add("a=rtcp-mux");
        l.add("a=rtpmap:" + opus + " opus/48000/2");
        l.add("a=rtcp-fb:" + opus + " transport-cc");
        l.add("a=fmtp:" + opus + " minptime=10;useinbandfec=1");
        if (send) {
            l.add("a=ssrc:" + audioSsrc + " cname:" + cname);
            l.add("a=ssrc:" + audioSsrc + " msid:crl crl-audio");
        }
    }

    private void addVideo(List<String> l, String mid, SdpAnswer.Media offered) {
        int vp8 = offered == null ? VP8_PT : offered.payloadType("vp8");
        int rtx = offered == null ? RTX_PT : offered.rtxFor(vp8);
        l.add("m=video 9 UDP/TLS/RTP/SAVPF " + vp8 + (rtx >= 0 ? " " + rtx : ""));
        common(l, mid);
        extmap(l, offered, EXT_ABS_SEND_TIME, URI_ABS_SEND_TIME);
        extmap(l, offered, EXT_TRANSPORT_CC, URI_TRANSPORT_CC);
        extmap(l, offered, EXT_MID, URI_MID);
        l.add(send ? "a=sendonly" : "a=recvonly");
        if (send) {
            l.add("a=msid:crl crl-video");
        }
        l.add("a=rtcp-mux");
        l.add("a=rtcp-rsize");
        l.add("a=rtpmap:" + vp8 + " VP8/90000");
        l.add("a=rtcp-fb:" + vp8 + " goog-remb");
        l.add("a=rtcp-fb:" + vp8 + " transport-cc");
        l.add("a=rtcp-fb:" + vp8 + " ccm fir");
        l.add("a=rtcp-fb:" + vp8 + " nack");
        l.add("a=rtcp-fb:" + vp8 + " nack pli");
        if (rtx >= 0) {
            l.add("a=rtpmap:" + rtx + " rtx/90000");
            l.add("a=fmtp:" + rtx + " apt=" + vp8);
        }
        if (send) {
            if (rtx >= 0) {
                l.add("a=ssrc-group:FID " + videoSsrc + " " + rtxSsrc);
            }
            for (long ssrc : rtx >= 0 ? new long[] {videoSsrc, rtxSsrc} : new long[] {videoSsrc}) {
                l.add("a=ssrc:" + ssrc + " cname:" + cname);
                l.add("a=ssrc:" + ssrc + " msid:crl crl-video");
            }
        }
    }
}
