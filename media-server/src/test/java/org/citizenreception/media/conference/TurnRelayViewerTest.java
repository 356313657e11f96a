package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.Coturn;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer that may only use relayed candidates (libwebrtc's relay-only ICE transport policy, as a
 * room whose firewall allows only its TURN server) reaches the bridge through a real coturn with
 * TURN REST credentials and decodes the publisher's video; a credential whose expiry has passed is
 * refused by coturn (as coturn's own client sees it too), so that viewer gets no relay candidate.
 *
 * <p>The credentials are minted here as control-api mints them ({@code TurnCredentials}: username
 * {@code <expiry>:<who>}, password base64 HMAC-SHA1 of it under the shared secret): coturn, not this
 * test, decides whether they hold. Expiries are ten minutes from the clock coturn itself reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnRelayViewerTest {
    private static final String SECRET = "turn-rest-secret-for-tests";

    @TempDir
    static Path dir;
    private Coturn coturn;
    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        coturn = Coturn.start(SECRET, dir);
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        // every IPv4 address, advertising the one coturn's namespace can reach
        bridge = MediaBridge.start(new MediaBridgeConfig("0.0.0.0", 0, List.of(Coturn.HOST_SIDE)), new SimpleMeterRegistry());
    }

    @AfterAll
    void stop() throws Exception {
        peers.forEach(LibwebrtcPeer::close);
        if (bridge != null) {
            bridge.close();
        }
        if (factory != null) {
            factory.dispose();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void aRelayOnlyViewerDecodesThroughCoturnAndAnExpiredCredentialIsRefused() throws Exception {
        Conference conference = bridge.createConference("session-turn");
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host"));
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();

        Instant now = Instant.now();
        LibwebrtcPeer relayed = track(LibwebrtcPeer.viewer(factory, "room-turn", 1,
                relayOnly(credential("room-turn", now.plus(Duration.ofMinutes(10))))));
        String offer = relayed.createOffer();
        // libwebrtc never reports gathering complete here (it keeps trying other networks): wait for a relay candidate
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (relayed.gatheredSoFar().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling a condition, with a deadline
        }
        assertThat(relayed.gatheredSoFar()).as("candidates gathered under the relay-only policy; coturn's log:%n%s", coturn.log())
                .isNotEmpty().allMatch(c -> c.contains(" " + Coturn.TURN_SIDE + " ") && c.contains(" typ relay "));
        relayed.setAnswer(conference.subscribe("room-turn", offer).sdpAnswer());
        awaitDecoded(relayed, 60, 60_000); // bounds the wait only
        assertThat(relayed.awaitSelectedPath(java.time.Duration.ofSeconds(10))).as("the relayed viewer's selected pair").startsWith("relay/udp -> host/udp");

        String[] expiredCredential = credential("room-expired", now.minus(Duration.ofMinutes(10)));
        LibwebrtcPeer expired = track(LibwebrtcPeer.viewer(factory, "room-expired", 1, relayOnly(expiredCredential)));
        expired.createOffer();
        // coturn's own client, asked with the same credentials, takes the seconds libwebrtc's allocation needs
        assertThat(coturn.grantsAllocation(expiredCredential[0], expiredCredential[1])).as("coturn grants the expired credential")
                .isFalse();
        String[] validCredential = credential("room-check", now.plus(Duration.ofMinutes(10)));
        assertThat(coturn.grantsAllocation(validCredential[0], validCredential[1])).as("coturn grants a valid credential").isTrue();
        assertThat(expired.gatheredSoFar()).as("relay candidates for an expired credential").isEmpty();
    }

    private static RTCConfiguration relayOnly(String[] usernameAndPassword) {
        RTCIceServer turn = new RTCIceServer();
        turn.urls = List.of("turn:" + Coturn.TURN_SIDE + ":" + Coturn.PORT + "?transport=udp");
        turn.username = usernameAndPassword[0];
        turn.password = usernameAndPassword[1];
        RTCConfiguration configuration = new RTCConfiguration();
        configuration.iceServers = List.of(turn);
        configuration.iceTransportPolicy = RTCIceTransportPolicy.RELAY;
        return configuration;
    }

    /** TURN REST (coturn's use-auth-secret): {@code <expiry unix seconds>:<who>} and its HMAC-SHA1. */
    private static String[] credential(String who, Instant expiresAt) throws Exception {
        String username = expiresAt.getEpochSecond() + ":" + who;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return new String[] {username, Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)))};
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    private static void awaitDecoded(LibwebrtcPeer viewer, int frames, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (viewer.framesDecoded() < frames && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling a condition with a deadline, not a timing assumption
        }
        assertThat(viewer.framesDecoded()).as("frames decoded").isGreaterThanOrEqualTo(frames);
    }
}
