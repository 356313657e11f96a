package org.citizenreception.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.UdpTransport;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cascade link's controlling checks against our own ICE-lite agent (the upstream bridge's), each
 * on its own real UDP socket: the lite side hears a nominating check and learns the link's address,
 * the controlling side hears the authenticated response (a working pair, a round trip); a peer
 * that answers with another password, or whose fingerprint is wrong, is not believed.
 */
class IceControllingChecksTest {
    private static final IceCredentials UPSTREAM = new IceCredentials("upufrag1", "upstream-password-0123456789");
    private static final IceCredentials DOWNSTREAM = new IceCredentials("dnufrag1", "downstream-password-012345678");

    private MediaMetrics metrics;
    private UdpTransport upstream;
    private UdpTransport downstream;
    private final CopyOnWriteArrayList<String> upstreamHeard = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<InetSocketAddress> downstreamHeard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        metrics = new MediaMetrics(new SimpleMeterRegistry());
        IceLiteAgent lite = new IceLiteAgent(metrics);
        upstream = UdpTransport.bind("127.0.0.1", 0, metrics, lite, new EndpointAddressTable());
        lite.attach(upstream);
        lite.register(new IceSession(UPSTREAM, DOWNSTREAM.ufrag(),
                (remote, useCandidate) -> upstreamHeard.add(remote.getPort() + ":" + useCandidate)));
    }

    @AfterEach
    void stop() {
        if (downstream != null) {
            downstream.close();
        }
        upstream.close();
    }

    private IceControllingChecks checks(IceCredentials upstreamAsKnownDownstream) {
        IceControllingChecks checks = new IceControllingChecks(DOWNSTREAM, upstreamAsKnownDownstream,
                upstream.localAddress(), (remote, useCandidate) -> downstreamHeard.add(remote), metrics);
        downstream = UdpTransport.bind("127.0.0.1", 0, metrics, checks, new EndpointAddressTable());
        checks.attach(downstream);
        return checks;
    }

    @Test
    void aNominatingCheckConnectsBothSidesAndMeasuresTheRoundTrip() throws Exception {
        IceControllingChecks checks = checks(UPSTREAM);
        tickUntil(checks, () -> !downstreamHeard.isEmpty());
        assertThat(upstreamHeard).contains(downstream.localAddress().getPort() + ":true");
        assertThat(downstreamHeard.get(0)).isEqualTo(upstream.localAddress());
        assertThat(checks.rttNanos()).isPositive();
        assertThat(checks.responsesReceived()).isPositive();
    }

    @Test
    void aResponseUnderAnotherPasswordIsNotBelieved() throws Exception {
        // the checks believe the peer's password is this one; the lite agent drops requests signed with it
        IceControllingChecks checks = checks(new IceCredentials(UPSTREAM.ufrag(), "not-the-upstream-password-0123"));
        long deadline = System.currentTimeMillis() + 2_000;
        while (System.currentTimeMillis() < deadline) {
            tick(checks);
            Thread.sleep(100);
        }
        assertThat(checks.checksSent()).isGreaterThan(3);
        assertThat(upstreamHeard).isEmpty();
        assertThat(downstreamHeard).isEmpty();
        assertThat(metrics.droppedCount(DropReason.STUN_UNAUTHORIZED)).isGreaterThan(3);
    }

    @Test
    void aForgedResponseIsDroppedAndCountedWhileAGenuineOneIsBelieved() throws Exception {
        // no checks are sent (no tick): the only responses the downstream side hears are these three
        checks(UPSTREAM);
        byte[] key = UPSTREAM.password().getBytes(StandardCharsets.UTF_8);
        byte[] wrongKey = StunMessages.appendIntegrityAndFingerprint(successResponse(), "not-the-upstream-password-0123".getBytes(StandardCharsets.UTF_8));
        upstream.send(Unpooled.wrappedBuffer(wrongKey), downstream.localAddress());
        awaitDropped(DropReason.STUN_UNAUTHORIZED);
        byte[] brokenFingerprint = StunMessages.appendIntegrityAndFingerprint(successResponse(), key);
        brokenFingerprint[brokenFingerprint.length - 1] ^= 0x01;
        upstream.send(Unpooled.wrappedBuffer(brokenFingerprint), downstream.localAddress());
        awaitDropped(DropReason.STUN_MALFORMED); // ice4j's decoder refuses a wrong FINGERPRINT before integrity is checked
        assertThat(downstreamHeard).isEmpty();

        upstream.send(Unpooled.wrappedBuffer(StunMessages.appendIntegrityAndFingerprint(successResponse(), key)), downstream.localAddress());
        long deadline = System.currentTimeMillis() + 10_000;
        while (downstreamHeard.isEmpty()) {
            assertThat(System.currentTimeMillis()).as("waited for the genuine response to be believed").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(downstreamHeard).containsExactly(upstream.localAddress());
    }

    private void awaitDropped(DropReason reason) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (metrics.droppedCount(reason) == 0) {
            assertThat(System.currentTimeMillis()).as("waited for a drop counted as %s", reason).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static byte[] successResponse() throws Exception {
        Request request = MessageFactory.createBindingRequest();
        byte[] transaction = new byte[12];
        transaction[0] = 1;
        request.setTransactionID(transaction);
        Response response = MessageFactory.createBindingResponse(request,
                new TransportAddress(new InetSocketAddress("127.0.0.1", 9), Transport.UDP));
        response.setTransactionID(transaction);
        return response.encode(null);
    }

    private void tickUntil(IceControllingChecks checks, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited for the checks to succeed").isLessThan(deadline);
            tick(checks);
            Thread.sleep(20);
        }
    }

    /** On the downstream socket's event loop, as the link's fast tick runs it. */
    private void tick(IceControllingChecks checks) {
        downstream.eventLoop().execute(() -> checks.tick(System.nanoTime()));
    }
}
