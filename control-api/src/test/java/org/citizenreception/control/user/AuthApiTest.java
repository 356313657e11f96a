package org.citizenreception.control.user;

import org.citizenreception.control.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthApiTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void loginReturnsATokenItsExpiryAndTheAccount() {
        TestServer.Response r = t.login("admin", TestServer.ADMIN_PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("token").asText()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(r.json().get("expiresAt").asText()).isEqualTo(t.clock.instant().plus(Duration.ofMinutes(720)).toString());
        assertThat(r.json().get("user").get("role").asText()).isEqualTo("ADMIN");
        assertThat(r.json().get("user").has("passwordHash")).isFalse();
        assertThat(r.body()).doesNotContain("argon2");

        TestServer.Response me = t.get("/api/v1/auth/me", r.json().get("token").asText());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("admin");
    }

    @Test
    void theTokenIsStoredOnlyAsItsHash() throws Exception {
        String token = t.token("admin", TestServer.ADMIN_PASSWORD);
        try (var c = t.server.database().unpooledConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT token_hash FROM auth_tokens")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isNotEqualTo(token).hasSize(64);
            }
        }
    }

    @Test
    void aWrongPasswordAnUnknownUserAndADisabledAccountGetTheSame401() {
        t.createUser("disabled.one", Role.HOST, null);
        long id = t.json("GET", "/api/v1/users", t.adminToken(), null).status() == 200 ? idOf("disabled.one") : -1;
        assertThat(t.json("PATCH", "/api/v1/users/" + id, t.adminToken(), Map.of("disabled", true)).status()).isEqualTo(200);

        TestServer.Response wrong = t.login("admin", "not-the-password");
        TestServer.Response unknown = t.login("nobody-here", "whatever-password");
        TestServer.Response disabled = t.login("disabled.one", TestServer.passwordOf("disabled.one"));
        for (TestServer.Response r : new TestServer.Response[] {wrong, unknown, disabled}) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).isEqualTo(wrong.json().get("detail").asText());
        }
    }

    @Test
    void aTokenExpiresAfterItsLifetime() {
        t.createUser("expiring", Role.SECRETARY, null);
        String token = t.token("expiring", TestServer.passwordOf("expiring"));
        assertThat(t.get("/api/v1/auth/me", token).status()).isEqualTo(200);
        t.clock.advance(Duration.ofMinutes(719));
        assertThat(t.get("/api/v1/auth/me", token).status()).isEqualTo(200);
        t.clock.advance(Duration.ofMinutes(2));
        TestServer.Response expired = t.get("/api/v1/auth/me", token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.contentType()).startsWith("application/problem+json");
    }

    @Test
    void logoutRevokesTheTokenAndOnlyThatToken() {
        t.createUser("leaving", Role.HOST, null);
        String first = t.token("leaving", TestServer.passwordOf("leaving"));
        String second = t.token("leaving", TestServer.passwordOf("leaving"));
        assertThat(t.send("POST", "/api/v1/auth/logout", first, null, (byte[]) null).status()).isEqualTo(204);
        assertThat(t.get("/api/v1/auth/me", first).status()).isEqualTo(401);
        assertThat(t.get("/api/v1/auth/me", second).status()).isEqualTo(200);
        assertThat(t.send("POST", "/api/v1/auth/logout", first, null, (byte[]) null).status()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresAreSlowedDownWithRetryAfterAndASuccessLaterClearsThem() {
        t.createUser("guessed", Role.HOST, null);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(t.login("guessed", "wrong-" + i).status()).isEqualTo(401);
        }
        TestServer.Response blocked = t.login("guessed", TestServer.passwordOf("guessed"));
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(blocked.contentType()).startsWith("application/problem+json");

        t.clock.advance(Duration.ofSeconds(1));
        assertThat(t.login("guessed", "wrong-again").status()).isEqualTo(401);
        TestServer.Response doubled = t.login("guessed", TestServer.passwordOf("guessed"));
        assertThat(doubled.status()).isEqualTo(429);
        assertThat(doubled.headers().firstValue("Retry-After")).hasValue("2");

        t.clock.advance(Duration.ofSeconds(2));
        assertThat(t.login("guessed", TestServer.passwordOf("guessed")).status()).isEqualTo(200);
        assertThat(t.login("guessed", "wrong-after-success").status()).isEqualTo(401);
        assertThat(t.login("guessed", TestServer.passwordOf("guessed")).status()).isEqualTo(200);
    }

    /**
     * Twelve wrong passwords at once against an allowance of five: exactly five are checked (five
     * failures audited, five 401), the other seven are refused before any check with 429 and
     * Retry-After — the attempt is reserved before the password hash runs, not counted after it.
     */
    @Test
    void aBurstOfConcurrentGuessesGetsExactlyTheAllowanceChecked() throws Exception {
        long id = t.createUser("burst.target", Role.SECRETARY, null);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<TestServer.Response>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return t.login("burst.target", "wrong-password-" + n);
                }));
            }
            go.countDown();
            int unauthorized = 0;
            int throttled = 0;
            for (var r : results) {
                TestServer.Response response = r.get();
                if (response.status() == 401) {
                    unauthorized++;
                } else {
                    assertThat(response.status()).as(response.body()).isEqualTo(429);
                    assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
                    throttled++;
                }
            }
            assertThat(unauthorized).isEqualTo(LoginThrottle.FREE_FAILURES);
            assertThat(throttled).isEqualTo(12 - LoginThrottle.FREE_FAILURES);
            assertThat(t.get("/api/v1/audit?action=auth.login-failed&entityId=" + id, t.adminToken()).json().get("entries"))
                    .as("password checks").hasSize(LoginThrottle.FREE_FAILURES);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aUserChangesTheirOwnPasswordWithTheCurrentOneAndTheirOtherSignInsEnd() {
        long id = t.createUser("self.service", Role.SECRETARY, null);
        String old = TestServer.passwordOf("self.service");
        String here = t.token("self.service", old);
        String elsewhere = t.token("self.service", old);

        TestServer.Response wrong = t.json("POST", "/api/v1/auth/password", here,
                Map.of("currentPassword", "not-my-password", "newPassword", "mới-mật-khẩu-2026"));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.json().get("errors").get(0).get("field").asText()).isEqualTo("currentPassword");
        TestServer.Response shortOne = t.json("POST", "/api/v1/auth/password", here,
                Map.of("currentPassword", old, "newPassword", "elevenchars"));
        assertThat(shortOne.status()).isEqualTo(422);
        assertThat(shortOne.json().get("errors").get(0).get("field").asText()).isEqualTo("newPassword");
        assertThat(t.login("self.service", old).status()).as("nothing changed yet").isEqualTo(200);

        assertThat(t.json("POST", "/api/v1/auth/password", here,
                Map.of("currentPassword", old, "newPassword", "mới-mật-khẩu-2026")).status()).isEqualTo(204);
        assertThat(t.login("self.service", old).status()).isEqualTo(401);
        assertThat(t.login("self.service", "mới-mật-khẩu-2026").status()).isEqualTo(200);
        assertThat(t.get("/api/v1/auth/me", here).status()).as("this sign-in stays").isEqualTo(200);
        assertThat(t.get("/api/v1/auth/me", elsewhere).status()).as("the others end").isEqualTo(401);
        assertThat(t.get("/api/v1/audit?entityType=user&entityId=" + id + "&action=auth.password-change", t.adminToken())
                .json().get("entries")).hasSize(1);
        assertThat(t.get("/api/v1/audit?entityType=user&entityId=" + id + "&action=auth.password-change-failed", t.adminToken())
                .json().get("entries")).hasSize(1);
        assertThat(t.json("POST", "/api/v1/auth/password", null,
                Map.of("currentPassword", old, "newPassword", "another-long-password")).status()).isEqualTo(401);
    }

    @Test
    void passwordsHaveAtLeastTwelveCharacters() {
        TestServer.Response eleven = t.json("POST", "/api/v1/users", t.adminToken(), Map.of("username", "short.pw",
                "role", "SECRETARY", "password", "elevenchars"));
        assertThat(eleven.status()).isEqualTo(422);
        assertThat(eleven.json().get("errors").get(0).get("field").asText()).isEqualTo("password");
        assertThat(t.json("POST", "/api/v1/users", t.adminToken(), Map.of("username", "short.pw",
                "role", "SECRETARY", "password", "twelve-chars")).status()).isEqualTo(201);
    }

    private static long idOf(String username) {
        for (var u : t.get("/api/v1/users", t.adminToken()).json()) {
            if (u.get("username").asText().equals(username)) {
                return u.get("id").asLong();
            }
        }
        throw new AssertionError(username);
    }
}
