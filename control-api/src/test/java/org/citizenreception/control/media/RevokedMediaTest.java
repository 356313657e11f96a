package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.media.conference.Conference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking what authorised a media endpoint ends the endpoint within 1 s: a room's WHEP player
 * whose join token is revoked stops receiving, and a host who signs out stops publishing. Real
 * peers (media-client: ICE, DTLS, SRTP over loopback) receive real packets until then.
 */
class RevokedMediaTest {
    static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);
    static final String HOST_ROOM = "QN-VP";
    static final String ROOM = "QN25-BAI-CHAY";

    @TempDir
    static Path dir;
    static TestServer t;
    static ClientGroup peers;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        peers = ClientGroup.create();
        t.createUser("rm.host", Role.HOST, null);
    }

    @AfterAll
    static void stop() {
        peers.close();
        t.close();
    }

    private static Conference conference(long session) {
        return t.server.mediaBridge().conference(SessionMedia.conferenceId(session)).orElseThrow();
    }

    @Test
    void aRevokedJoinTokensPlayerStopsReceivingWithinOneSecond() throws Exception {
        String host = t.token("rm.host", TestServer.passwordOf("rm.host"));
        long session = t.scheduleOnlineSession("Thu hồi mã xem", HOST_ROOM, List.of(ROOM));
        Publisher publisher = peers.publisher(PeerOptions.defaults().videoBitrateBps(300_000));
        publisher.connect(Signaller.http(t.uri("/whip/" + session), host)).get(15, TimeUnit.SECONDS);
        Viewer viewer = peers.viewer(PeerOptions.defaults().pliAfterMillis(300));
        viewer.connect(Signaller.http(t.uri("/whep/" + session), t.joinToken(session, ROOM))).get(15, TimeUnit.SECONDS);
        waitUntil(() -> viewer.stats().packets("video") > 50, Duration.ofSeconds(20), "the room receives the host's video");
        assertThat(conference(session).endpoints()).hasSize(2);

        long before = System.nanoTime();
        assertThat(t.send("DELETE", "/api/v1/sessions/" + session + "/rooms/" + ROOM + "/join-token", t.adminToken(), null,
                (byte[]) null).status()).isEqualTo(200);
        waitUntil(() -> conference(session).endpoints().size() == 1, REVOCATION_BOUND.minusNanos(System.nanoTime() - before),
                "the revoked token's endpoint is closed on the bridge");
        long closedAfterMillis = (System.nanoTime() - before) / 1_000_000;
        assertThat(closedAfterMillis).isLessThan(REVOCATION_BOUND.toMillis());

        // Packets already on the loopback when it closed may still be counted; after that, none.
        long settled = settledCount(viewer);
        long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < quietUntil) {
            assertThat(viewer.stats().packets()).as("nothing reaches the revoked player").isEqualTo(settled);
            Thread.sleep(50);
        }
        assertThat(conference(session).endpoints()).as("the host still broadcasts").hasSize(1);
        publisher.close();
        viewer.close();
    }

    @Test
    void aHostWhoSignsOutStopsPublishingWithinOneSecond() throws Exception {
        String host = t.token("rm.host", TestServer.passwordOf("rm.host"));
        long session = t.scheduleOnlineSession("Người chủ trì đăng xuất", HOST_ROOM, List.of(ROOM));
        Publisher publisher = peers.publisher(PeerOptions.defaults().videoBitrateBps(300_000));
        publisher.connect(Signaller.http(t.uri("/whip/" + session), host)).get(15, TimeUnit.SECONDS);
        waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()),
                Duration.ofSeconds(20), "the host's stream takes the session live");
        assertThat(conference(session).endpoints()).hasSize(1);

        long before = System.nanoTime();
        assertThat(t.send("POST", "/api/v1/auth/logout", host, null, (byte[]) null).status()).isEqualTo(204);
        waitUntil(() -> conference(session).endpoints().isEmpty(), REVOCATION_BOUND.minusNanos(System.nanoTime() - before),
                "the signed-out host's publisher is closed");
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", t.adminToken(), Map.of("state", "CANCELLED")).status())
                .isIn(200, 409);
        publisher.close();
    }

    /** The packet count once it stops moving for 200 ms (what was in flight at the close has arrived). */
    private static long settledCount(Viewer viewer) throws InterruptedException {
        long last = viewer.stats().packets();
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Thread.sleep(20);
            long now = viewer.stats().packets();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(200)) {
                return last;
            }
        }
        throw new AssertionError("the revoked player kept receiving for 5 s");
    }

    private static void waitUntil(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, within.toNanos());
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }
}
