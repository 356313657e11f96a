package org.citizenreception.media.sdp;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.citizenreception.media.dtls.CertificateFingerprint;
import org.citizenreception.media.ice.IceCredentials;

/**
 * Writes the bridge's answer to an {@link Offer}: ICE-lite, one host candidate per advertised
 * address (IPv4 and IPv6 alike, each with its own foundation and a priority that follows the list's
 * order; the first is the default named in the c-line), then a passive ICE-TCP candidate per address
 * when TCP is on (RFC 6544, lower priority than every UDP one), DTLS server role ({@code a=setup:passive}), BUNDLE over every served m-line, and per
 * m-line the chosen codec with the offerer's payload type.
 */
public final class AnswerBuilder {
    /** What the bridge sends on one m-line (viewers only): SSRC, RTX SSRC or -1, and msid. */
    public record LocalStream(long ssrc, long rtxSsrc, String streamId, String trackId) {
    }

    /**
     * The bitrates a publisher's video sender starts at and may reach, answered as libwebrtc's
     * {@code x-google-start-bitrate} and {@code x-google-max-bitrate} codec parameters (kbit/s),
     * which a Chromium or libwebrtc sender takes from the answer to what it sends.
     */
    public record SenderBitrates(int startKbps, int maxKbps) {
        public SenderBitrates {
            if (startKbps <= 0 || maxKbps < startKbps) {
                throw new IllegalArgumentException("need 0 < startKbps <= maxKbps: " + startKbps + ", " + maxKbps);
            }
        }
    }

    /**
     * @param extensions      header extension URIs to accept on audio and video m-lines
     * @param feedback        rtcp-fb values to accept (intersected with the offer's)
     * @param bridgeReceives  true for a publisher (answer recvonly), false for a viewer (sendonly)
     * @param localStreams    by mid, what the bridge sends (empty for publishers)
     * @param withRtx         answer the codec's RTX payload type when offered (for a viewer, on m-lines whose
     *                        local stream has an RTX SSRC)
     * @param senderBitrates  for a publisher's video, where its sender starts and its ceiling; null answers none
     * @param tcpCandidates   passive ICE-TCP host candidates (RFC 6544), answered after the UDP ones at a lower priority
     */
    public record Parameters(IceCredentials ice, CertificateFingerprint fingerprint, List<InetSocketAddress> candidates,
                             boolean bridgeReceives, Set<String> extensions, Set<String> feedback,
                             Map<String, LocalStream> localStreams, String cname, boolean withRtx,
                             SenderBitrates senderBitrates, List<InetSocketAddress> tcpCandidates) {
        public Parameters {
            tcpCandidates = List.copyOf(tcpCandidates);
        }

        /** UDP candidates only. */
        public Parameters(IceCredentials ice, CertificateFingerprint fingerprint, List<InetSocketAddress> candidates,
                          boolean bridgeReceives, Set<String> extensions, Set<String> feedback,
                          Map<String, LocalStream> localStreams, String cname, boolean withRtx,
                          SenderBitrates senderBitrates) {
            this(ice, fingerprint, candidates, bridgeReceives, extensions, feedback, localStreams, cname, withRtx,
                    senderBitrates, List.of());
        }

        /** Without sender bitrates (a viewer's answer, or a publisher left to its sender's defaults). */
        public Parameters(IceCredentials ice, CertificateFingerprint fingerprint, List<InetSocketAddress> candidates,
                          boolean bridgeReceives, Set<String> extensions, Set<String> feedback,
                          Map<String, LocalStream> localStreams, String cname, boolean withRtx) {
            this(ice, fingerprint, candidates, bridgeReceives, extensions, feedback, localStreams, cname, withRtx, null, List.of());
        }
    }

    private static final int HOST_TYPE_PREFERENCE = 126;
    private static final int MAX_LOCAL_PREFERENCE = 65535;
    private static final int TCP_PASSIVE_DIRECTION_PREFERENCE = 4;
    private static final int TCP_OTHER_PREFERENCE_MAX = 8191;

    private AnswerBuilder() {
    }

    public static String build(Offer offer, Parameters p) {
        StringBuilder sdp = new StringBuilder(2048);
        line(sdp, "v=0");
        line(sdp, "o=- " + System.nanoTime() + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        line(sdp, "a=ice-lite");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (NegotiatedMedia m : offer.media()) {
            if (!m.rejected()) {
                bundle.append(' ').append(m.mid());
            }
        }
        line(sdp, bundle.toString());
        line(sdp, "a=msid-semantic: WMS *");
        for (NegotiatedMedia m : offer.media()) {
            if (m.rejected()) {
                rejected(sdp, m);
            } else {
                served(sdp, m, !offer.session().attributes("extmap-allow-mixed").isEmpty(), p, offer);
            }
        }
        return sdp.toString();
    }

    private static void rejected(StringBuilder sdp, NegotiatedMedia m) {
        line(sdp, "m=" + m.kind() + " 0 UDP/TLS/RTP/SAVPF 0");
        line(sdp, "c=IN IP4 0.0.0.0");
        if (!m.mid().isEmpty()) {
            line(sdp, "a=mid:" + m.mid());
        }
        line(sdp, "a=inactive");
    }

    private static void served(StringBuilder sdp, NegotiatedMedia m, boolean allowMixed, Parameters p, Offer offer) {
        LocalStream local = p.localStreams().get(m.mid());
        // a sending bridge answers RTX only where it has an RTX SSRC to announce for it
        boolean rtx = p.withRtx() && m.rtxPayloadType() >= 0 && (p.bridgeReceives() || local != null && local.rtxSsrc() >= 0);
        InetSocketAddress preferred = p.candidates().get(0);
        String connection = networkAndAddressType(preferred.getAddress()) + " " + sdpAddress(preferred.getAddress());
        line(sdp, "m=" + m.kind() + " " + preferred.getPort() + " UDP/TLS/RTP/SAVPF " + m.payloadType()
                + (rtx ? " " + m.rtxPayloadType() : ""));
        line(sdp, "c=" + connection);
        line(sdp, "a=rtcp:" + preferred.getPort() + " " + connection);
        line(sdp, "a=ice-ufrag:" + p.ice().ufrag());
        line(sdp, "a=ice-pwd:" + p.ice().password());
        line(sdp, "a=fingerprint:" + p.fingerprint().toSdpValue());
        line(sdp, "a=setup:passive");
        line(sdp, "a=mid:" + m.mid());
        m.extensionIds().forEach((uri, id) -> {
            if (p.extensions().contains(uri) && (m.isAudio() || !uri.equals(RtpExtensions.AUDIO_LEVEL))) {
                line(sdp, "a=extmap:" + id + " " + uri);
            }
        });
        if (allowMixed) {
            line(sdp, "a=extmap-allow-mixed");
        }
        boolean bridgeSends = !p.bridgeReceives() && local != null && m.offererReceives();
        boolean bridgeReceives = p.bridgeReceives() && m.offererSends();
        line(sdp, "a=" + (bridgeSends ? "sendonly" : bridgeReceives ? "recvonly" : "inactive"));
        if (bridgeSends) {
            line(sdp, "a=msid:" + local.streamId() + " " + local.trackId());
        }
        if (bridgeReceives && m.sendRids().size() > 1) {
            // RFC 8853: every layer the publisher offered is received, in its order
            for (String rid : m.sendRids()) {
                line(sdp, "a=rid:" + rid + " recv");
            }
            line(sdp, "a=simulcast:recv " + String.join(";", m.sendRids()));
        }
        line(sdp, "a=rtcp-mux");
        if (offer.session().media().stream().anyMatch(d -> m.mid().equals(d.mid()) && d.hasAttribute("rtcp-rsize"))) {
            line(sdp, "a=rtcp-rsize");
        }
        line(sdp, "a=rtpmap:" + m.payloadType() + " " + m.codec());
        for (String fb : m.feedback()) {
            if (p.feedback().contains(fb)) {
                line(sdp, "a=rtcp-fb:" + m.payloadType() + " " + fb);
            }
        }
        String fmtp = fmtp(m, p, bridgeReceives);
        if (fmtp != null) {
            line(sdp, "a=fmtp:" + m.payloadType() + " " + fmtp);
        }
        if (rtx) {
            line(sdp, "a=rtpmap:" + m.rtxPayloadType() + " rtx/" + m.clockRate());
            line(sdp, "a=fmtp:" + m.rtxPayloadType() + " apt=" + m.payloadType());
        }
        if (bridgeSends) {
            if (rtx && local.rtxSsrc() >= 0) {
                line(sdp, "a=ssrc-group:FID " + local.ssrc() + " " + local.rtxSsrc());
            }
            ssrc(sdp, local.ssrc(), p.cname(), local);
            if (rtx && local.rtxSsrc() >= 0) {
                ssrc(sdp, local.rtxSsrc(), p.cname(), local);
            }
        }
        List<InetSocketAddress> candidates = p.candidates();
        for (int i = 0; i < candidates.size(); i++) {
            InetSocketAddress candidate = candidates.get(i);
            line(sdp, "a=candidate:" + (i + 1) + " 1 udp " + hostCandidatePriority(i) + " "
                    + sdpAddress(candidate.getAddress()) + " " + candidate.getPort() + " typ host generation 0");
        }
        List<InetSocketAddress> tcp = p.tcpCandidates();
        for (int i = 0; i < tcp.size(); i++) {
            InetSocketAddress candidate = tcp.get(i);
            line(sdp, tcpCandidateLine(candidates.size() + i + 1, i, candidate));
        }
        line(sdp, "a=end-of-candidates");
    }

    /**
     * The offerer's codec parameters, and on a publisher's video the sender bitrates: without a start
     * bitrate a libwebrtc sender starts its estimate at 300 kbit/s and its picture small.
     */
    private static String fmtp(NegotiatedMedia m, Parameters p, boolean bridgeReceives) {
        SenderBitrates bitrates = p.senderBitrates();
        if (bitrates == null || !bridgeReceives || !m.isVideo()) {
            return m.fmtp();
        }
        String sender = "x-google-start-bitrate=" + bitrates.startKbps() + ";x-google-max-bitrate=" + bitrates.maxKbps();
        return m.fmtp() == null || m.fmtp().isBlank() ? sender : m.fmtp() + ";" + sender;
    }

    /**
     * RFC 8445 5.1.2.1 for a host candidate of component 1: type preference 126, and a local
     * preference that falls with the candidate's place in the list, so the configured order (the
     * first is the default the c-line names) is the order a client checks them in.
     */
    static long hostCandidatePriority(int index) {
        if (index < 0 || index > MAX_LOCAL_PREFERENCE) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        return ((long) HOST_TYPE_PREFERENCE << 24) + ((long) (MAX_LOCAL_PREFERENCE - index) << 8) + (256 - 1);
    }

    /**
     * A passive ICE-TCP host candidate (RFC 6544 section 4.5): the client connects to it, so its port
     * is the listening port; its foundation differs from every UDP candidate's (another transport).
     */
    static String tcpCandidateLine(int foundation, int index, InetSocketAddress candidate) {
        return "a=candidate:" + foundation + " 1 tcp " + tcpHostCandidatePriority(index) + " "
                + sdpAddress(candidate.getAddress()) + " " + candidate.getPort() + " typ host tcptype passive generation 0";
    }

    /**
     * RFC 6544 section 4.2 for a passive host candidate of component 1: type preference 126 and a
     * local preference of {@code 2^13 * direction-pref + other-pref} with direction-pref 4 (passive)
     * and other-pref falling with the list's order. At most 40,959, below every UDP candidate's local
     * preference ({@link #hostCandidatePriority}: 65,535 down), so a client that can use UDP does.
     */
    static long tcpHostCandidatePriority(int index) {
        if (index < 0 || index > TCP_OTHER_PREFERENCE_MAX) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        long localPreference = (long) TCP_PASSIVE_DIRECTION_PREFERENCE << 13 | (TCP_OTHER_PREFERENCE_MAX - index);
        return ((long) HOST_TYPE_PREFERENCE << 24) + (localPreference << 8) + (256 - 1);
    }

    /** {@code IN IP4} or {@code IN IP6}: a browser refuses a c-line whose type does not match its address. */
    static String networkAndAddressType(InetAddress address) {
        return address instanceof Inet6Address ? "IN IP6" : "IN IP4";
    }

    /**
     * The address in its canonical text form (RFC 5952 for IPv6: {@code fd00::2}, never the
     * {@code fd00:0:0:0:0:0:0:2} that {@link InetAddress#getHostAddress()} writes) and without a
     * scope id, which has no meaning to the peer.
     */
    static String sdpAddress(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    private static void ssrc(StringBuilder sdp, long ssrc, String cname, LocalStream local) {
        line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
        line(sdp, "a=ssrc:" + ssrc + " msid:" + local.streamId() + " " + local.trackId());
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
