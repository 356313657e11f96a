package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.config.ConfigProblem;
import org.citizenreception.control.config.TurnRestSecret;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TURN credentials handed to WHIP/WHEP clients are their own and short-lived (TURN REST style), so a
 * credential copied out of a browser stops working by itself and names whose it was.
 */
class TurnCredentialsTest {
    static final TurnRestSecret SECRET = new TurnRestSecret("north-secret", Duration.ofMinutes(240));

    /** The value coturn computes: {@code printf '1767225600:chutri' | openssl dgst -sha1 -hmac north-secret -binary | base64}. */
    @Test
    void theCredentialIsTheHmacSha1OfExpiryAndUserAsCoturnComputesIt() {
        TurnCredentials.Credential c = TurnCredentials.mint(SECRET, "chutri", Instant.ofEpochSecond(1767225600L - 240 * 60));
        assertThat(c.username()).isEqualTo("1767225600:chutri");
        assertThat(c.credential()).isEqualTo("NNMmsBu/Jecn32CY/mEM46FmeWE=");
        assertThat(c.toString()).doesNotContain(c.credential());
        assertThat(SECRET.toString()).doesNotContain("north-secret");
    }

    @Test
    void eachWhipAndWhepClientGetsItsOwnExpiringCredentialInTheLinkHeader(@TempDir Path dir) {
        try (TestServer t = TestServer.start(dir, "--media.ice-servers=stun:stun.example.vn:3478,turn:turn.example.vn:3478?transport=udp",
                "--media.turn-secret=north-secret", "--media.turn-credential-lifetime-minutes=90")) {
            t.createUser("host.turn", Role.HOST, null);
            String host = t.token("host.turn", TestServer.passwordOf("host.turn"));
            Instant start = t.clock.instant().plus(Duration.ofMinutes(10));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("title", "TURN REST");
            body.put("scheduledStart", start.toString());
            body.put("scheduledEnd", start.plus(Duration.ofHours(1)).toString());
            body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
            body.put("hostRoomCode", "QN-VP");
            body.put("invitation", Map.of("type", "LIST", "rooms", List.of("QN25-BAI-CHAY")));
            body.put("mode", "ONLINE");
            body.put("recording", false);
            long session = t.json("POST", "/api/v1/sessions", t.adminToken(), body).json().get("id").asLong();

            long expiry = t.clock.instant().plus(Duration.ofMinutes(90)).getEpochSecond();
            for (String prefix : List.of("/whip/", "/whep/")) {
                TestServer.Response r = t.send("POST", prefix + session, host, "application/sdp", offer(prefix.equals("/whip/")));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                List<String> links = r.headers().allValues("Link");
                assertThat(links).hasSize(2);
                assertThat(links.get(0)).isEqualTo("<stun:stun.example.vn:3478>; rel=\"ice-server\"");
                Matcher m = Pattern.compile("<turn:turn.example.vn:3478\\?transport=udp>; rel=\"ice-server\"; username=\"([^\"]+)\"; "
                        + "credential=\"([^\"]+)\"; credential-type=\"password\"").matcher(links.get(1));
                assertThat(m.matches()).as(links.get(1)).isTrue();
                assertThat(m.group(1)).isEqualTo(expiry + ":host.turn");
                assertThat(m.group(2)).isEqualTo(TurnCredentials.mint(new TurnRestSecret("north-secret", Duration.ofMinutes(90)),
                        "host.turn", t.clock.instant()).credential());
                assertThat(links.get(1)).doesNotContain("north-secret");
            }
        }
    }

    @Test
    void aSecretAndALongTermCredentialTogetherAreAConfigurationError(@TempDir Path dir) {
        assertThatThrownBy(() -> TestServer.start(dir, "--media.ice-servers=turn:turn.example.vn:3478",
                "--media.turn-secret=north-secret", "--media.turn-username=reception", "--media.turn-credential=pw"))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("media.turn-secret").hasMessageNotContaining("north-secret");
    }

    private static String offer(boolean publisher) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder fingerprint = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fingerprint.append(i == 0 ? "" : ":").append(String.format("%02X", r.nextInt(256)));
        }
        SdpOfferBuilder b = new SdpOfferBuilder().ice("u" + r.nextInt(1_000_000), "p" + Long.toHexString(r.nextLong()) + "0123456789abcdef")
                .fingerprint(fingerprint.toString()).candidate("127.0.0.1", 40000 + r.nextInt(20000));
        return (publisher ? b.sendOnly(r.nextInt() & 0x7fffffffL, r.nextInt() & 0x7fffffffL, r.nextInt() & 0x7fffffffL, "test")
                : b.recvOnly()).build();
    }
}
