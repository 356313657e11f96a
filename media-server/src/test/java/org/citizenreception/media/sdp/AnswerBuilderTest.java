package org.citizenreception.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
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
        assertThat(reparsed.served("video").get(0).rtxSsrcs()).containsEntry(2222L, 3333L);
        assertThat(reparsed.served("audio").get(0).rtxPayloadType()).isEqualTo(-1);
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
}
