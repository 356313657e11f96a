package org.citizenreception.client.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the offer a browser would send: one BUNDLE group of an audio (mid 0) and a video (mid 1)
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

    public String build() {
        if (ufrag == null || pwd == null || fingerprintSha256 == null || candidatePort == 0) {
            throw new IllegalStateException("ice credentials, fingerprint and candidate are required");
        }
        List<String> l = new ArrayList<>();
        l.add("v=0");
        l.add("o=- " + (System.nanoTime() & 0x7FFFFFFFFFFFL) + " 2 IN IP4 127.0.0.1");
        l.add("s=-");
        l.add("t=0 0");
        l.add("a=group:BUNDLE 0 1");
        l.add("a=extmap-allow-mixed");
        l.add("a=msid-semantic: WMS " + (send ? "crl" : ""));
        addAudio(l);
        addVideo(l);
        return String.join("\r\n", l) + "\r\n";
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
        l.add("a=setup:actpass");
        l.add("a=mid:" + mid);
    }

    private void addAudio(List<String> l) {
        l.add("m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS_PT);
        common(l, "0");
        l.add("a=extmap:" + EXT_AUDIO_LEVEL + " " + URI_AUDIO_LEVEL);
        l.add("a=extmap:" + EXT_ABS_SEND_TIME + " " + URI_ABS_SEND_TIME);
        l.add("a=extmap:" + EXT_TRANSPORT_CC + " " + URI_TRANSPORT_CC);
        l.add("a=extmap:" + EXT_MID + " " + URI_MID);
        l.add(send ? "a=sendonly" : "a=recvonly");
        if (send) {
            l.add("a=msid:crl crl-audio");
        }
        l.add("a=rtcp-mux");
        l.add("a=rtpmap:" + OPUS_PT + " opus/48000/2");
        l.add("a=rtcp-fb:" + OPUS_PT + " transport-cc");
        l.add("a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
        if (send) {
            l.add("a=ssrc:" + audioSsrc + " cname:" + cname);
            l.add("a=ssrc:" + audioSsrc + " msid:crl crl-audio");
        }
    }

    private void addVideo(List<String> l) {
        l.add("m=video 9 UDP/TLS/RTP/SAVPF " + VP8_PT + " " + RTX_PT);
        common(l, "1");
        l.add("a=extmap:" + EXT_ABS_SEND_TIME + " " + URI_ABS_SEND_TIME);
        l.add("a=extmap:" + EXT_TRANSPORT_CC + " " + URI_TRANSPORT_CC);
        l.add("a=extmap:" + EXT_MID + " " + URI_MID);
        l.add(send ? "a=sendonly" : "a=recvonly");
        if (send) {
            l.add("a=msid:crl crl-video");
        }
        l.add("a=rtcp-mux");
        l.add("a=rtcp-rsize");
        l.add("a=rtpmap:" + VP8_PT + " VP8/90000");
        l.add("a=rtcp-fb:" + VP8_PT + " goog-remb");
        l.add("a=rtcp-fb:" + VP8_PT + " transport-cc");
        l.add("a=rtcp-fb:" + VP8_PT + " ccm fir");
        l.add("a=rtcp-fb:" + VP8_PT + " nack");
        l.add("a=rtcp-fb:" + VP8_PT + " nack pli");
        l.add("a=rtpmap:" + RTX_PT + " rtx/90000");
        l.add("a=fmtp:" + RTX_PT + " apt=" + VP8_PT);
        if (send) {
            l.add("a=ssrc-group:FID " + videoSsrc + " " + rtxSsrc);
            for (long ssrc : new long[] {videoSsrc, rtxSsrc}) {
                l.add("a=ssrc:" + ssrc + " cname:" + cname);
                l.add("a=ssrc:" + ssrc + " msid:crl crl-video");
            }
        }
    }
}
