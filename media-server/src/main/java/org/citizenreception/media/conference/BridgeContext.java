package org.citizenreception.media.conference;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.RetransmissionLimits;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.dtls.HandshakeExecutor;
import org.citizenreception.media.ice.IceLiteAgent;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.PacketSender;

/**
 * What every conference object shares with the bridge, handed down at creation.
 *
 * @param candidates       host candidates for answers (UDP)
 * @param tcpCandidates    passive ICE-TCP host candidates for answers (empty when TCP is off)
 * @param dtlsExecutor     runs DTLS handshakes, off the event loop, one computing per core
 * @param nanoClock        monotonic time, injected for tests
 * @param listener         the embedding application's listener (never null)
 * @param interruptAfterNanos silence after which a connected endpoint is reported interrupted
 * @param retransmissionLimits what one viewer's NACKs may make the bridge resend
 */
public record BridgeContext(MediaMetrics metrics, PacketSender transport, EndpointAddressTable addresses,
                            IceLiteAgent ice, DtlsCertificate certificate, HandshakeExecutor dtlsExecutor,
                            List<InetSocketAddress> candidates, LongSupplier nanoClock, MediaEventListener listener,
                            long consentTimeoutNanos, long keyframeRequestIntervalNanos, long publisherBitrateBps,
                            boolean programFollowsDominantSpeaker, long interruptAfterNanos,
                            RetransmissionLimits retransmissionLimits, List<InetSocketAddress> tcpCandidates) {

    /**
     * The same bridge seen from one cascade link's own socket: what its endpoint sends leaves there,
     * the datagrams that socket receives are routed by {@code linkAddresses}, and the one candidate
     * it offers is the advertised address on that socket's port.
     */
    BridgeContext forLinkSocket(PacketSender linkSocket, EndpointAddressTable linkAddresses, int linkPort) {
        List<InetSocketAddress> linkCandidates = List.of(new InetSocketAddress(candidates.get(0).getAddress(), linkPort));
        return new BridgeContext(metrics, linkSocket, linkAddresses, ice, certificate, dtlsExecutor, linkCandidates,
                nanoClock, listener, consentTimeoutNanos, keyframeRequestIntervalNanos, publisherBitrateBps,
                programFollowsDominantSpeaker, interruptAfterNanos, retransmissionLimits, List.of()); // a link socket is UDP only
    }
}
