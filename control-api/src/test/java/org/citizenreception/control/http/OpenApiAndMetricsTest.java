package org.citizenreception.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiAndMetricsTest {
    static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

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

    /**
     * HTTP operations are documented under their method; a WebSocket endpoint under the key
     * {@code x-websocket} of its path item (OpenAPI has no WebSocket operation).
     */
    @Test
    void theOpenApiDocumentListsExactlyTheRegisteredRoutes() {
        TestServer.Response r = t.get("/api/v1/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String key = op.getKey();
                if (HTTP_METHODS.contains(key) || key.equals("x-websocket")) {
                    documented.add((key.equals("x-websocket") ? "WS" : key.toUpperCase(Locale.ROOT)) + " " + path.getKey());
                    assertThat(op.getValue().has("x-roles")).as(key + " " + path.getKey() + " states its roles").isTrue();
                }
            }
        }
        Set<String> registered = t.server.routes().stream().map(x -> (x.websocket() ? "WS" : x.method()) + " " + x.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).containsExactlyElementsOf(registered);
    }

    @Test
    void theRequestLogNamesMethodPathStatusAndCallerButNeverBodiesOrTokens() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("org.citizenreception.control.http.requests");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            String token = t.token("admin", TestServer.ADMIN_PASSWORD);
            t.get("/api/v1/auth/me?x=secret-query", token);
            String all = lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .collect(Collectors.joining("\n"));
            assertThat(all).contains("POST /api/v1/auth/login 200").contains("GET /api/v1/auth/me 200").contains("user=1");
            assertThat(all).doesNotContain(TestServer.ADMIN_PASSWORD).doesNotContain(token).doesNotContain("secret-query");
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(level);
        }
    }

    @Test
    void requestsAreTimedByRouteTemplateAndStatusNeverByRawPath() {
        t.get("/api/v1/users/1", t.adminToken());
        t.get("/api/v1/users/987654", t.adminToken());
        t.get("/api/v1/rooms/QN25-BAI-CHAY", null);
        String metrics = t.get("/metrics", null).body();
        assertThat(metrics).contains("reception_api_requests_seconds_count{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"200\"}");
        assertThat(metrics).contains("route=\"/api/v1/users/{id}\",status=\"404\"");
        assertThat(metrics).contains("route=\"/api/v1/rooms/{code}\",status=\"401\"");
        assertThat(metrics).doesNotContain("987654").doesNotContain("QN25-BAI-CHAY");
        assertThat(metrics).contains("hikaricp_connections_acquire_seconds_count{pool=\"" + (TestStore.postgresql() ? "postgresql" : "sqlite")
                + "-writer\"}");
        assertThat(metrics).contains("reception_api_db_write_wait_seconds_count");
        // Group commit: COMMITs (fsyncs) and the writes each made durable; the server has written (the admin).
        assertThat(metrics).contains("reception_api_db_commits_total").contains("reception_api_db_group_size_count")
                .contains("reception_api_db_group_size_sum");
        // The help texts are true of the store in use: one writer per instance on either, nothing says SQLite on PostgreSQL.
        assertThat(metrics).doesNotContain("single SQLite writer");
        if (TestStore.postgresql()) {
            // Instances on one database take turns on an advisory lock and relay live events (LISTEN/NOTIFY).
            assertThat(metrics).contains("reception_api_db_writer_lock_wait_seconds_count")
                    .contains("reception_api_events_relayed_total{direction=\"sent\"}").contains("reception_api_events_relay_reconnects_total");
        } else {
            assertThat(metrics).doesNotContain("reception_api_db_writer_lock_wait").doesNotContain("reception_api_events_relayed");
        }
    }
}
