package org.citizenreception.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityHeadersTest {
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
    void everyResponseCarriesTheCspAndFriendsAndApiAnswersAreNeverStored() {
        for (String path : List.of("/", "/js/app.js", "/css/app.css", "/api/v1/auth/me", "/api/v1/no-such-thing", "/health")) {
            TestServer.Response r = t.get(path, path.startsWith("/api/") ? t.adminToken() : null);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).as("no HSTS over plain HTTP without HTTPS").isEmpty();
        }
        assertThat(t.get("/api/v1/auth/me", t.adminToken()).headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(t.get("/api/v1/users", t.adminToken()).headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(t.get("/api/v1/users", null).headers().firstValue("Cache-Control")).as("a refusal too").contains("no-store");
        assertThat(t.login("admin", TestServer.ADMIN_PASSWORD).headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY).contains("frame-ancestors 'none'").doesNotContain("unsafe");
    }
}
