package org.citizenreception.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.UdpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cascade link's controlling checks against our own ICE-lite agent (the upstream bridge's), each
 * on its own real UDP socket: the lite side hears a nominating check and learns the link's address,
 * the controlling side hears the authenticated response (a working pair, a round trip); a peer
 * that answers with another password is not believed.
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
