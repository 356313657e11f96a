package org.citizenreception.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.Caller.OPERATOR_OWN_ROOM;
import static org.citizenreception.control.testing.RoleMatrix.Caller.SECRETARY;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;
import static org.citizenreception.control.testing.RoleMatrix.signedIn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.RoleMatrix.Caller;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;
import org.citizenreception.control.testing.TestServer;

/**
 * The role matrix rows of sessions, schedules, floor, attendance and petitions. The shared session
 * invites the office and both fixture rooms and is live; a petition of room A is the target of
 * reads; state-changing rows get a fresh target per call so every caller meets the same state.
 */
final class DomainRoleMatrix {
    /** Shared targets per fixture (one server per test class); plain get/put because creating one may need another. */
    private static final Map<Fixture, Map<String, Long>> shared = new java.util.IdentityHashMap<>();

    private DomainRoleMatrix() {
    }

    static List<Row> rows() {
        return List.of(
                row("POST /api/v1/sessions", x -> "/api/v1/sessions", DomainRoleMatrix::sessionBody, only(ADMIN, HOST)),
                row("GET /api/v1/sessions", x -> "/api/v1/sessions", signedIn()),
                row("GET /api/v1/sessions/{id}", x -> "/api/v1/sessions/" + live(x), signedIn()),
                row("PATCH /api/v1/sessions/{id}", x -> "/api/v1/sessions/" + freshSession(x), x -> "{\"title\":\"Đổi tên\",\"version\":1}",
                        only(ADMIN, HOST)),
                row("POST /api/v1/sessions/{id}/state", x -> "/api/v1/sessions/" + freshSession(x) + "/state", x -> "{\"state\":\"POSTPONED\"}",
                        only(ADMIN, HOST)),
                row("GET /api/v1/sessions/{id}/rooms", x -> "/api/v1/sessions/" + live(x) + "/rooms", signedIn()),
                row("POST /api/v1/sessions/{id}/join-tokens", x -> "/api/v1/sessions/" + live(x) + "/join-tokens", x -> "{}",
                        only(ADMIN, HOST)),
                row("POST /api/v1/sessions/{id}/rooms/{room}/join-token", x -> "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA + "/join-token",
                        x -> "{}", org.citizenreception.control.testing.RoleMatrix.with(only(ADMIN, HOST, OPERATOR_OWN_ROOM),
                                org.citizenreception.control.testing.RoleMatrix.Expect.FORBIDDEN,
                                org.citizenreception.control.testing.RoleMatrix.JOIN_TOKENS)),
                row("DELETE /api/v1/sessions/{id}/rooms/{room}/join-token", x -> "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA
                        + "/join-token", only(ADMIN, HOST)),

                row("POST /api/v1/session-schedules", x -> "/api/v1/session-schedules", x -> scheduleBody(), only(ADMIN, HOST)),
                row("GET /api/v1/session-schedules", x -> "/api/v1/session-schedules", only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/session-schedules/{id}/generate", x -> "/api/v1/session-schedules/" + schedule(x) + "/generate", x -> "{}",
                        only(ADMIN, HOST)),

                row("GET /api/v1/sessions/{id}/floor", x -> "/api/v1/sessions/" + live(x) + "/floor", signedIn()),
                row("POST /api/v1/sessions/{id}/floor", x -> "/api/v1/sessions/" + live(x) + "/floor",
                        x -> "{\"roomCode\":\"" + x.roomA + "\"}", only(HOST)),
                row("DELETE /api/v1/sessions/{id}/floor", x -> "/api/v1/sessions/" + live(x) + "/floor", only(HOST)),
                row("POST /api/v1/sessions/{id}/hands", x -> "/api/v1/sessions/" + live(x) + "/hands",
                        x -> "{\"roomCode\":\"" + x.roomA + "\"}", only(ADMIN, HOST, OPERATOR_OWN_ROOM)),
                row("DELETE /api/v1/sessions/{id}/hands/{room}", x -> "/api/v1/sessions/" + live(x) + "/hands/" + x.roomA,
                        only(ADMIN, HOST, OPERATOR_OWN_ROOM)),

                row("GET /api/v1/sessions/{id}/attendance", x -> "/api/v1/sessions/" + live(x) + "/attendance", only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/sessions/{id}/attendance.csv", x -> "/api/v1/sessions/" + live(x) + "/attendance.csv",
                        only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/sessions/{id}/rooms/{room}/officials", x -> "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA + "/officials",
                        x -> "{\"name\":\"Vũ Văn Dũng\",\"title\":\"Phó Chủ tịch\"}", only(ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM)),
                row("DELETE /api/v1/sessions/{id}/rooms/{room}/officials/{official}", x -> "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA
                        + "/officials/" + freshOfficial(x), only(ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM)),
                row("PUT /api/v1/sessions/{id}/rooms/{room}/citizens", x -> "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA + "/citizens",
                        x -> "{\"citizens\":7}", only(ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM)),
                row("PUT /api/v1/sessions/{id}/rooms/{room}/layer", x -> "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA + "/layer",
                        x -> "{\"layer\":\"low\"}", only(HOST, OPERATOR_OWN_ROOM)),

                row("POST /api/v1/sessions/{id}/petitions", x -> "/api/v1/sessions/" + live(x) + "/petitions",
                        x -> petitionBody(x, "COMPLAINT", false), only(HOST, SECRETARY)),
                row("GET /api/v1/sessions/{id}/petitions", x -> "/api/v1/sessions/" + live(x) + "/petitions", signedIn()),
                row("GET /api/v1/petitions", x -> "/api/v1/petitions", signedIn()),
                row("GET /api/v1/petitions.csv", x -> "/api/v1/petitions.csv", only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/petitions/{id}", x -> "/api/v1/petitions/" + petitionOfRoomA(x), only(ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM)),
                row("PATCH /api/v1/petitions/{id}", x -> "/api/v1/petitions/" + freshPetition(x, false),
                        x -> "{\"summary\":\"Sửa\",\"version\":1}", only(HOST, SECRETARY)),
                row("GET /api/v1/petitions/{id}/versions", x -> "/api/v1/petitions/" + petitionOfRoomA(x) + "/versions",
                        only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/petitions/{id}/annotations", x -> "/api/v1/petitions/" + petitionOfRoomA(x) + "/annotations",
                        only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/petitions/{id}/annotations", x -> "/api/v1/petitions/" + freshPetition(x, false) + "/annotations",
                        x -> "{\"text\":\"Ghi chú\",\"version\":1}", only(HOST, SECRETARY)),
                row("POST /api/v1/petitions/{id}/status", x -> "/api/v1/petitions/" + freshPetition(x, false) + "/status",
                        x -> "{\"status\":\"ACCEPTED\",\"version\":1}", only(HOST, SECRETARY)),
                row("POST /api/v1/petitions/{id}/split", x -> "/api/v1/petitions/" + freshPetition(x, false) + "/split",
                        x -> "{\"version\":1,\"parts\":[{\"kind\":\"COMPLAINT\"},{\"kind\":\"DENUNCIATION\"}]}", only(HOST, SECRETARY)),
                row("POST /api/v1/petitions/{id}/extensions", x -> "/api/v1/petitions/" + freshPetition(x, true) + "/extensions",
                        x -> "{\"days\":30,\"decisionReference\":\"9/QĐ-UBND\",\"version\":2}", only(HOST, SECRETARY)),
                row("GET /api/v1/petitions/{id}/steps", x -> "/api/v1/petitions/" + petitionOfRoomA(x) + "/steps",
                        only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/petitions/{id}/steps", x -> "/api/v1/petitions/" + freshPetition(x, true) + "/steps",
                        x -> "{\"step\":\"ASSIGNED\",\"unitCode\":\"QN-VP\",\"version\":2}", only(HOST, SECRETARY)),
                row("POST /api/v1/petitions/{id}/links", x -> "/api/v1/petitions/" + freshPetition(x, false) + "/links",
                        x -> "{\"linkedId\":" + petitionOfRoomA(x) + ",\"kind\":\"REPEAT\",\"version\":1}", only(HOST, SECRETARY)),
                row("POST /api/v1/petitions/case-history", x -> "/api/v1/petitions/case-history",
                        x -> "{\"idNumber\":\"001087012345\"}", only(HOST, SECRETARY)),
                row("GET /api/v1/agencies", x -> "/api/v1/agencies", only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/agencies", x -> "/api/v1/agencies", x -> "{\"name\":\"Sở Tư pháp " + System.nanoTime() + "\"}",
                        only(ADMIN)),
                row("PATCH /api/v1/agencies/{id}", x -> "/api/v1/agencies/" + freshAgency(x), x -> "{\"active\":false,\"version\":1}",
                        only(ADMIN)));
    }

    private static synchronized long cached(Fixture x, String key, java.util.function.LongSupplier create) {
        Long value = shared.computeIfAbsent(x, f -> new java.util.HashMap<>()).get(key);
        if (value == null) {
            value = create.getAsLong();
            shared.get(x).put(key, value);
        }
        return value;
    }

    private static String sessionBody(Fixture x) {
        Instant start = x.server.clock.instant().plus(Duration.ofDays(1));
        return "{\"title\":\"Phiên thử\",\"scheduledStart\":\"" + start + "\",\"scheduledEnd\":\"" + start.plus(Duration.ofHours(2))
                + "\",\"presidingOfficial\":\"Chủ tịch\",\"hostRoomCode\":\"QN-VP\",\"invitation\":{\"type\":\"LIST\",\"rooms\":[\""
                + x.roomA + "\",\"" + x.roomB + "\"]}}";
    }

    private static String scheduleBody() {
        return "{\"title\":\"Hằng tuần\",\"recurrence\":{\"type\":\"WEEKLY\",\"dayOfWeek\":\"THURSDAY\"},\"startTime\":\"08:00\","
                + "\"endTime\":\"10:00\",\"horizonDays\":7,\"presidingOfficial\":\"Chủ tịch\",\"hostRoomCode\":\"QN-VP\","
                + "\"invitation\":{\"type\":\"LIST\",\"rooms\":[\"QN-VP\"]}}";
    }

    private static String petitionBody(Fixture x, String kind, boolean complex) {
        return "{\"kind\":\"" + kind + "\",\"originRoomCode\":\"" + x.roomA + "\",\"complex\":" + complex
                + ",\"summary\":\"Nội dung\",\"petitioners\":[{\"name\":\"Đỗ Thị Em\",\"address\":\"Hạ Long\"}]}";
    }

    private static long freshSession(Fixture x) {
        TestServer.Response r = x.server.json("POST", "/api/v1/sessions", x.token(Caller.HOST, false), sessionBody(x));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static long live(Fixture x) {
        return x.liveSession();
    }

    private static long schedule(Fixture x) {
        return cached(x, "schedule", () -> {
            TestServer.Response r = x.server.json("POST", "/api/v1/session-schedules", x.token(Caller.HOST, false), scheduleBody());
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("schedule").get("id").asLong();
        });
    }

    private static long petitionOfRoomA(Fixture x) {
        return cached(x, "petition", () -> freshPetition(x, false));
    }

    /** A fresh petition of room A: a complaint at version 1, or an accepted complex denunciation at version 2. */
    private static long freshPetition(Fixture x, boolean acceptedComplexDenunciation) {
        String secretary = x.token(Caller.SECRETARY, false);
        TestServer.Response r = x.server.json("POST", "/api/v1/sessions/" + live(x) + "/petitions", secretary,
                petitionBody(x, acceptedComplexDenunciation ? "DENUNCIATION" : "COMPLAINT", acceptedComplexDenunciation));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        long id = r.json().get("id").asLong();
        if (acceptedComplexDenunciation) {
            assertThat(x.server.json("POST", "/api/v1/petitions/" + id + "/status", secretary, "{\"status\":\"ACCEPTED\",\"version\":1}")
                    .status()).isEqualTo(200);
        }
        return id;
    }

    private static long freshAgency(Fixture x) {
        TestServer.Response r = x.server.json("POST", "/api/v1/agencies", x.token(Caller.ADMIN, false),
                "{\"name\":\"Thanh tra tỉnh " + System.nanoTime() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static long freshOfficial(Fixture x) {
        TestServer.Response r = x.server.json("POST", "/api/v1/sessions/" + live(x) + "/rooms/" + x.roomA + "/officials",
                x.token(Caller.SECRETARY, false), "{\"name\":\"Tạm\",\"title\":\"Tạm\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }
}
