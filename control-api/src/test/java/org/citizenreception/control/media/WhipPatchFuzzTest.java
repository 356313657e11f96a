package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * WHIP/WHEP PATCH bodies (RFC 9725 §4.3: trickle ICE and ICE restart fragments) sent by a signed-in
 * host to its own endpoint on the real server and bridge. Contract: every fragment is answered
 * 204 (trickle), 200 with the bridge's new credentials (restart) or 400 as problem+json — never a
 * 500.
 */
class WhipPatchFuzzTest {
    private static final String FRAGMENT = "application/trickle-ice-sdpfrag";
    private static Path dir;
    private static TestServer server;
    private static String host;
    private static long session;
    private static String location;

    @BeforeAll
    static void startServerWithOneEndpoint() throws Exception {
        dir = Files.createTempDirectory("whip-patch-fuzz");
        server = TestServer.start(dir);
        server.createUser("host.fuzz", Role.HOST, null);
        host = server.token("host.fuzz", TestServer.passwordOf("host.fuzz"));
        session = server.scheduleOnlineSession("Fuzz", "QN-VP", List.of("QN25-BAI-CHAY"));
        location = openEndpoint();
    }

    /**
     * A WHEP endpoint whose client never runs ICE: the bridge closes it after its connect timeout,
     * so a long fuzzing run opens the next one when PATCH says it has gone.
     */
    private static String openEndpoint() {
        String offer = new SdpOfferBuilder().ice("fuzzufrag", "fuzzpassword0123456789abcdef")
                .fingerprint(String.join(":", Collections.nCopies(32, "AB")))
                .candidate("127.0.0.1", 40_000).recvOnly().build();
        TestServer.Response created = server.send("POST", "/whep/" + session, host, "application/sdp", offer);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.headers().firstValue("Location").orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fragmentsAreTrickleRestartOrA400(byte[] fragment) {
        TestServer.Response r = patch(fragment);
        if (r.status() == 404) {
            location = openEndpoint();
            r = patch(fragment);
        }

        assertThat(r.status()).as(r.body()).isIn(200, 204, 400);
        if (r.status() == 400) {
            assertThat(r.contentType()).startsWith("application/problem+json");
            return;
        }
        assertThat(r.headers().firstValue("ETag")).as("the answer names the current ICE session").isPresent();
        if (r.status() == 200) {
            assertThat(r.contentType()).startsWith(FRAGMENT);
            assertThat(SessionMedia.iceUfrag(r.body())).isPresent();
            assertThat(r.body()).contains("a=ice-pwd:");
        }
    }

    private static TestServer.Response patch(byte[] fragment) {
        return server.send("PATCH", location, host, FRAGMENT, fragment, Map.of("If-Match", "*"));
    }
}
