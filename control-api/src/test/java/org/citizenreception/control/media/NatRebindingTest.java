package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.media.testing.FaultyUdpRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room behind a NAT that rebinds (its source port changes mid-stream) keeps receiving on the
 * same endpoint, without a new join: the bridge follows the room to its new address once media
 * authenticated with the endpoint's SRTP keys arrives from there (after an ICE consent check from
 * it), even when the client's checks do not carry USE-CANDIDATE. libwebrtc nominates on every check
 * to an ICE-lite bridge (NetworkFaultsIT shows it), but RFC 7675 consent checks need not, and this
 * project's own client (media-client) does not.
 */
class NatRebindingTest {
    private static final String ROOM = "QN25-BAI-CHAY";
    private static final Pattern CANDIDATE_PORT = Pattern.compile("a=candidate:\\S+ \\d+ udp \\d+ 127\\.0\\.0\\.1 (\\d+) typ host",
            Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path dir;
    static TestServer t;
    static ClientGroup peers;
    static FaultyUdpRelay relay;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        peers = ClientGroup.create();
        t.createUser("nat.host", Role.HOST, null);
    }

    @AfterAll
    static void stop() {
        peers.close();
        if (relay != null) {
            relay.close();
        }
        t.close();
    }

    @Test
    void aRoomWhoseSourcePortChangesKeepsReceivingOnTheSameEndpoint() throws Exception {
        String host = t.token("nat.host", TestServer.passwordOf("nat.host"));
        long session = t.scheduleOnlineSession("Phiên thử đổi cổng NAT", "QN-VP", List.of(ROOM));
        Publisher publisher = peers.publisher(PeerOptions.defaults().videoBitrateBps(300_000));
        publisher.connect(Signaller.http(t.uri("/whip/" + session), host)).get(30, TimeUnit.SECONDS);

        Signaller whep = Signaller.http(t.uri("/whep/" + session), t.joinToken(session, ROOM));
        AtomicReference<FaultyUdpRelay> line = new AtomicReference<>();
        // A consent check every 2.5 s, as libwebrtc sends on a working pair: the bridge hears the new address
        // well before 5 s of silence would count as a gap (media-client's default is every 5 s).
        Viewer viewer = peers.viewer(PeerOptions.defaults().consentIntervalMillis(2500));
        viewer.connect(offer -> {
            String answer = whep.exchange(offer);
            Matcher m = CANDIDATE_PORT.matcher(answer);
            assertThat(m.find()).as("a loopback host candidate in " + answer).isTrue();
            line.set(new FaultyUdpRelay(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))), "nat"));
            return line.get().rewriteAnswer(answer);
        }).get(30, TimeUnit.SECONDS);
        relay = line.get();
        waitUntil(() -> viewer.stats().packets("video") > 50, Duration.ofSeconds(30), "the room receives the host's video");
        long endpoints = t.server.mediaBridge().conference(SessionMedia.conferenceId(session)).orElseThrow().endpoints().size();
        long attendance = t.count("attendance_events");

        int oldPort = relay.bridgeSidePort();
        relay.rebind();
        long atRebind = viewer.stats().packets("video");
        // media-client checks consent every few seconds: the bridge must follow well before 5 s of silence count as a gap.
        waitUntil(() -> viewer.stats().packets("video") > atRebind + 100, Duration.ofSeconds(15),
                "video reaches the room at its new port");

        assertThat(relay.bridgeSidePort()).isNotEqualTo(oldPort);
        assertThat(t.server.mediaBridge().conference(SessionMedia.conferenceId(session)).orElseThrow().endpoints())
                .as("the same endpoints: no new join").hasSize((int) endpoints);
        assertThat(t.count("attendance_events")).as("no gap and no second join in attendance").isEqualTo(attendance);
        assertThat(viewer.stats().srtpAuthFailures()).isZero();
    }

    private static void waitUntil(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }
}
