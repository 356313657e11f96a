package org.citizenreception.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.ice.IceCredentials;
import org.junit.jupiter.api.Test;

class AnswerBuilderTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generateEcdsa("bridge");
    private static final IceCredentials ICE = new IceCredentials("brufrag1", "bridge-password-123456789");

    @Test
    void aPublisherAnswerIsRecvonlyIceLitePassiveAndBundled() {
        Offer offer = Offer.parse(OfferTest.resource("chromium-publisher-offer.sdp"));

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), true,
                Set.of(RtpExtensions.AUDIO_LEVEL, RtpExtensions.ABS_SEND_TIME), Set.of("nack", "nack pli", "goog-remb"),
                Map.of(), "bridge", false));

        assertThat(answer).contains("a=ice-lite\r\n", "a=group:BUNDLE 0 1\r\n", "a=setup:passive\r\n",
                "a=ice-ufrag:brufrag1\r\n", "a=fingerprint:" + CERT.fingerprint().toSdpValue() + "\r\n",
                "m=audio 10000 UDP/TLS/RTP/SAVPF 111\r\n", "m=video 10000 UDP/TLS/RTP/SAVPF 96\r\n",
                "a=rtpmap:96 VP8/90000\r\n", "a=rtcp-fb:96 nack pli\r\n", "a=recvonly\r\n",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host generation 0\r\n");
        assertThat(answer).doesNotContain("a=sendonly", "transport-cc", "a=ssrc:");
        // the answer is itself a valid offer-shaped document for our own parser
        assertThat(SdpParser.parse(answer).media()).hasSize(2);
    }

    @Test
    void aSimulcastOfferIsAnsweredWithEveryLayerReceivedInItsOrderAndTheRidExtensions() {
        String chromium = OfferTest.resource("chromium-publisher-offer.sdp");
        // the host console's three layers: rids, a=simulcast, no a=ssrc for video (SSRCs come with the rid extension)
        String simulcast = chromium.replaceAll("a=ssrc-group:FID 1758327792 2949504956\r?\n", "")
                .replaceAll("a=ssrc:(1758327792|2949504956) [^\r\n]*\r?\n", "")
                .replace("a=mid:1\r\n", "a=mid:1\r\na=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n");
        Offer offer = Offer.parse(simulcast);
        assertThat(offer.served(MediaKind.VIDEO).get(0).sendRids()).containsExactly("q", "h", "f");

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), true,
                Set.of(RtpExtensions.MID, RtpExtensions.RTP_STREAM_ID, RtpExtensions.REPAIRED_RTP_STREAM_ID), Set.of("nack"),
                Map.of(), "bridge", false));

        assertThat(answer).contains("a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f\r\n",
                "a=extmap:10 " + RtpExtensions.RTP_STREAM_ID + "\r\n", "a=extmap:11 " + RtpExtensions.REPAIRED_RTP_STREAM_ID + "\r\n");
        assertThat(answer.indexOf("a=simulcast")).as("on the video m-line").isGreaterThan(answer.indexOf("m=video"));
        assertThat(AnswerBuilder.build(Offer.parse(chromium), new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), true, Set.of(), Set.of(), Map.of(), "bridge", false)))
                .as("one layer: no simulcast lines").doesNotContain("a=rid:", "a=simulcast");
    }

    @Test
    void aPublishersVideoIsToldWhereToStartAndItsCeilingAndItsAudioKeepsItsOwnParameters() {
        Offer offer = Offer.parse(OfferTest.resource("chromium-publisher-offer.sdp"));

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), true, Set.of(), Set.of("transport-cc"),
                Map.of(), "bridge", true, new AnswerBuilder.SenderBitrates(1200, 2500)));

        List<List<String>> sections = mediaSections(answer);
        assertThat(sections.get(0)).contains("a=fmtp:111 minptime=10;useinbandfec=1")
                .noneMatch(l -> l.contains("x-google"));
        assertThat(only(sections.get(1), "a=fmtp:96 ")).isEqualTo("a=fmtp:96 x-google-start-bitrate=1200;x-google-max-bitrate=2500");
        // RTX's own fmtp names only what it repairs
        assertThat(sections.get(1)).filteredOn(l -> l.startsWith("a=fmtp:") && l.contains("apt="))
                .allMatch(l -> !l.contains("x-google"));
    }

    @Test
    void senderBitratesMustStartAboveZeroAndNotAboveTheirCeiling() {
        assertThatThrownBy(() -> new AnswerBuilder.SenderBitrates(0, 2500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnswerBuilder.SenderBitrates(3000, 2500)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aViewerAnswerIsSendonlyAndAnnouncesTheBridgesFixedSsrcs() {
        Offer offer = Offer.parse(OfferTest.resource("libwebrtc-viewer-offer.sdp"));

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), false, Set.of(), Set.of("nack pli", "ccm fir"),
                Map.of("0", new AnswerBuilder.LocalStream(1111L, -1, "program", "program-audio"),
                        "1", new AnswerBuilder.LocalStream(2222L, -1, "program", "program-video")),
                "bridge", false));

        assertThat(answer).contains("a=sendonly\r\n", "a=ssrc:1111 cname:bridge\r\n",
                "a=ssrc:2222 msid:program program-video\r\n", "a=msid:program program-audio\r\n");
        assertThat(answer).doesNotContain("a=extmap:");
    }

    @Test
    void aViewerThatOffersRtxGetsItWithTheBridgesOwnRtxSsrcInAnFidGroup() {
        Offer offer = Offer.parse(OfferTest.resource("libwebrtc-viewer-offer.sdp"));

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), false, Set.of(), Set.of("nack", "nack pli"),
                Map.of("0", new AnswerBuilder.LocalStream(1111L, -1, "program", "program-audio"),
                        "1", new AnswerBuilder.LocalStream(2222L, 3333L, "program", "program-video")),
                "bridge", true));

        assertThat(answer).contains("m=video 10000 UDP/TLS/RTP/SAVPF 96 97\r\n", "a=rtpmap:97 rtx/90000\r\n",
                "a=fmtp:97 apt=96\r\n", "a=ssrc-group:FID 2222 3333\r\n", "a=ssrc:3333 cname:bridge\r\n",
                "a=ssrc:3333 msid:program program-video\r\n");
        Offer reparsed = Offer.parse(answer.replace("a=setup:passive", "a=setup:actpass"));
        assertThat(reparsed.served(MediaKind.VIDEO).get(0).rtxSsrcs()).containsEntry(2222L, 3333L);
        assertThat(reparsed.served(MediaKind.AUDIO).get(0).rtxPayloadType()).isEqualTo(-1);
    }

    @Test
    void aViewerWithoutAnRtxSsrcIsAnsweredWithoutRtxEvenWhenItOfferedIt() {
        Offer offer = Offer.parse(OfferTest.resource("libwebrtc-viewer-offer.sdp"));

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                List.of(new InetSocketAddress("127.0.0.1", 10000)), false, Set.of(), Set.of("nack", "nack pli"),
                Map.of("1", new AnswerBuilder.LocalStream(2222L, -1, "program", "program-video")),
                "bridge", true));

        assertThat(answer).contains("m=video 10000 UDP/TLS/RTP/SAVPF 96\r\n").doesNotContain("rtx/", "FID");
    }

    @Test
    void aDualStackAnswerNamesTheFirstCandidateInTheCLineAndOffersEveryAddressInCanonicalForm() throws Exception {
        Offer offer = Offer.parse(OfferTest.resource("chromium-publisher-offer.sdp"));
        List<InetSocketAddress> candidates = List.of(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 10000),
                new InetSocketAddress(InetAddress.getByName("fd00:0:0:0:0:0:0:2"), 10000),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10000));

        List<List<String>> sections = mediaSections(publisherAnswer(offer, candidates));

        assertThat(sections).hasSize(2);
        for (List<String> section : sections) {
            assertThat(only(section, "c=")).isEqualTo("c=IN IP4 192.0.2.2");
            assertThat(only(section, "a=rtcp:")).isEqualTo("a=rtcp:10000 IN IP4 192.0.2.2");
            List<String[]> parsed = section.stream().filter(l -> l.startsWith("a=candidate:"))
                    .map(l -> l.substring("a=candidate:".length()).split(" ")).toList();
            assertThat(parsed).extracting(c -> c[4]).containsExactly("192.0.2.2", "fd00::2", "127.0.0.1");
            for (int i = 0; i < parsed.size(); i++) {
                String[] c = parsed.get(i);
                assertThat(c).hasSize(10);
                assertThat(c[1]).as("component").isEqualTo("1");
                assertThat(c[2]).isEqualTo("udp");
                assertThat(InetAddress.getByName(c[4])).isEqualTo(candidates.get(i).getAddress());
                assertThat(c[5]).isEqualTo("10000");
                assertThat(c[6] + " " + c[7]).isEqualTo("typ host");
                assertThat(c[8] + " " + c[9]).isEqualTo("generation 0");
            }
            assertThat(parsed).extracting(c -> c[0]).doesNotHaveDuplicates();
            List<Long> priorities = parsed.stream().map(c -> Long.parseLong(c[3])).toList();
            assertThat(priorities.get(0)).isEqualTo(2130706431L);
            assertThat(priorities).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
            assertThat(priorities).allSatisfy(p -> assertThat(p >>> 24).as("host type preference").isEqualTo(126));
            assertThat(section).contains("a=end-of-candidates");
        }
    }

    @Test
    void anIpv6DefaultCandidateGetsAnIp6CLineWithoutScopeOrZeroRuns() throws Exception {
        Offer offer = Offer.parse(OfferTest.resource("chromium-publisher-offer.sdp"));
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("2001:db8:0:0:0:0:0:7").getAddress(), 2);
        List<InetSocketAddress> candidates = List.of(new InetSocketAddress(scoped, 10000),
                new InetSocketAddress(InetAddress.getByName("198.18.0.1"), 10000));

        for (List<String> section : mediaSections(publisherAnswer(offer, candidates))) {
            assertThat(only(section, "c=")).isEqualTo("c=IN IP6 2001:db8::7");
            assertThat(only(section, "a=rtcp:")).isEqualTo("a=rtcp:10000 IN IP6 2001:db8::7");
            assertThat(section).filteredOn(l -> l.startsWith("a=candidate:")).containsExactly(
                    "a=candidate:1 1 udp 2130706431 2001:db8::7 10000 typ host generation 0",
                    "a=candidate:2 1 udp 2130706175 198.18.0.1 10000 typ host generation 0");
        }
    }

    @Test
    void passiveTcpCandidatesFollowTheUdpOnesWithTheirOwnFoundationsAndLowerPriorities() throws Exception {
        Offer offer = Offer.parse(OfferTest.resource("chromium-publisher-offer.sdp"));
        List<InetSocketAddress> udp = List.of(new InetSocketAddress(InetAddress.getByName("198.18.0.1"), 10000),
                new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 10000));
        List<InetSocketAddress> tcp = List.of(new InetSocketAddress(InetAddress.getByName("198.18.0.1"), 443),
                new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 443));

        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(), udp, true,
                Set.of(), Set.of("nack"), Map.of(), "bridge", false, null, tcp));

        for (List<String> section : mediaSections(answer)) {
            assertThat(section).filteredOn(l -> l.startsWith("a=candidate:")).containsExactly(
                    "a=candidate:1 1 udp 2130706431 198.18.0.1 10000 typ host generation 0",
                    "a=candidate:2 1 udp 2130706175 2001:db8::7 10000 typ host generation 0",
                    "a=candidate:3 1 tcp 2124414975 198.18.0.1 443 typ host tcptype passive generation 0",
                    "a=candidate:4 1 tcp 2124414719 2001:db8::7 443 typ host tcptype passive generation 0");
            assertThat(section.get(section.size() - 1)).isEqualTo("a=end-of-candidates");
            // the m-line and c-line name the first UDP candidate: a client that can use UDP does
            assertThat(section.get(0)).matches("m=(audio|video) 10000 UDP/TLS/RTP/SAVPF .*");
        }
        // RFC 6544 4.2: local preference 2^13 * 4 (passive) + other-pref, below every UDP candidate's
        assertThat(AnswerBuilder.tcpHostCandidatePriority(0)).isLessThan(AnswerBuilder.hostCandidatePriority(20_000));
        assertThat(AnswerBuilder.tcpHostCandidatePriority(0)).isGreaterThan(AnswerBuilder.tcpHostCandidatePriority(1));
        assertThatThrownBy(() -> AnswerBuilder.tcpHostCandidatePriority(8192)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String publisherAnswer(Offer offer, List<InetSocketAddress> candidates) {
        return AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(), candidates, true,
                Set.of(RtpExtensions.AUDIO_LEVEL), Set.of("nack", "nack pli"), Map.of(), "bridge", false));
    }

    /** Each m-section's lines, the m= line first; the session part before the first m= is left out. */
    private static List<List<String>> mediaSections(String sdp) {
        assertThat(sdp).endsWith("\r\n");
        List<List<String>> sections = new ArrayList<>();
        for (String line : sdp.split("\r\n")) {
            assertThat(line).matches("[a-z]=.*");
            if (line.startsWith("m=")) {
                sections.add(new ArrayList<>());
            }
            if (!sections.isEmpty()) {
                sections.get(sections.size() - 1).add(line);
            }
        }
        return sections;
    }

    private static String only(List<String> section, String prefix) {
        List<String> found = section.stream().filter(l -> l.startsWith(prefix)).toList();
        assertThat(found).as(prefix + " lines in " + section.get(0)).hasSize(1);
        return found.get(0);
    }
}
