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
import org.citizenreception.control.user.Role;
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
    static final String ROOM_A = "QN24-HLG-BAI-CHAY";
    static final String ROOM_B = "QN24-MCA-TRA-CO";

    @TempDir
    static Path dir;
    static TestServer t;
    static Fixture f;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
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
                        + "\",\"name\":\"Phòng thử\",\"level\":\"WARD\",\"parentCode\":\"QN24-HLG\"}", only(ADMIN)),
                new Row("POST /api/v1/rooms/import", x -> "/api/v1/rooms/import", "text/csv",
                        x -> TestServer.readConfigFile("rooms-2024.csv"), false, only(ADMIN)),
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
        rows.addAll(org.citizenreception.control.recording.RecordingRoleRows.rows());
        rows.addAll(org.citizenreception.control.message.RoomMessageRoleRows.rows());
        rows.addAll(org.citizenreception.control.session.ScheduleRoleRows.rows());
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

    /** WebSocket endpoints are checked by their own tests (they need a WebSocket client). */
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

    private static long freshUser(Fixture x) {
        return x.server.createUser(x.unique("target"), Role.HOST, null);
    }

    private static String freshRoom(Fixture x) {
        String code = x.unique("LEAF");
        TestServer.Response r = x.server.json("POST", "/api/v1/rooms", x.server.adminToken(),
                "{\"code\":\"" + code + "\",\"name\":\"Phòng tạm\",\"level\":\"WARD\",\"parentCode\":\"QN24-HLG\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return code;
    }
}
