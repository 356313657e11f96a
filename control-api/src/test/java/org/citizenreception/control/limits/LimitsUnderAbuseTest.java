package org.citizenreception.control.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.media.SessionMedia;
import org.citizenreception.control.testing.EventsClient;
import org.citizenreception.control.testing.RawHttp;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each limit refuses with a clear answer while the other users keep being served: WHIP/WHEP
 * offers per address and per session (429 + Retry-After), one endpoint per room token (the newest
 * wins; the old page's ICE restart is told 410, its DELETE is 204), concurrent password checks
 * (503 + Retry-After) and the login throttle, each counted on /metrics. Every client here speaks
 * from its own 127.0.0.x address, as rooms do from theirs.
 */
class LimitsUnderAbuseTest {
    static final String HOST_ROOM = "QN-VP";
    static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-MONG-CAI-1", "QN25-CAM-PHA");
    static final int POSTS_PER_ADDRESS = 3;
    static final int POSTS_PER_SESSION = 5;
    static final int SOCKETS_PER_PRINCIPAL = 2;
    static final int QUEUED_EVENTS = 16;

    @TempDir
    static Path dir;
    static TestServer t;
    static ClientGroup peers;
    static String host;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, "--limits.media-posts-per-minute-per-address=" + POSTS_PER_ADDRESS,
                "--limits.media-posts-per-minute-per-session=" + POSTS_PER_SESSION, "--limits.concurrent-password-checks=1",
                "--limits.event-sockets-per-principal=" + SOCKETS_PER_PRINCIPAL, "--limits.event-queue-messages=" + QUEUED_EVENTS);
        peers = ClientGroup.create();
        t.createUser("host.limits", Role.HOST, null);
        host = t.token("host.limits", TestServer.passwordOf("host.limits"));
    }

    @AfterAll
    static void stop() {
        if (peers != null) {
            peers.close();
        }
        if (t != null) {
            t.close();
        }
    }

    /** WHIP/WHEP from one loopback address, keeping the endpoint's resource path for PATCH and DELETE. */
    static final class FromAddress implements Signaller {
        final String address;
        final String path;
        final String token;
        volatile String resource;

        FromAddress(String address, String path, String token) {
            this.address = address;
            this.path = path;
            this.token = token;
        }

        @Override
        public String exchange(String offerSdp) throws IOException {
            RawHttp.Reply reply = RawHttp.request(address, t.server.httpPort(), "POST", path, token, "application/sdp", offerSdp);
            if (reply.status() != 201) {
                throw new IOException("POST " + path + " from " + address + ": " + reply.status() + " " + reply.body());
            }
            resource = reply.header("Location");
            return reply.body();
        }

        String endpointId() {
            return resource.substring(resource.lastIndexOf('/') + 1);
        }
    }

    @Test
    void aSecondWhepWithTheSameJoinTokenReplacesTheFirstOnceConnectedAndTheOldPageIsToldItIsGone() throws Exception {
        long session = t.scheduleOnlineSession("Thay thế điểm cầu", HOST_ROOM, ROOMS);
        Publisher publisher = peers.publisher(PeerOptions.defaults().videoBitrateBps(300_000));
        publisher.connect(new FromAddress("127.0.0.11", "/whip/" + session, host)).get(20, TimeUnit.SECONDS);
        String roomToken = t.joinToken(session, ROOMS.get(0));
        FromAddress firstPage = new FromAddress("127.0.0.12", "/whep/" + session, roomToken);
        Viewer first = peers.viewer(PeerOptions.defaults().pliAfterMillis(300));
        first.connect(firstPage).get(20, TimeUnit.SECONDS);
        Viewer otherRoom = peers.viewer(PeerOptions.defaults().pliAfterMillis(300));
        otherRoom.connect(new FromAddress("127.0.0.14", "/whep/" + session, t.joinToken(session, ROOMS.get(1))))
                .get(20, TimeUnit.SECONDS);
        waitUntil(() -> first.stats().packets("video") > 30 && otherRoom.stats().packets("video") > 30, "both rooms watch");
        double replacedBefore = metric("reception_limit_refusals_total", "endpoint-replaced");

        FromAddress secondPage = new FromAddress("127.0.0.13", "/whep/" + session, roomToken);
        Viewer second = peers.viewer(PeerOptions.defaults().pliAfterMillis(300));
        second.connect(secondPage).get(20, TimeUnit.SECONDS);
        var conference = t.server.mediaBridge().conference(SessionMedia.conferenceId(session)).orElseThrow();
        waitUntil(() -> conference.endpoint(firstPage.endpointId()).isEmpty(), "the first page's endpoint is ended");
        long otherBefore = otherRoom.stats().packets("video");
        waitUntil(() -> second.stats().packets("video") > 30 && otherRoom.stats().packets("video") > otherBefore + 30,
                "the new page and the other room receive video");

        assertThat(conference.endpoint(secondPage.endpointId())).as("the newest endpoint lives").isPresent();
        assertThat(metric("reception_limit_refusals_total", "endpoint-replaced")).isEqualTo(replacedBefore + 1);
        assertThat(first.stats().srtpAuthFailures() + second.stats().srtpAuthFailures() + otherRoom.stats().srtpAuthFailures())
                .isZero();

        RawHttp.Reply restart = RawHttp.request("127.0.0.12", t.server.httpPort(), "PATCH", firstPage.resource, roomToken,
                "application/trickle-ice-sdpfrag", "a=ice-ufrag:newufrag\r\na=ice-pwd:newpasswordnewpassword12\r\n");
        assertThat(restart.status()).as("the replaced page's ICE restart").isEqualTo(410);
        assertThat(restart.header("Content-Type")).startsWith("application/problem+json");
        assertThat(restart.body()).contains("replaced");
        RawHttp.Reply lateDelete = RawHttp.request("127.0.0.12", t.server.httpPort(), "DELETE", firstPage.resource, roomToken,
                null, null);
        assertThat(lateDelete.status()).as("DELETE of an endpoint already gone, by its owner").isEqualTo(204);
        assertThat(RawHttp.request("127.0.0.12", t.server.httpPort(), "DELETE", firstPage.resource, roomToken, null, null).status())
                .as("and again").isEqualTo(204);
        String otherToken = t.joinToken(session, ROOMS.get(2));
        assertThat(RawHttp.request("127.0.0.15", t.server.httpPort(), "DELETE", firstPage.resource, otherToken, null, null).status())
                .as("another room's DELETE of it").isEqualTo(404);
        assertThat(RawHttp.request("127.0.0.15", t.server.httpPort(), "DELETE", "/whep/" + session + "/no-such-endpoint", roomToken,
                null, null).status()).isEqualTo(404);
        waitUntil(() -> roomConnectedNow(session, ROOMS.get(0)), "the room stays connected in attendance");

        second.close();
        otherRoom.close();
        first.close();
        publisher.close();
    }

    @Test
    void offersPostedTooOftenFromOneAddressOrIntoOneSessionAre429WhileOthersAreServed() {
        long session = t.scheduleOnlineSession("Giới hạn lời mời", HOST_ROOM, ROOMS);
        long otherSession = t.scheduleOnlineSession("Phiên khác", HOST_ROOM, ROOMS);
        String token = t.joinToken(session, ROOMS.get(2));
        double perAddressBefore = metric("reception_limit_refusals_total", "media-posts-per-address");
        double perSessionBefore = metric("reception_limit_refusals_total", "media-posts-per-session");

        for (int i = 0; i < POSTS_PER_ADDRESS; i++) {
            assertThat(post("127.0.0.2", session, token).status()).as("offer %d from 127.0.0.2", i + 1).isEqualTo(201);
        }
        RawHttp.Reply overAddress = post("127.0.0.2", session, token);
        assertThat(overAddress.status()).isEqualTo(429);
        assertThat(overAddress.header("Content-Type")).startsWith("application/problem+json");
        assertThat(overAddress.body()).contains("from this address");
        assertThat(Long.parseLong(overAddress.header("Retry-After"))).isBetween(1L, 60L);

        for (int i = POSTS_PER_ADDRESS; i < POSTS_PER_SESSION; i++) {
            assertThat(post("127.0.0.3", session, token).status()).as("another address, offer %d of the session", i + 1)
                    .isEqualTo(201);
        }
        RawHttp.Reply overSession = post("127.0.0.3", session, token);
        assertThat(overSession.status()).isEqualTo(429);
        assertThat(overSession.body()).contains("for session " + session);
        assertThat(overSession.header("Retry-After")).isNotNull();

        assertThat(post("127.0.0.4", otherSession, t.joinToken(otherSession, ROOMS.get(2))).status())
                .as("another session from another address is served").isEqualTo(201);
        assertThat(metric("reception_limit_refusals_total", "media-posts-per-address")).isEqualTo(perAddressBefore + 1);
        assertThat(metric("reception_limit_refusals_total", "media-posts-per-session")).isEqualTo(perSessionBefore + 1);

        t.clock.advance(Duration.ofMinutes(1));
        assertThat(post("127.0.0.2", session, token).status()).as("a minute later").isEqualTo(201);
    }

    /**
     * With one password check at a time, a burst of sign-ins gets some 503s (problem+json,
     * Retry-After) at once while the rest sign in. Whether a given burst overlaps enough depends
     * on the machine, so bursts repeat until one does (each is 12 sign-ins at the same instant).
     */
    @Test
    void signInsBeyondTheConcurrentPasswordChecksGet503AtOnceWhileOthersSignIn() throws Exception {
        t.createUser("burst.limits", Role.SECRETARY, null);
        double before = metric("reception_limit_refusals_total", "password-checks");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<TestServer.Response> refused = new ArrayList<>();
            int signedIn = 0;
            for (int burst = 0; burst < 30 && refused.isEmpty(); burst++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<TestServer.Response>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return t.login("burst.limits", TestServer.passwordOf("burst.limits"));
                    }));
                }
                go.countDown();
                for (Future<TestServer.Response> r : results) {
                    TestServer.Response response = r.get(60, TimeUnit.SECONDS);
                    if (response.status() == 503) {
                        refused.add(response);
                    } else {
                        assertThat(response.status()).as(response.body()).isEqualTo(200);
                        signedIn++;
                    }
                }
            }
            assertThat(refused).as("sign-ins refused while the check slot was busy").isNotEmpty();
            assertThat(signedIn).as("sign-ins served meanwhile").isPositive();
            TestServer.Response one = refused.get(0);
            assertThat(one.contentType()).startsWith("application/problem+json");
            assertThat(one.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(metric("reception_limit_refusals_total", "password-checks")).isEqualTo(before + refused.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLoginThrottleCountsItsRefusals() {
        t.createUser("guessed.limits", Role.SECRETARY, null);
        double before = metric("reception_limit_refusals_total", "login-throttle");
        int throttled = 0;
        for (int i = 0; i < 7; i++) {
            int status = t.login("guessed.limits", "wrong-" + i).status();
            assertThat(status).isIn(401, 429);
            throttled += status == 429 ? 1 : 0;
        }
        assertThat(throttled).isPositive();
        assertThat(metric("reception_limit_refusals_total", "login-throttle")).isEqualTo(before + throttled);
    }

    @Test
    void aPrincipalsLiveEventSocketsBeyondItsAllowanceAreClosedWith4429WhileOthersSubscribe() throws Exception {
        long session = t.scheduleOnlineSession("Kết nối sự kiện", HOST_ROOM, ROOMS);
        String roomToken = t.joinToken(session, ROOMS.get(0));
        double before = metric("reception_limit_refusals_total", "event-sockets-per-principal");
        List<EventsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < SOCKETS_PER_PRINCIPAL; i++) {
                open.add(EventsClient.open(t, session, roomToken).subscribed());
            }
            EventsClient oneTooMany = EventsClient.open(t, session, roomToken);
            open.add(oneTooMany);
            EventsClient.Closed closed = oneTooMany.awaitClose();
            assertThat(closed.code()).isEqualTo(4429);
            assertThat(closed.reason()).contains("already has " + SOCKETS_PER_PRINCIPAL);
            open.add(EventsClient.open(t, session, t.joinToken(session, ROOMS.get(1))).subscribed());
            open.add(EventsClient.open(t, session, host).subscribed());
            assertThat(metric("reception_limit_refusals_total", "event-sockets-per-principal")).isEqualTo(before + 1);

            open.remove(0).close();
            waitUntil(() -> {
                try (EventsClient again = EventsClient.open(t, session, roomToken)) {
                    var first = again.messages.poll(10, TimeUnit.SECONDS);
                    return first != null && "subscribed".equals(first.path("type").asText());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "a socket of the room is accepted again once one closed");
        } finally {
            open.forEach(EventsClient::close);
        }
    }

    /**
     * A client that subscribes and then stops reading (its receive window shrunk to a few KB) while
     * a busy session produces events: its queue of unwritten events stays within the bound, the
     * server closes it (1008) and drops the connection, and a subscriber that reads gets every event.
     */
    @Test
    void aSubscriberThatStopsReadingIsClosedAndItsQueueStaysBoundedWhileAReaderGetsEveryEvent() throws Exception {
        long session = t.scheduleOnlineSession("Người nghe chậm", HOST_ROOM, ROOMS);
        double before = metric("reception_limit_refusals_total", "event-queue-full");
        int events = 5000;
        try (EventsClient reader = EventsClient.open(t, session, t.adminToken()).subscribed();
             java.net.Socket stalled = new java.net.Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.31"), 0));
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", t.server.httpPort()), 5000);
            stalled.setSoTimeout(10_000);
            WebSocketFrames.handshake(stalled, "/api/v1/sessions/" + session + "/events");
            WebSocketFrames.sendText(stalled, "{\"token\":\"" + host + "\"}");
            WebSocketFrames.readUntil(stalled, "subscribed");
            // from here on the stalled client reads nothing

            // a long annotation (2 KB): 5,000 of them are 10 MB, more than the kernel's socket buffers absorb
            Map<String, Object> annotation = Map.of("petitionId", 1, "author", "thuky", "text", "Ghi chú dài. ".repeat(160));
            // Published in bursts the reader takes in before the next: a reader that falls a whole queue
            // behind is (rightly) closed too, and on loaded cores a tight loop of 5,000 would outrun it.
            // The stalled client never reads, so its backlog still grows past every buffer and the bound.
            double highestUnwritten = 0;
            int received = 0;
            for (int i = 0; i < events; i++) {
                t.server.services().domain().events().publish(
                        org.citizenreception.control.events.LiveEvent.staffOnly(session, "petition.annotated", annotation));
                if (i % 500 == 0) {
                    highestUnwritten = Math.max(highestUnwritten, gauge("reception_api_events_unwritten"));
                }
                if ((i + 1) % (QUEUED_EVENTS / 2) == 0) {
                    while (received < i + 1) {
                        var message = reader.next();
                        if ("petition.annotated".equals(message.path("type").asText())) {
                            received++;
                        }
                    }
                }
            }
            highestUnwritten = Math.max(highestUnwritten, gauge("reception_api_events_unwritten"));

            boolean cutOff = WebSocketFrames.drainUntilClosed(stalled, Duration.ofSeconds(20));
            System.out.printf("slow subscriber: highest unwritten %.0f (bound %d per socket); cut off: %s%n",
                    highestUnwritten, QUEUED_EVENTS, cutOff);
            assertThat(received).as("events the reading subscriber got").isEqualTo(events);
            assertThat(cutOff).as("the server dropped the connection of the client that stopped reading").isTrue();
            assertThat(highestUnwritten).as("events waiting, all sockets").isLessThanOrEqualTo(2 * QUEUED_EVENTS);
            assertThat(metric("reception_limit_refusals_total", "event-queue-full")).isEqualTo(before + 1);
        }
    }

    private static double gauge(String name) {
        for (String line : t.get("/metrics", null).body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " on /metrics");
    }

    private static RawHttp.Reply post(String address, long session, String token) {
        return RawHttp.request(address, t.server.httpPort(), "POST", "/whep/" + session, token, "application/sdp",
                viewerOffer());
    }

    /** A real WebRTC viewer offer's shape (media-client's builder); it never connects, the answer to it is what counts. */
    private static String viewerOffer() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder fingerprint = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fingerprint.append(i == 0 ? "" : ":").append(String.format("%02X", r.nextInt(256)));
        }
        return new SdpOfferBuilder().ice("u" + r.nextInt(1_000_000), "p" + Long.toHexString(r.nextLong()) + "0123456789abcdef")
                .fingerprint(fingerprint.toString()).candidate("127.0.0.1", 40000 + r.nextInt(20000)).recvOnly().build();
    }

    private static boolean roomConnectedNow(long session, String room) {
        for (var line : t.get("/api/v1/sessions/" + session + "/attendance", host).json().get("rooms")) {
            if (room.equals(line.get("roomCode").asText())) {
                return line.get("connectedNow").asBoolean();
            }
        }
        return false;
    }

    /** The value of a Prometheus sample on /metrics whose labels contain {@code label}. */
    static double metric(String name, String label) {
        return metric(t, name, label);
    }

    static double metric(TestServer server, String name, String label) {
        String text = server.get("/metrics", null).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("\"" + label + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " sample with " + label + " on /metrics");
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
