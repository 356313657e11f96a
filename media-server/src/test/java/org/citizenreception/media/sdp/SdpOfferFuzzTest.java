package org.citizenreception.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.ice.IceCredentials;

/**
 * SDP offers as WHIP and WHEP clients POST them (the corpus starts from real Chromium and
 * libwebrtc offers). Contract: {@link Offer#parse} returns an offer or throws
 * {@link UnsupportedOfferException} with one of its messages, nothing else; every accessor the
 * bridge uses on an accepted offer answers; the answer built for it, as publisher or as viewer,
 * parses back with as many m-lines as the offer and carries no control character an offerer could
 * have smuggled into a line of ours.
 */
class SdpOfferFuzzTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generateEcdsa("bridge");
    private static final IceCredentials ICE = new IceCredentials("brufrag1", "bridge-password-123456789");
    private static final List<String> MESSAGES = List.of(UnsupportedOfferException.NO_COMMON_CODEC,
            UnsupportedOfferException.NO_BUNDLE, UnsupportedOfferException.NO_DTLS_FINGERPRINT,
            UnsupportedOfferException.UNUSABLE_DTLS_FINGERPRINT, UnsupportedOfferException.NO_RTCP_MUX,
            UnsupportedOfferException.NO_ICE_CREDENTIALS, UnsupportedOfferException.DTLS_CLIENT_ROLE,
            UnsupportedOfferException.NO_MEDIA, UnsupportedOfferException.MALFORMED);

    @FuzzTest(maxDuration = "10m")
    void offersAreServedOrRefusedWithTheirOwnError(byte[] body) {
        String sdp = new String(body, StandardCharsets.UTF_8);
        Offer offer;
        try {
            offer = Offer.parse(sdp);
        } catch (UnsupportedOfferException e) {
            assertThat(e.getMessage()).isIn(MESSAGES);
            return;
        }
        for (MediaDescription line : offer.session().media()) {
            line.ssrcs();
            line.rtxSsrcs();
            line.sendRids();
            line.simulcast();
            line.extmaps();
            line.rtcpFeedback();
            line.direction();
        }
        offer.served(MediaKind.AUDIO);
        offer.served(MediaKind.VIDEO);
        for (boolean bridgeReceives : new boolean[] {true, false}) {
            String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(ICE, CERT.fingerprint(),
                    List.of(new InetSocketAddress("127.0.0.1", 10000)), bridgeReceives,
                    Set.of(RtpExtensions.AUDIO_LEVEL, RtpExtensions.ABS_SEND_TIME, RtpExtensions.MID),
                    Set.of("nack", "nack pli", "goog-remb"),
                    Map.of("0", new AnswerBuilder.LocalStream(1111L, 1112L, "program", "program-audio"),
                            "1", new AnswerBuilder.LocalStream(2222L, 2223L, "program", "program-video")),
                    "bridge", !bridgeReceives));
            assertThat(answer).endsWith("\r\n");
            for (String answerLine : answer.substring(0, answer.length() - 2).split("\r\n", -1)) {
                assertThat(answerLine.chars().noneMatch(c -> c < 0x20 || c == 0x7f))
                        .as("answer line without control characters: %s", answerLine).isTrue();
            }
            assertThat(SdpParser.parse(answer).media()).hasSameSizeAs(offer.media());
        }
    }
}
