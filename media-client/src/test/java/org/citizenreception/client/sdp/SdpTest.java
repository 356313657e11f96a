package org.citizenreception.client.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SdpTest {
    private static final String FP = "AA:BB:CC";

    @Test
    void aViewersOfferIsBundledRecvonlyWithEveryFeedbackAndExtensionTheBridgeUnderstands() {
        String offer = new SdpOfferBuilder().ice("ufrag", "pwdpwdpwdpwdpwdpwdpwdpwd").fingerprint(FP)
                .candidate("127.0.0.1", 40000).recvOnly().build();
        assertThat(offer).contains("a=group:BUNDLE 0 1", "a=rtcp-mux", "a=setup:actpass",
                "a=fingerprint:sha-256 AA:BB:CC", "a=ice-ufrag:ufrag",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host",
                "a=rtpmap:111 opus/48000/2", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 ccm fir",
                "a=rtcp-fb:96 transport-cc", "a=rtcp-fb:96 goog-remb",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=recvonly")
                .doesNotContain("a=ssrc:", "a=sendonly");
        assertThat(offer).endsWith("\r\n");
    }

    @Test
    void aPublishersOfferNamesItsSsrcsAndPairsRtxWithVideo() {
        String offer = new SdpOfferBuilder().ice("u", "p").fingerprint(FP).candidate("127.0.0.1", 1)
                .sendOnly(11, 22, 33, "cn").build();
        assertThat(offer).contains("a=sendonly", "a=ssrc:11 cname:cn", "a=ssrc-group:FID 22 33",
                "a=ssrc:33 msid:crl crl-video", "a=msid:crl crl-audio");
    }

    @Test
    void theAnswerParserReadsCredentialsRoleCandidatesPayloadTypesExtensionsAndSsrcs() {
        String answer = String.join("\r\n",
                "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0 1", "a=ice-lite",
                "a=fingerprint:sha-256 de:ad:be:ef",
                "m=audio 9 UDP/TLS/RTP/SAVPF 109",
                "a=ice-ufrag:srv", "a=ice-pwd:serverpassword", "a=setup:passive", "a=mid:0",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host",
                "a=candidate:2 1 tcp 1 127.0.0.1 10001 typ host",
                "a=candidate:3 1 udp 1 abc.local 10002 typ host",
                "a=rtpmap:109 opus/48000/2", "a=extmap:5 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=sendonly", "a=ssrc:1111 cname:x",
                "m=video 9 UDP/TLS/RTP/SAVPF 100 101",
                "a=mid:1", "a=rtpmap:100 VP8/90000", "a=rtpmap:101 rtx/90000", "a=fmtp:101 apt=100",
                "a=extmap:7/sendonly http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "a=ssrc-group:FID 2222 3333", "a=ssrc:2222 cname:x", "a=ssrc:3333 cname:x", "a=sendonly", "");
        SdpAnswer a = SdpAnswer.parse(answer);
        assertThat(a.ufrag()).isEqualTo("srv");
        assertThat(a.pwd()).isEqualTo("serverpassword");
        assertThat(a.fingerprint()).isEqualTo("DE:AD:BE:EF");
        assertThat(a.remoteIsDtlsClient()).isFalse();
        assertThat(a.candidates()).containsExactly(new InetSocketAddress("127.0.0.1", 10000));
        assertThat(a.media("audio").payloadType("opus")).isEqualTo(109);
        assertThat(a.media("audio").extmapId(SdpOfferBuilder.URI_AUDIO_LEVEL)).isEqualTo(5);
        assertThat(a.media("audio").ssrcs).containsExactly(1111L);
        assertThat(a.media("video").payloadType("VP8")).isEqualTo(100);
        assertThat(a.media("video").rtxFor(100)).isEqualTo(101);
        assertThat(a.media("video").extmapId(SdpOfferBuilder.URI_ABS_SEND_TIME)).isEqualTo(7);
        assertThat(a.media("video").fid).containsEntry(2222L, 3333L);
    }

    @Test
    void anAnswerWithoutIceCredentialsIsRefused() {
        assertThatThrownBy(() -> SdpAnswer.parse("v=0\r\na=fingerprint:sha-256 AA\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice-ufrag");
    }

    @Test
    void anAnswerMirrorsTheOffersMidsPayloadTypesAndExtensionsAndTakesTheDtlsClientRole() {
        String offer = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.2", "s=-", "t=0 0",
                "a=group:BUNDLE a v d", "a=ice-ufrag:j", "a=ice-pwd:janusjanusjanus", "a=fingerprint:sha-256 AA",
                "a=setup:actpass",
                "m=audio 9 UDP/TLS/RTP/SAVPF 109", "a=mid:a", "a=sendonly", "a=rtpmap:109 opus/48000/2",
                "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid",
                "m=video 9 UDP/TLS/RTP/SAVPF 100 101", "a=mid:v", "a=sendonly", "a=rtpmap:100 VP8/90000",
                "a=rtpmap:101 rtx/90000", "a=fmtp:101 apt=100",
                "m=video 9 UDP/TLS/RTP/SAVPF 102", "a=mid:d", "a=rtpmap:102 H264/90000", "");
        SdpOfferBuilder builder = new SdpOfferBuilder().ice("u", "p").fingerprint(FP).candidate("127.0.0.1", 9)
                .answering(SdpAnswer.parse(offer));
        String answer = builder.build();
        assertThat(builder.setup()).isEqualTo("active");
        assertThat(answer).contains("a=group:BUNDLE a v\r\n", "a=mid:a", "a=rtpmap:109 opus/48000/2",
                "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid", "a=mid:v", "m=video 9 UDP/TLS/RTP/SAVPF 100 101",
                "a=fmtp:101 apt=100", "a=setup:active", "a=recvonly", "m=video 0 UDP/TLS/RTP/SAVPF 102")
                .doesNotContain("ssrc-audio-level", "a=setup:actpass");
    }
}
