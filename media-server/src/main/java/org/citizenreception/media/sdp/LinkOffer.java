package org.citizenreception.media.sdp;

import java.net.InetSocketAddress;
import org.citizenreception.media.dtls.CertificateFingerprint;
import org.citizenreception.media.ice.IceCredentials;

/**
 * The offers this bridge makes to another bridge for a cascade link, in the shape a browser's
 * would take so the other bridge serves them with its ordinary subscribe and publish paths:
 * BUNDLE, rtcp-mux, Opus and VP8 with RTX, NACK, PLI and FIR feedback, and {@code a=setup:active}
 * (the answering bridge is the DTLS server, this one the client). Header extensions are not
 * offered: the bridge strips them from what it forwards anyway.
 */
public final class LinkOffer {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int RTX_PT = 97;

    private LinkOffer() {
    }

    /** Receives every stage slot: per slot (in {@code slots} order) an audio then a video m-line, recvonly. */
    public static String subscribe(IceCredentials ice, CertificateFingerprint fingerprint, InetSocketAddress candidate,
                                   int slots) {
        StringBuilder sdp = session(slots * 2);
        for (int i = 0; i < slots * 2; i++) {
            media(sdp, i, i % 2 == 1, "recvonly", ice, fingerprint, candidate, 0, 0, null);
        }
        return sdp.toString();
    }

    /** Sends one slot: an audio and a video m-line, sendonly, with these SSRCs (RTX paired with video by FID). */
    public static String publish(IceCredentials ice, CertificateFingerprint fingerprint, InetSocketAddress candidate,
                                 long audioSsrc, long videoSsrc, long rtxSsrc, String streamId) {
        StringBuilder sdp = session(2);
        media(sdp, 0, false, "sendonly", ice, fingerprint, candidate, audioSsrc, 0, streamId);
        media(sdp, 1, true, "sendonly", ice, fingerprint, candidate, videoSsrc, rtxSsrc, streamId);
        return sdp.toString();
    }

    private static StringBuilder session(int lines) {
        StringBuilder sdp = new StringBuilder(1024 * lines);
        line(sdp, "v=0");
        line(sdp, "o=- " + System.nanoTime() + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (int i = 0; i < lines; i++) {
            bundle.append(' ').append(i);
        }
        line(sdp, bundle.toString());
        line(sdp, "a=msid-semantic: WMS *");
        return sdp;
    }

    private static void media(StringBuilder sdp, int mid, boolean video, String direction, IceCredentials ice,
                              CertificateFingerprint fingerprint, InetSocketAddress candidate, long ssrc, long rtxSsrc,
                              String streamId) {
        String address = AnswerBuilder.sdpAddress(candidate.getAddress());
        String connection = AnswerBuilder.networkAndAddressType(candidate.getAddress()) + " " + address;
        line(sdp, "m=" + (video ? "video" : "audio") + " " + candidate.getPort() + " UDP/TLS/RTP/SAVPF "
                + (video ? VP8_PT + " " + RTX_PT : String.valueOf(OPUS_PT)));
        line(sdp, "c=" + connection);
        line(sdp, "a=ice-ufrag:" + ice.ufrag());
        line(sdp, "a=ice-pwd:" + ice.password());
        line(sdp, "a=fingerprint:" + fingerprint.toSdpValue());
        line(sdp, "a=setup:active");
        line(sdp, "a=mid:" + mid);
        line(sdp, "a=" + direction);
        line(sdp, "a=rtcp-mux");
        if (video) {
            line(sdp, "a=rtpmap:" + VP8_PT + " VP8/90000");
            line(sdp, "a=rtcp-fb:" + VP8_PT + " nack");
            line(sdp, "a=rtcp-fb:" + VP8_PT + " nack pli");
            line(sdp, "a=rtcp-fb:" + VP8_PT + " ccm fir");
            line(sdp, "a=rtpmap:" + RTX_PT + " rtx/90000");
            line(sdp, "a=fmtp:" + RTX_PT + " apt=" + VP8_PT);
        } else {
            line(sdp, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
            line(sdp, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
        }
        if (ssrc != 0) {
            String msid = streamId + " " + streamId + "-" + (video ? "video" : "audio");
            if (rtxSsrc != 0) {
                line(sdp, "a=ssrc-group:FID " + ssrc + " " + rtxSsrc);
            }
            line(sdp, "a=ssrc:" + ssrc + " cname:" + streamId);
            line(sdp, "a=ssrc:" + ssrc + " msid:" + msid);
            if (rtxSsrc != 0) {
                line(sdp, "a=ssrc:" + rtxSsrc + " cname:" + streamId);
                line(sdp, "a=ssrc:" + rtxSsrc + " msid:" + msid);
            }
        }
        line(sdp, "a=candidate:1 1 udp " + AnswerBuilder.hostCandidatePriority(0) + " " + address + " "
                + candidate.getPort() + " typ host generation 0");
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
