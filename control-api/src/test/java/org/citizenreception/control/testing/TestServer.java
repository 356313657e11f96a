package org.citizenreception.control.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.ReceptionServer;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.identity.Role;

/**
 * A real server for one test class: its own SQLite file under a temp folder, HTTP and media on free
 * ports, a hand-moved clock, and an HTTP client speaking to it. Nothing of ours is mocked.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final MutableClock clock;
    public final ReceptionServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String adminToken;
    private Instant adminTokenExpiresAt;

    private TestServer(MutableClock clock, ReceptionServer server) {
        this.clock = clock;
        this.server = server;
    }

    /**
     * Every test client shares 127.0.0.1 and many post offers and sign in at once: the limits per
     * address and on concurrent password checks are raised, except where a test sets its own
     * (the limit tests, with {@code extraArgs}, which come later and win).
     */
    public static final List<String> TESTS_FROM_ONE_ADDRESS = List.of("--limits.media-posts-per-minute-per-address=100000",
            "--limits.media-posts-per-minute-per-session=100000", "--limits.concurrent-password-checks=64");

    /**
     * Starts with the current directory (rooms-2025.csv, 55 rooms) unless {@code extraArgs} names
     * another {@code --rooms.directory}: the test clock is in 2026, when the 2024 units no longer exist.
     */
    public static TestServer start(Path dir, String... extraArgs) {
        return startOn(Instant.parse("2026-03-02T01:00:00Z"), dir, extraArgs);
    }

    /**
     * Starts with the test clock at {@code now}: a test about the 2024 directory (its 191 rooms)
     * runs while that directory was in force, before 1 July 2025.
     */
    public static TestServer startOn(Instant now, Path dir, String... extraArgs) {
        // ICE-TCP off: tests here fake line faults on UDP alone (relays, nftables), which a client would
        // otherwise route around over TCP; a test of TCP passes --media.tcp-port itself
        List<String> args = new ArrayList<>(List.of("--http.host=127.0.0.1", "--http.port=0", "--media.port=0",
                "--media.tcp-port=0", "--media.bind-host=127.0.0.1", "--media.advertised-addresses=127.0.0.1",
                "--data.dir=" + dir.resolve("data"), "--rooms.directory=" + configFile("rooms-2025.csv"),
                "--holidays.file=" + configFile("holidays-vn.csv")));
        args.addAll(TESTS_FROM_ONE_ADDRESS);
        args.addAll(TestStore.serverArguments(dir.resolve("data")));
        args.addAll(List.of(extraArgs));
        ReceptionConfig config = ReceptionConfig.load(args.toArray(String[]::new), Map.of());
        MutableClock clock = new MutableClock(now);
        return new TestServer(clock, ReceptionServer.start(config, ADMIN_PASSWORD, clock));
    }

    /** A file of the repository's config/ folder, found from the module folder Maven runs tests in. */
    public static Path configFile(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("config/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    public static String readConfigFile(String name) {
        try {
            return Files.readString(configFile(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }

    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    public Response send(String method, String path, String token, String contentType, byte[] body) {
        return send(method, path, token, contentType, body, Map.of());
    }

    /** @param headers further request headers, e.g. {@code If-Match} */
    public Response send(String method, String path, String token, String contentType, String body, Map<String, String> headers) {
        return send(method, path, token, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public Response send(String method, String path, String token, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response send(String method, String path, String token, String contentType, String body) {
        return send(method, path, token, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, (byte[]) null);
    }

    /** Sends {@code body} (a Map, record or JSON string) as application/json. */
    public Response json(String method, String path, String token, Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return send(method, path, token, "application/json", text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response login(String username, String password) {
        return json("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password));
    }

    public String token(String username, String password) {
        Response r = login(username, password);
        if (r.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.body());
        }
        return r.json().get("token").asText();
    }

    /** The bootstrap admin's token, signed in again once the test clock has moved past its expiry. */
    /** An online session starting in 10 minutes, hosted in {@code hostRoom}, inviting {@code rooms}; returns its id. */
    public long scheduleOnlineSession(String title, String hostRoom, List<String> rooms) {
        Instant start = clock.instant().plus(Duration.ofMinutes(10));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("title", title);
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", hostRoom);
        body.put("invitation", Map.of("type", "LIST", "rooms", rooms));
        body.put("mode", "ONLINE");
        body.put("recording", false);
        Response created = json("POST", "/api/v1/sessions", adminToken(), body);
        if (created.status() != 201) {
            throw new AssertionError("scheduling failed: " + created.status() + " " + created.body());
        }
        return created.json().get("id").asLong();
    }

    /** A join token for {@code room} in {@code session}, issued by the admin. */
    public String joinToken(long session, String room) {
        Response issued = json("POST", "/api/v1/sessions/" + session + "/rooms/" + room + "/join-token", adminToken(), Map.of());
        if (issued.status() != 201) {
            throw new AssertionError("join token refused: " + issued.status() + " " + issued.body());
        }
        return issued.json().get("token").asText();
    }

    public synchronized String adminToken() {
        if (adminToken == null || !clock.instant().isBefore(adminTokenExpiresAt.minusSeconds(60))) {
            Response r = login("admin", ADMIN_PASSWORD);
            if (r.status() != 200) {
                throw new AssertionError("admin login failed: " + r.status() + " " + r.body());
            }
            adminToken = r.json().get("token").asText();
            adminTokenExpiresAt = Instant.parse(r.json().get("expiresAt").asText());
        }
        return adminToken;
    }

    /** The password {@link #createUser} gives every account. */
    public static String passwordOf(String username) {
        return username + "-secret-pw";
    }

    /** Creates an account through the API; returns its id. */
    public long createUser(String username, Role role, String roomCode) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("username", username);
        body.put("displayName", "Test " + username);
        body.put("role", role.name());
        if (roomCode != null) {
            body.put("roomCode", roomCode);
        }
        body.put("password", passwordOf(username));
        Response r = json("POST", "/api/v1/users", adminToken(), body);
        if (r.status() != 201) {
            throw new AssertionError("creating " + username + " failed: " + r.status() + " " + r.body());
        }
        return r.json().get("id").asLong();
    }

    /** Counts rows of a table through a plain connection (to prove a failed request changed nothing). */
    public long count(String table) {
        try (var c = server.database().unpooledConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
