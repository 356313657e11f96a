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
        NegotiatedMedia audio = offer.served("audio").get(0);
        NegotiatedMedia video = offer.served("video").get(0);
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

        NegotiatedMedia video = offer.served("video").get(0);
        assertThat(video.codec()).isEqualTo("VP8/90000");
        assertThat(video.offererReceives()).isTrue();
        assertThat(video.ssrcs()).isEmpty();
        assertThat(offer.served("audio")).hasSize(1);
    }

    @Test
    void anH264OnlyOfferGetsPacketizationModeOneConstrainedBaseline() {
        String sdp = resource("libwebrtc-publisher-offer.sdp")
                .replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 X-NONE/90000");

        NegotiatedMedia video = Offer.parse(sdp).served("video").get(0);

        assertThat(video.codec()).isEqualTo("H264/90000");
        assertThat(video.fmtp()).contains("packetization-mode=1").contains("profile-level-id=42e01f");
    }

    @Test
    void chromiumSimulcastRidsAreParsed() {
        NegotiatedMedia video = Offer.parse(resource("chromium-simulcast-publisher-offer.sdp")).served("video").get(0);

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
    void garbageIsRefusedAsMalformed() {
        assertThatThrownBy(() -> Offer.parse("hello")).hasMessage(UnsupportedOfferException.MALFORMED);
    }
}
