package org.citizenreception.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.ice.IceCredentials;
import org.junit.jupiter.api.Test;

/**
 * A cascade link's offers are served by the upstream bridge's ordinary offer rules, and its answer
 * (setup passive, which an offer may not say) reads back into the shape the link's endpoint needs.
 */
class LinkOfferTest {
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generateEcdsa("downstream");
    private static final IceCredentials ICE = new IceCredentials("linkufrg", "link-password-0123456789abc");
    private static final InetSocketAddress CANDIDATE = new InetSocketAddress("198.18.0.2", 40000);

    @Test
    void theSubscribeOfferAsksForEverySlotAsRecvonlyPairsWithRtx() {
        Offer offer = Offer.parse(LinkOffer.subscribe(ICE, CERTIFICATE.fingerprint(), CANDIDATE, 2));
        assertThat(offer.media()).hasSize(4);
        assertThat(offer.media()).allMatch(NegotiatedMedia::offererReceives);
        assertThat(offer.served(MediaKind.VIDEO)).allMatch(m -> m.rtxPayloadType() == LinkOffer.RTX_PT
                && m.feedback().containsAll(List.of("nack", "nack pli", "ccm fir")));
        assertThat(offer.iceUfrag()).isEqualTo(ICE.ufrag());
    }

    @Test
    void thePublishOfferAnnouncesItsSsrcsAndRtxPairing() {
        Offer offer = Offer.parse(LinkOffer.publish(ICE, CERTIFICATE.fingerprint(), CANDIDATE, 11L, 22L, 33L, "link-a"));
        NegotiatedMedia video = offer.served(MediaKind.VIDEO).get(0);
        assertThat(video.offererSends()).isTrue();
        assertThat(video.ssrcs()).containsExactly(22L);
        assertThat(video.rtxSsrcs()).containsEntry(22L, 33L);
        assertThat(offer.served(MediaKind.AUDIO).get(0).ssrcs()).containsExactly(11L);
    }

    @Test
    void theUpstreamAnswerReadsBackWithItsSsrcsAndSendingDirection() {
        Offer offer = Offer.parse(LinkOffer.subscribe(ICE, CERTIFICATE.fingerprint(), CANDIDATE, 1));
        String answer = AnswerBuilder.build(offer, new AnswerBuilder.Parameters(new IceCredentials("upufrag1", "up-password-0123456789abcd"),
                CERTIFICATE.fingerprint(), List.of(new InetSocketAddress("198.18.0.1", 10000)), false, Set.of(),
                Set.of("nack", "nack pli", "ccm fir"), Map.of("0", new AnswerBuilder.LocalStream(5L, -1, "main", "main-audio"),
                        "1", new AnswerBuilder.LocalStream(6L, 7L, "main", "main-video")), "bridge", true));
        Offer read = Offer.parseAnswer(answer);
        assertThat(read.media()).allMatch(NegotiatedMedia::offererSends);
        assertThat(read.served(MediaKind.VIDEO).get(0).ssrcs()).containsExactly(6L);
        assertThat(read.served(MediaKind.VIDEO).get(0).rtxSsrcs()).containsEntry(6L, 7L);
        assertThat(read.iceUfrag()).isEqualTo("upufrag1");
    }
}
