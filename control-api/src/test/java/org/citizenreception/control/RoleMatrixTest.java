package org.citizenreception.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.everyone;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;
import static org.citizenreception.control.testing.RoleMatrix.signedIn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.citizenreception.control.testing.RoleMatrix;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint × every caller → 2xx / 401 / 403, and every registered route has a row. Add the
 * rows of new routes to {@link #domainRows()} (or a list of your own area, concatenated in
 * {@link #allRows()}).
 */
class RoleMatrixTest {
    static final String ROOM_A = "QN25-BAI-CHAY";
    static final String ROOM_B = "QN25-MONG-CAI-1";

    @TempDir
    static Path dir;
    static TestServer t;
    static Fixture f;

    @BeforeAll
    static void start() {
        // Every caller of the reply and petition rows gets a fresh message from room A of one live
        // session: many more than a room may send at once; the limit has its own test (RoomMessageApiTest).
        t = TestServer.start(dir, "--limits.room-messages-per-minute=100000", "--limits.room-message-burst=100000");
        f = new Fixture(t, ROOM_A, ROOM_B);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static List<Row> foundationRows() {
        return List.of(
                row("GET /health", x -> "/health", everyone()),
                row("GET /metrics", x -> "/metrics", everyone()),
                row("GET /api/v1/openapi.json", x -> "/api/v1/openapi.json", everyone()),
                row("POST /api/v1/auth/login", x -> "/api/v1/auth/login",
                        x -> "{\"username\":\"admin\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}", everyone()),
                new Row("POST /api/v1/auth/logout", x -> "/api/v1/auth/logout", null, null, true, signedIn()),
                row("GET /api/v1/auth/me", x -> "/api/v1/auth/me",
                        RoleMatrix.with(signedIn(), RoleMatrix.Expect.FORBIDDEN, RoleMatrix.JOIN_TOKENS)),
                // A wrong current password on purpose (422): the shared tokens of the fixture must survive the row.
                row("POST /api/v1/auth/password", x -> "/api/v1/auth/password",
                        x -> "{\"currentPassword\":\"not-the-current-one\",\"newPassword\":\"a-new-long-password\"}",
                        RoleMatrix.with(pastAccessWhenSignedIn(), RoleMatrix.Expect.FORBIDDEN, RoleMatrix.JOIN_TOKENS)),

                row("GET /api/v1/users", x -> "/api/v1/users", only(ADMIN)),
                row("POST /api/v1/users", x -> "/api/v1/users", x -> "{\"username\":\"" + x.unique("new.user")
                        + "\",\"role\":\"SECRETARY\",\"password\":\"long-enough-password\"}", only(ADMIN)),
                row("GET /api/v1/users/{id}", x -> "/api/v1/users/1", only(ADMIN)),
                row("PATCH /api/v1/users/{id}", x -> "/api/v1/users/" + freshUser(x),
                        x -> "{\"displayName\":\"Renamed\"}", only(ADMIN)),
                row("DELETE /api/v1/users/{id}", x -> "/api/v1/users/" + freshUser(x), only(ADMIN)),
                row("DELETE /api/v1/users/{id}/sessions", x -> "/api/v1/users/" + freshUser(x) + "/sessions", only(ADMIN)),

                row("GET /api/v1/rooms", x -> "/api/v1/rooms?view=tree", signedIn()),
                row("POST /api/v1/rooms", x -> "/api/v1/rooms", x -> "{\"code\":\"" + x.unique("MATRIX")
                        + "\",\"name\":\"Phòng thử\",\"level\":\"WARD\",\"parentCode\":\"QN-VP\"}", only(ADMIN)),
                new Row("POST /api/v1/rooms/import", x -> "/api/v1/rooms/import", "text/csv",
                        x -> TestServer.readConfigFile("rooms-2025.csv"), false, only(ADMIN)),
                row("GET /api/v1/rooms/{code}", x -> "/api/v1/rooms/" + x.roomA, signedIn()),
                row("PATCH /api/v1/rooms/{code}", x -> "/api/v1/rooms/" + x.roomA,
                        x -> "{\"name\":\"Phường Bãi Cháy\"}", only(ADMIN)),
                row("DELETE /api/v1/rooms/{code}", x -> "/api/v1/rooms/" + freshRoom(x), only(ADMIN)),

                row("GET /api/v1/audit", x -> "/api/v1/audit?limit=5", only(ADMIN)),
                row("GET /api/v1/audit/verify", x -> "/api/v1/audit/verify", only(ADMIN)),
                row("GET /api/v1/audit/export", x -> "/api/v1/audit/export", only(ADMIN)),
                row("GET /api/v1/audit/checkpoints", x -> "/api/v1/audit/checkpoints", only(ADMIN)));
    }

    /** Sessions, attendance, petitions, floor, live events: rows go here. */
    static List<Row> domainRows() {
        return DomainRoleMatrix.rows();
    }

    static List<Row> allRows() {
        List<Row> rows = new ArrayList<>(foundationRows());
        rows.addAll(domainRows());
        rows.addAll(org.citizenreception.control.media.WhipWhepRoleRows.rows());
        rows.addAll(org.citizenreception.control.media.StageRoleRows.rows());
        rows.addAll(org.citizenreception.control.recording.RecordingRoleRows.rows());
        rows.addAll(org.citizenreception.control.message.RoomMessageRoleRows.rows());
        rows.addAll(org.citizenreception.control.session.ScheduleRoleRows.rows());
        rows.addAll(org.citizenreception.control.report.ReportRoleRows.rows());
        rows.addAll(org.citizenreception.control.bridge.BridgeRoleRows.rows());
        return rows;
    }

    private static Map<RoleMatrix.Caller, RoleMatrix.Expect> pastAccessWhenSignedIn() {
        Map<RoleMatrix.Caller, RoleMatrix.Expect> m = new java.util.EnumMap<>(signedIn());
        m.replaceAll((caller, expect) -> expect == RoleMatrix.Expect.OK ? RoleMatrix.Expect.PAST_ACCESS : expect);
        return m;
    }

    @Test
    void everyEndpointAnswersEveryCallerAsTheTableSays() {
        assertThat(RoleMatrix.check(f, allRows())).isEmpty();
    }

    /** WebSocket endpoints are checked by {@link #everyWebSocketRouteAnswersEveryCallerAsTheTableSays} (they need a WebSocket client). */
    @Test
    void everyRegisteredRouteHasARow() {
        Set<String> registered = t.server.routes().stream().filter(r -> !r.websocket()).map(r -> r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = allRows().stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).as("routes of the role matrix (add missing ones to domainRows())")
                .containsExactlyElementsOf(registered);
    }

    /**
     * The deny side of every documented operation, derived from its {@code x-roles}: without a token
     * 401, with a role it does not list 403, whatever the path parameters and body (access is checked
     * before anything else is read). Covers new routes the moment they are documented.
     */
    @Test
    void everyDocumentedOperationRefusesCallersItsRolesDoNotList() {
        Map<RoleMatrix.Caller, Role> roleOf = Map.of(RoleMatrix.Caller.ADMIN, Role.ADMIN, RoleMatrix.Caller.HOST, Role.HOST,
                RoleMatrix.Caller.SECRETARY, Role.SECRETARY, RoleMatrix.Caller.OPERATOR_OWN_ROOM, Role.ROOM_OPERATOR);
        Set<String> websockets = t.server.routes().stream().filter(r -> r.websocket()).map(r -> r.path())
                .collect(Collectors.toSet());
        List<String> mismatches = new ArrayList<>();
        JsonNode paths = t.get("/api/v1/openapi.json", null).json().get("paths");
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            if (websockets.contains(path.getKey())) {
                continue;
            }
            String concrete = path.getKey().replace("{code}", ROOM_A).replace("{room}", ROOM_A).replaceAll("\\{[^}]+}", "1");
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    continue;
                }
                Set<String> roles = new TreeSet<>();
                op.getValue().path("x-roles").forEach(r -> roles.add(r.asText()));
                if (roles.contains("public")) {
                    continue;
                }
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                boolean withBody = Set.of("POST", "PUT", "PATCH").contains(method);
                Map<RoleMatrix.Caller, Integer> expected = new java.util.LinkedHashMap<>();
                expected.put(RoleMatrix.Caller.ANONYMOUS, 401);
                roleOf.forEach((caller, role) -> {
                    if (!roles.contains(role.name())) {
                        expected.put(caller, 403);
                    }
                });
                expected.forEach((caller, status) -> {
                    TestServer.Response r = t.send(method, concrete, f.token(caller, false),
                            withBody ? "application/json" : null, withBody ? "{}" : null);
                    if (r.status() != status) {
                        mismatches.add(method + " " + path.getKey() + " as " + caller + ": expected " + status
                                + ", got " + r.status());
                    }
                });
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /**
     * The events WebSocket in the same matrix: its expectations come from its line in the routes
     * table (the roles it lists; the other callers derived from its scope exactly as for the HTTP
     * rows), and the outcome is the socket's: the subscribed greeting, or a close with 4401 (no,
     * unknown or expired token) or 4403 (not for this session). Then what only a socket has: a room
     * not invited to the session, and a join token revoked while connected.
     */
    @Test
    void everyWebSocketRouteAnswersEveryCallerAsTheTableSays() throws InterruptedException {
        List<org.citizenreception.control.http.AccessRule> sockets = RoutesTable.RULES.stream()
                .filter(org.citizenreception.control.http.AccessRule::websocket).toList();
        assertThat(sockets).extracting(org.citizenreception.control.http.AccessRule::path).as("every WebSocket route has its rule")
                .containsExactlyInAnyOrderElementsOf(t.server.routes().stream().filter(r -> r.websocket()).map(r -> r.path()).toList());
        List<String> mismatches = new ArrayList<>();
        for (org.citizenreception.control.http.AccessRule rule : sockets) {
            Map<RoleMatrix.Caller, RoleMatrix.Expect> byRole = new java.util.EnumMap<>(RoleMatrix.Caller.class);
            byRole.put(RoleMatrix.Caller.ANONYMOUS, RoleMatrix.Expect.UNAUTHORIZED);
            Map.of(RoleMatrix.Caller.ADMIN, Role.ADMIN, RoleMatrix.Caller.HOST, Role.HOST, RoleMatrix.Caller.SECRETARY, Role.SECRETARY,
                    RoleMatrix.Caller.OPERATOR_OWN_ROOM, Role.ROOM_OPERATOR, RoleMatrix.Caller.OPERATOR_OTHER_ROOM, Role.ROOM_OPERATOR)
                    .forEach((caller, role) -> byRole.put(caller, rule.roles().contains(role) ? RoleMatrix.Expect.OK : RoleMatrix.Expect.FORBIDDEN));
            Row row = new Row(rule.route(), x -> rule.path().replace("{id}", String.valueOf(x.liveSession())), null, null, false, byRole);
            for (RoleMatrix.Caller caller : RoleMatrix.Caller.values()) {
                RoleMatrix.Expect expected = byRole.containsKey(caller) ? byRole.get(caller) : RoleMatrix.derived(row, caller);
                // No token at all would wait out the 10 s sign-in timeout: an empty one is refused the same way at once.
                String token = caller == RoleMatrix.Caller.ANONYMOUS ? "" : f.token(caller, false);
                try (org.citizenreception.control.testing.EventsClient socket = openSocket(row.path().apply(f), token)) {
                    RoleMatrix.Expect got = outcome(socket);
                    if (got != expected) {
                        mismatches.add(rule.route() + " as " + caller + ": expected " + expected + ", got " + got);
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();

        long uninvitingB = t.scheduleOnlineSession("Phiên không mời phòng B", "QN-VP", List.of(ROOM_A));
        try (var uninvited = openSocket("/api/v1/sessions/" + uninvitingB + "/events", f.token(RoleMatrix.Caller.OPERATOR_OTHER_ROOM, false))) {
            assertThat(outcome(uninvited)).as("a room not invited").isEqualTo(RoleMatrix.Expect.FORBIDDEN);
        }
        long live = f.liveSession();
        try (var revoked = openSocket("/api/v1/sessions/" + live + "/events", f.token(RoleMatrix.Caller.ROOM_TOKEN_OWN, false))) {
            assertThat(outcome(revoked)).isEqualTo(RoleMatrix.Expect.OK);
            assertThat(t.send("DELETE", "/api/v1/sessions/" + live + "/rooms/" + ROOM_A + "/join-token", t.adminToken(), null,
                    (byte[]) null).status()).isEqualTo(200);
            var closed = revoked.awaitClose();
            assertThat(closed.code()).as("a join token revoked while connected").isEqualTo(4401);
            // Closed by the revocation itself (its reason), not by the expiry sweep that would also catch a
            // dead token later. How fast is EventsRevocationTest's question: a bound here only adds a chance failure on a loaded machine.
            assertThat(closed.reason()).isEqualTo("join token revoked");
        }
    }

    private static org.citizenreception.control.testing.EventsClient openSocket(String path, String token) {
        return org.citizenreception.control.testing.EventsClient.openUri(
                java.net.URI.create("ws://127.0.0.1:" + t.server.httpPort() + path), token);
    }

    /** OK on the subscribed greeting, UNAUTHORIZED on a 4401 close, FORBIDDEN on 4403; null on anything else. */
    private static RoleMatrix.Expect outcome(org.citizenreception.control.testing.EventsClient socket) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode first = socket.messages.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (first != null) {
                return "subscribed".equals(first.path("type").asText()) ? RoleMatrix.Expect.OK : null;
            }
            var closed = socket.closed.peek();
            if (closed != null) {
                return closed.code() == 4401 ? RoleMatrix.Expect.UNAUTHORIZED : closed.code() == 4403 ? RoleMatrix.Expect.FORBIDDEN : null;
            }
        }
        return null;
    }

    private static long freshUser(Fixture x) {
        return x.server.createUser(x.unique("target"), Role.HOST, null);
    }

    private static String freshRoom(Fixture x) {
        String code = x.unique("LEAF");
        TestServer.Response r = x.server.json("POST", "/api/v1/rooms", x.server.adminToken(),
                "{\"code\":\"" + code + "\",\"name\":\"Phòng tạm\",\"level\":\"WARD\",\"parentCode\":\"QN-VP\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return code;
    }
}
