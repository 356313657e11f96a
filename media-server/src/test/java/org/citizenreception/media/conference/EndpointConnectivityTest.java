package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.stats.EndpointStats;
import org.citizenreception.media.testing.LightweightViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICE consent freshness (RFC 7675, with a 2 s timeout instead of 30 s), interruption reports well
 * before consent expires, and remote address switching.
 */
class EndpointConnectivityTest {
    private MediaBridge bridge;
    private Conference conference;
    private final Map<String, String> disconnected = new ConcurrentHashMap<>();
    private final Map<String, InetSocketAddress> connected = new ConcurrentHashMap<>();
    private final Map<String, EndpointStats> stats = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1"))
                .withConsentTimeout(Duration.ofSeconds(2)), new SimpleMeterRegistry());
        bridge.setEventListener(new MediaEventListener() {
            @Override
            public void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
                connected.put(endpointId, remote);
            }

            @Override
            public void endpointDisconnected(String conferenceId, String endpointId, String reason) {
                disconnected.put(endpointId, reason);
            }

            @Override
            public void endpointStats(String conferenceId, String endpointId, EndpointStats snapshot) {
                stats.put(endpointId, snapshot);
            }
        });
        conference = bridge.createConference("connectivity");
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void aSilentEndpointIsClosedAndReportedDisconnectedWhileARefreshingOneStaysAndGetsStats() throws Exception {
        try (LightweightViewer silent = new LightweightViewer(); LightweightViewer chatty = new LightweightViewer()) {
            silent.connect(conference.subscribe("silent", silent.offer()).sdpAnswer());
            chatty.connect(conference.subscribe("chatty", chatty.offer()).sdpAnswer());
            long connectDeadline = System.currentTimeMillis() + 20_000; // bounds the wait only
            while (connected.size() < 2 && System.currentTimeMillis() < connectDeadline) {
                Thread.sleep(20);
            }
            assertThat(connected).containsKeys("silent", "chatty");

            long deadline = System.currentTimeMillis() + 8000;
            while (System.currentTimeMillis() < deadline && (!disconnected.containsKey("silent") || !stats.containsKey("chatty"))) {
                chatty.refreshConsent();
                Thread.sleep(500);
            }

            assertThat(disconnected).containsEntry("silent", "consent expired").doesNotContainKey("chatty");
            assertThat(conference.endpoint("silent")).isEmpty();
            assertThat(conference.endpoint("chatty")).isPresent();
            assertThat(stats.get("chatty")).as("periodic stats of the live endpoint").isNotNull();
            assertThat(stats.get("chatty").packetsReceived()).isZero(); // a viewer with nothing to send back yet
        }
    }

    @Test
    void aSilentEndpointIsReportedInterruptedLongBeforeConsentExpiresAndResumedWhenHeardAgain() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (MediaBridge quick = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1"))
                .withInterruptAfter(Duration.ofSeconds(1)), new SimpleMeterRegistry());
             LightweightViewer viewer = new LightweightViewer()) {
            quick.setEventListener(new MediaEventListener() {
                @Override
                public void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
                    events.add("connected");
                }

                @Override
                public void endpointInterrupted(String conferenceId, String endpointId, long silentMillis) {
                    events.add("interrupted");
                }

                @Override
                public void endpointResumed(String conferenceId, String endpointId, InetSocketAddress remote) {
                    events.add("resumed " + remote.getPort());
                }

                @Override
                public void endpointDisconnected(String conferenceId, String endpointId, String reason) {
                    events.add("disconnected");
                }
            });
            Conference c = quick.createConference("interruption");
            viewer.connect(c.subscribe("cut", viewer.offer()).sdpAnswer());

            // Heard only through its checks so far: 2.5 s of silence count, not 1 s.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!events.contains("interrupted") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(events).containsExactly("connected", "interrupted");
            assertThat(c.endpoint("cut")).as("kept open for an ICE restart").isPresent();

            deadline = System.currentTimeMillis() + 5000;
            while (events.size() < 3 && System.currentTimeMillis() < deadline) {
                viewer.refreshConsent();
                Thread.sleep(200);
            }
            assertThat(events).containsExactly("connected", "interrupted", "resumed " + viewer.socket().getLocalPort());
        }
    }

    @Test
    void aNominationFromANewAddressMovesTheEndpointThere() throws Exception {
        try (LightweightViewer viewer = new LightweightViewer();
             DatagramSocket roamed = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            viewer.connect(conference.subscribe("roaming", viewer.offer()).sdpAnswer());
            Endpoint endpoint = conference.endpoint("roaming").orElseThrow();
            assertThat(endpoint.remoteAddress().getPort()).isEqualTo(viewer.socket().getLocalPort());

            assertThat(viewer.checkConnectivity(roamed, false)).as("answer to a check from the new address").isNotNull();
            assertThat(endpoint.remoteAddress().getPort()).as("not moved without nomination")
                    .isEqualTo(viewer.socket().getLocalPort());

            assertThat(viewer.checkConnectivity(roamed, true)).isNotNull();
            assertThat(endpoint.remoteAddress().getPort()).isEqualTo(roamed.getLocalPort());
            long deadline = System.currentTimeMillis() + 20_000; // bounds the wait only
            while (!endpoint.isConnected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20); // the client can finish its handshake just before the bridge's callback runs
            }
            assertThat(endpoint.isConnected()).isTrue();
        }
    }

    @Test
    void anIceRestartGivesNewCredentialsAndTheOldOnesStopWorking() throws Exception {
        try (LightweightViewer viewer = new LightweightViewer();
             DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            viewer.connect(conference.subscribe("restarting", viewer.offer()).sdpAnswer());
            Endpoint endpoint = conference.endpoint("restarting").orElseThrow();
            String oldUfrag = endpoint.localIce().ufrag();

            String answerFragment = endpoint.restartIce("a=ice-ufrag:newufrag\r\na=ice-pwd:newpasswordnewpassword12\r\n");

            assertThat(answerFragment).startsWith("a=ice-ufrag:").doesNotContain(oldUfrag).contains("a=ice-pwd:");
            assertThat(viewer.checkConnectivity(other, true)).as("old credentials after restart").isNull();
        }
    }
}
