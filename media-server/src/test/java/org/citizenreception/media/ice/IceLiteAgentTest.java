package org.citizenreception.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.UdpTransport;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    private MediaMetrics metrics;
    private IceLiteAgent agent;
    private UdpTransport transport;
    private DatagramSocket client;
    private StunTestClient stun;
    private IceSession session;
    private final CopyOnWriteArrayList<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        metrics = new MediaMetrics(new SimpleMeterRegistry());
        agent = new IceLiteAgent(metrics);
        transport = UdpTransport.bind("127.0.0.1", 0, metrics, agent, new EndpointAddressTable());
        agent.attach(transport);
        session = new IceSession(new IceCredentials("srvufrag", "server-password-0123456789"), "cliufrag",
                (remote, useCandidate) -> events.add(remote.getPort() + ":" + useCandidate));
        agent.register(session);
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        stun = new StunTestClient();
    }

    @AfterEach
    void stop() {
        stun.close();
        client.close();
        transport.close();
    }

    @Test
    void answersAnAuthenticatedBindingRequestWithTheClientsMappedAddress() throws Exception {
        byte[] request = stun.bindingRequest("srvufrag:cliufrag", "server-password-0123456789", true);

        Message response = StunTestClient.exchange(client, transport.localAddress(), request, 2000);

        assertThat(response).isNotNull();
        assertThat(response.getMessageType()).isEqualTo(Message.BINDING_SUCCESS_RESPONSE);
        XorMappedAddressAttribute mapped = (XorMappedAddressAttribute) response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        assertThat(mapped.getAddress(response.getTransactionID()).getPort()).isEqualTo(client.getLocalPort());
        byte[] raw = rawResponse(request);
        assertThat(StunMessages.integrityMatches(raw, raw.length, "server-password-0123456789".getBytes())).isTrue();
        assertThat(StunMessages.fingerprintValidOrAbsent(raw, raw.length)).isTrue();
        assertThat(events).contains(client.getLocalPort() + ":true");
    }

    @Test
    void reportsANominationOnlyWhenUseCandidateIsPresent() {
        byte[] request = stun.bindingRequest("srvufrag:cliufrag", "server-password-0123456789", false);

        assertThat(StunTestClient.exchange(client, transport.localAddress(), request, 2000)).isNotNull();
        assertThat(events).containsExactly(client.getLocalPort() + ":false");
    }

    @Test
    void dropsARequestWithTheWrongPasswordWithoutAnswering() {
        byte[] request = stun.bindingRequest("srvufrag:cliufrag", "not-the-password", true);

        assertThat(StunTestClient.exchange(client, transport.localAddress(), request, 300)).isNull();
        assertThat(metrics.droppedCount(DropReason.STUN_UNAUTHORIZED)).isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void dropsARequestForAnUnknownUfrag() {
        byte[] request = stun.bindingRequest("nobody:cliufrag", "server-password-0123456789", true);

        assertThat(StunTestClient.exchange(client, transport.localAddress(), request, 300)).isNull();
        assertThat(metrics.droppedCount(DropReason.STUN_UNKNOWN_USER)).isEqualTo(1);
    }

    @Test
    void dropsTruncatedAndOversizedStun() {
        byte[] request = stun.bindingRequest("srvufrag:cliufrag", "server-password-0123456789", true);
        byte[] truncated = java.util.Arrays.copyOf(request, request.length - 7);
        byte[] oversized = new byte[1400];
        System.arraycopy(request, 0, oversized, 0, request.length);

        assertThat(StunTestClient.exchange(client, transport.localAddress(), truncated, 300)).isNull();
        assertThat(StunTestClient.exchange(client, transport.localAddress(), oversized, 300)).isNull();
        assertThat(metrics.droppedCount(DropReason.STUN_MALFORMED)).isEqualTo(2);
        assertThat(events).isEmpty();
    }

    @Test
    void answersForAnyRandomlyGeneratedCredentials() {
        List<String> failures = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            IceCredentials local = IceCredentials.random();
            IceCredentials remote = IceCredentials.random();
            IceSession random = new IceSession(local, remote.ufrag(), (a, u) -> { });
            agent.register(random);
            byte[] request = stun.bindingRequest(local.ufrag() + ":" + remote.ufrag(), local.password(), true);
            if (StunTestClient.exchange(client, transport.localAddress(), request, 1000) == null) {
                failures.add(local + " / " + remote.ufrag());
            }
        }
        assertThat(failures).isEmpty();
    }

    private byte[] rawResponse(byte[] request) throws Exception {
        client.send(new DatagramPacket(request, request.length, transport.localAddress()));
        byte[] buf = new byte[1500];
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        client.setSoTimeout(2000);
        client.receive(reply);
        return java.util.Arrays.copyOf(buf, reply.getLength());
    }

    @SuppressWarnings("unused")
    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
