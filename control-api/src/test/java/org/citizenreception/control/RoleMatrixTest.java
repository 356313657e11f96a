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
                row("GET /api/v1/auth/me", x -> "/api/v1/auth/me", signedIn()),

                row("GET /api/v1/users", x -> "/api/v1/users", only(ADMIN)),
                row("POST /api/v1/users", x -> "/api/v1/users", x -> "{\"username\":\"" + x.unique("new.user")
                        + "\",\"role\":\"SECRETARY\",\"password\":\"long-enough-password\"}", only(ADMIN)),
                row("GET /api/v1/users/{id}", x -> "/api/v1/users/1", only(ADMIN)),
                row("PATCH /api/v1/users/{id}", x -> "/api/v1/users/" + freshUser(x),
                        x -> "{\"displayName\":\"Renamed\"}", only(ADMIN)),
                row("DELETE /api/v1/users/{id}", x -> "/api/v1/users/" + freshUser(x), only(ADMIN)),

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
                row("GET /api/v1/audit/verify", x -> "/api/v1/audit/verify", only(ADMIN)));
    }

    /** Sessions, attendance, petitions, floor, live events: rows go here. */
    static List<Row> domainRows() {
        return List.of();
    }

    static List<Row> allRows() {
        List<Row> rows = new ArrayList<>(foundationRows());
        rows.addAll(domainRows());
        return rows;
    }

    @Test
    void everyEndpointAnswersEveryCallerAsTheTableSays() {
        assertThat(RoleMatrix.check(f, allRows())).isEmpty();
    }

    @Test
    void everyRegisteredRouteHasARow() {
        Set<String> registered = t.server.routes().stream().map(r -> r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = allRows().stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).containsExactlyElementsOf(registered);
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
