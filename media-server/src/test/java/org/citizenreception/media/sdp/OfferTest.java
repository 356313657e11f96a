package org.citizenreception.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OfferTest {
    static String resource(String name) {
        try (InputStream in = OfferTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aChromiumPublisherOfferGetsOpusAndVp8WithItsOwnSsrcsAndRtx() {
        Offer offer = Offer.parse(resource("chromium-publisher-offer.sdp"));

        assertThat(offer.iceUfrag()).isNotBlank();
        assertThat(offer.fingerprint().algorithm()).isEqualTo("sha-256");
        NegotiatedMedia audio = offer.served(MediaKind.AUDIO).get(0);
        NegotiatedMedia video = offer.served(MediaKind.VIDEO).get(0);
        assertThat(audio.codec()).isEqualTo("opus/48000/2");
        assertThat(audio.payloadType()).isEqualTo(111);
        assertThat(audio.fmtp()).contains("useinbandfec=1");
        assertThat(audio.extensionIds()).containsKeys(RtpExtensions.AUDIO_LEVEL, RtpExtensions.MID);
        assertThat(video.codec()).isEqualTo("VP8/90000");
        assertThat(video.payloadType()).isEqualTo(96);
        assertThat(video.rtxPayloadType()).isEqualTo(97);
        assertThat(video.feedback()).contains("nack", "nack pli", "ccm fir", "transport-cc");
        assertThat(video.ssrcs()).hasSize(1);
        assertThat(video.rtxSsrcs()).containsKey(video.ssrcs().get(0));
        assertThat(video.offererSends()).isTrue();
        assertThat(video.offererReceives()).isFalse();
    }

    @Test
    void aLibwebrtcViewerOfferIsRecvonlyWithoutSsrcs() {
        Offer offer = Offer.parse(resource("libwebrtc-viewer-offer.sdp"));

        NegotiatedMedia video = offer.served(MediaKind.VIDEO).get(0);
        assertThat(video.codec()).isEqualTo("VP8/90000");
        assertThat(video.offererReceives()).isTrue();
        assertThat(video.ssrcs()).isEmpty();
        assertThat(offer.served(MediaKind.AUDIO)).hasSize(1);
    }

    @Test
    void anH264OnlyOfferGetsPacketizationModeOneConstrainedBaseline() {
        String sdp = resource("libwebrtc-publisher-offer.sdp")
                .replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 X-NONE/90000");

        NegotiatedMedia video = Offer.parse(sdp).served(MediaKind.VIDEO).get(0);

        assertThat(video.codec()).isEqualTo("H264/90000");
        assertThat(video.fmtp()).contains("packetization-mode=1").contains("profile-level-id=42e01f");
    }

    /** Found by SdpOfferFuzzTest: the media kind of a rejected m-line went into the answer byte for byte. */
    @Test
    void anOfferWithAControlCharacterInALineIsMalformed() {
        String sdp = resource("libwebrtc-viewer-offer.sdp").replace("m=video 9", "m=video\u0001 9");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.MALFORMED);
    }

    @Test
    void chromiumSimulcastRidsAreParsed() {
        NegotiatedMedia video = Offer.parse(resource("chromium-simulcast-publisher-offer.sdp")).served(MediaKind.VIDEO).get(0);

        assertThat(video.sendRids()).containsExactly("h", "l");
    }

    @Test
    void anOfferWithoutACommonCodecIsRefusedWithTheExactMessage() {
        String sdp = resource("libwebrtc-publisher-offer.sdp")
                .replace("opus/48000/2", "X-NONE/48000/2").replace("VP8/90000", "X-NONE/90000")
                .replaceAll("packetization-mode=1", "packetization-mode=0");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_COMMON_CODEC);
    }

    @Test
    void anOfferWithoutBundleIsRefusedWithTheExactMessage() {
        String sdp = resource("libwebrtc-publisher-offer.sdp").replace("a=group:BUNDLE 0 1\r\n", "");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_BUNDLE);
    }

    @Test
    void anOfferWithoutAFingerprintIsRefusedWithTheExactMessage() {
        String sdp = resource("chromium-publisher-offer.sdp").replaceAll("a=fingerprint:[^\r\n]*\r\n", "");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_DTLS_FINGERPRINT);
    }

    @Test
    void aFingerprintWithAnUnknownHashIsRefusedAsUnusableNotAsMissing() {
        String sdp = resource("chromium-publisher-offer.sdp").replaceAll("a=fingerprint:sha-256 ", "a=fingerprint:md5 ");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.UNUSABLE_DTLS_FINGERPRINT);
    }

    @Test
    void anOfferWithoutAnIceUfragIsRefusedWithTheExactMessage() {
        String sdp = resource("libwebrtc-viewer-offer.sdp").replaceAll("a=ice-ufrag:[^\r\n]*\r\n", "");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_ICE_CREDENTIALS);
    }

    @Test
    void anOfferWithoutAnIcePasswordIsRefusedWithTheExactMessage() {
        String sdp = resource("libwebrtc-viewer-offer.sdp").replaceAll("a=ice-pwd:[^\r\n]*\r\n", "");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_ICE_CREDENTIALS);
    }

    @Test
    void anOfferWhoseBundleLeavesOutAServedMLineIsRefusedWithTheExactMessage() {
        String sdp = resource("libwebrtc-publisher-offer.sdp").replace("a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0\r\n");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_BUNDLE);
    }

    @Test
    void aVideoOnlyOfferWithOnlyH264PacketizationModeZeroHasNoCommonCodec() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\na=setup:actpass\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=0;profile-level-id=42e01f\r\n";

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_COMMON_CODEC);
    }

    @Test
    void anOfferWithoutRtcpMuxIsRefusedWithTheExactMessage() {
        String sdp = resource("chromium-viewer-offer.sdp").replace("a=rtcp-mux\r\n", "");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_RTCP_MUX);
    }

    @Test
    void anOfferThatMakesTheBridgeTheDtlsClientIsRefusedWithTheExactMessage() {
        String sdp = resource("chromium-viewer-offer.sdp").replace("a=setup:actpass", "a=setup:passive");

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.DTLS_CLIENT_ROLE);
    }

    @Test
    void aDataChannelOnlyOfferHasNoMedia() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\na=setup:actpass\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
                + "a=sctp-port:5000\r\n";

        assertThatThrownBy(() -> Offer.parse(sdp)).isInstanceOf(UnsupportedOfferException.class)
                .hasMessage(UnsupportedOfferException.NO_MEDIA);
    }

    /**
     * Whatever a client leaves out or garbles, the bridge answers or refuses with one of its
     * messages: any other exception would reach the HTTP layer as a 500 instead of a 4xx.
     */
    @Test
    void everyOfferWithALineRemovedOrGarbledIsAnsweredOrRefusedWithANamedMessage() throws Exception {
        java.util.Set<String> named = new java.util.HashSet<>();
        for (java.lang.reflect.Field field : UnsupportedOfferException.class.getFields()) {
            if (field.getType() == String.class) {
                named.add((String) field.get(null));
            }
        }
        int refused = 0;
        int mutations = 0;
        for (String name : java.util.List.of("chromium-publisher-offer.sdp", "chromium-viewer-offer.sdp",
                "libwebrtc-publisher-offer.sdp", "libwebrtc-viewer-offer.sdp", "chromium-simulcast-publisher-offer.sdp")) {
            String[] lines = resource(name).split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                for (String replacement : new String[] {null, lines[i].replaceAll("[0-9]", "x"), lines[i] + " 99999999999"}) {
                    StringBuilder mutated = new StringBuilder();
                    for (int j = 0; j < lines.length; j++) {
                        String line = j == i ? replacement : lines[j];
                        if (line != null) {
                            mutated.append(line).append("\r\n");
                        }
                    }
                    mutations++;
                    try {
                        Offer.parse(mutated.toString());
                    } catch (UnsupportedOfferException e) {
                        assertThat(named).as("message for %s line %d -> %s", name, i, replacement).contains(e.getMessage());
                        refused++;
                    }
                }
            }
        }
        assertThat(refused).as("mutations refused of %d", mutations).isGreaterThan(10);
    }

    @Test
    void garbageIsRefusedAsMalformed() {
        assertThatThrownBy(() -> Offer.parse("hello")).hasMessage(UnsupportedOfferException.MALFORMED);
    }
}
