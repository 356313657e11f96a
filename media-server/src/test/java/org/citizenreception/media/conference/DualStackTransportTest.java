package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.testing.LightweightViewer;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge on its default bind host ("::", one socket for both families) serves IPv4 and IPv6
 * clients side by side: STUN with an IPv6 XOR-MAPPED-ADDRESS, DTLS, SRTP fan-out (the batched
 * sendmmsg path) to peers of either family, and consent from each.
 */
class DualStackTransportTest {
    private static final InetAddress IPV6_LOOPBACK = address("::1");
    private static final InetAddress IPV4_LOOPBACK = address("127.0.0.1");

    private MediaBridge bridge;
    private Conference conference;
    private final Map<String, InetSocketAddress> connected = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        bridge = MediaBridge.start(new MediaBridgeConfig(MediaBridge.ANY_ADDRESS_BOTH_FAMILIES, 0,
                List.of("127.0.0.1", "::1")), new SimpleMeterRegistry());
        bridge.setEventListener(new MediaEventListener() {
            @Override
            public void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
                connected.put(endpointId, remote);
            }
        });
        conference = bridge.createConference("dual-stack");
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void theDefaultBindTakesBothFamiliesAndAnswersOfferBoth() {
        assertThat(bridge.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(bridge.localAddress().getAddress().isAnyLocalAddress()).isTrue();

        String answer = conference.subscribe("probe", new LightweightViewer().offer()).sdpAnswer();

        assertThat(answer).contains(" 127.0.0.1 " + bridge.localAddress().getPort() + " typ host",
                " ::1 " + bridge.localAddress().getPort() + " typ host", "c=IN IP4 127.0.0.1\r\n");
    }

    @Test
    void anIpv6PublisherReachesAnIpv4AndAnIpv6ViewerThroughTheOneSocket() throws Exception {
        try (LightweightViewer publisher = new LightweightViewer(true, IPV6_LOOPBACK);
             LightweightViewer viewer4 = new LightweightViewer(false, IPV4_LOOPBACK);
             LightweightViewer viewer6 = new LightweightViewer(false, IPV6_LOOPBACK)) {
            publisher.connect(conference.publish("host", publisher.offer(), SlotName.MAIN).sdpAnswer());
            viewer4.connect(conference.subscribe("room-v4", viewer4.offer()).sdpAnswer());
            viewer6.connect(conference.subscribe("room-v6", viewer6.offer()).sdpAnswer());
            publisher.startAudio(30);

            waitFor(() -> connected.size() == 3 && viewer4.packetsReceived() > 10 && viewer6.packetsReceived() > 10,
                    10_000);

            assertThat(viewer4.packetsReceived()).as("audio at the IPv4 viewer").isGreaterThan(10);
            assertThat(viewer6.packetsReceived()).as("audio at the IPv6 viewer").isGreaterThan(10);
            assertThat(viewer4.undecryptable()).isZero();
            assertThat(viewer6.undecryptable()).isZero();
            assertThat(connected.get("host")).isEqualTo(publisher.socket().getLocalSocketAddress());
            assertThat(connected.get("room-v6").getAddress()).isInstanceOf(Inet6Address.class);
            // an IPv4 peer on the dual-stack socket is seen as itself, not as ::ffff:127.0.0.1
            assertThat(connected.get("room-v4").getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(connected.get("room-v4")).isEqualTo(viewer4.socket().getLocalSocketAddress());
        }
    }

    @Test
    void aCheckFromAnIpv6AddressIsAnsweredWithThatAddressXorMapped() throws Exception {
        try (LightweightViewer viewer = new LightweightViewer(false, IPV6_LOOPBACK);
             DatagramSocket other = new DatagramSocket(0, IPV6_LOOPBACK)) {
            viewer.connect(conference.subscribe("room", viewer.offer()).sdpAnswer());
            assertThat(viewer.bridgeAddress().getAddress()).isEqualTo(IPV6_LOOPBACK);

            Message response = viewer.checkConnectivity(other, false);

            assertThat(response).isNotNull();
            assertThat(response.getMessageType()).isEqualTo(Message.BINDING_SUCCESS_RESPONSE);
            XorMappedAddressAttribute mapped = (XorMappedAddressAttribute) response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            InetSocketAddress reflexive = new InetSocketAddress(mapped.getAddress(response.getTransactionID()).getAddress(),
                    mapped.getAddress(response.getTransactionID()).getPort());
            assertThat(reflexive).isEqualTo(other.getLocalSocketAddress());
            // consent from the new address keeps the endpoint where it was until it nominates
            assertThat(conference.endpoint("room").orElseThrow().remoteAddress())
                    .isEqualTo(viewer.socket().getLocalSocketAddress());
        }
    }

    private static void waitFor(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
