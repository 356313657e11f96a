package org.citizenreception.control;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.citizenreception.control.http.AccessRule;
import org.citizenreception.control.testing.RoleMatrix.Caller;
import org.citizenreception.control.testing.RoleMatrix.Expect;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit-completeness matrix of issue 11: every route that changes state writes its audit entry,
 * checked by action name, actor and object against the real log (REST on a real server and SQLite
 * file). The rows are the routes table's non-GET routes — one without a row here fails
 * {@link #everyStateChangingRouteOfTheRoutesTableHasARow} — plus what changes nothing but must still
 * be on record: a failed sign-in, reveals of a denouncer (the petition and its versions), an
 * unmasked export, a refused reveal. Requests are the role matrix's own rows, sent by the first
 * caller the row admits.
 */
class AuditCompletenessTest {
    @TempDir
    static Path dir;
    static TestServer t;
    static Fixture f;

    /** Where the entry's object id comes from. */
    enum Target { PATH, CREATED, NONE }

    /** What a route must write: the action, the entity type, and how its id follows from the request. */
    record Audited(String action, String entityType, Target object) {
    }

    static final Map<String, Audited> STATE_CHANGING = Map.ofEntries(
            entry("POST /api/v1/auth/login", new Audited("auth.login", "user", Target.NONE)),
            entry("POST /api/v1/auth/logout", new Audited("auth.logout", "user", Target.NONE)),
            // The role matrix row sends a wrong current password (so the fixture's tokens survive).
            entry("POST /api/v1/auth/password", new Audited("auth.password-change-failed", "user", Target.NONE)),

            entry("POST /api/v1/users", new Audited("user.create", "user", Target.CREATED)),
            entry("PATCH /api/v1/users/{id}", new Audited("user.update", "user", Target.PATH)),
            entry("DELETE /api/v1/users/{id}", new Audited("user.delete", "user", Target.PATH)),
            entry("DELETE /api/v1/users/{id}/sessions", new Audited("user.sessions_end", "user", Target.PATH)),

            entry("POST /api/v1/rooms", new Audited("room.create", "room", Target.NONE)),
            entry("POST /api/v1/rooms/import", new Audited("room.import", "room-directory", Target.NONE)),
            entry("PATCH /api/v1/rooms/{code}", new Audited("room.update", "room", Target.PATH)),
            entry("DELETE /api/v1/rooms/{code}", new Audited("room.retire", "room", Target.PATH)),

            entry("POST /api/v1/sessions", new Audited("session.create", "session", Target.CREATED)),
            entry("PATCH /api/v1/sessions/{id}", new Audited("session.update", "session", Target.PATH)),
            entry("POST /api/v1/sessions/{id}/state", new Audited("session.state", "session", Target.PATH)),
            entry("POST /api/v1/sessions/{id}/rooms/{room}/join-token", new Audited("session.join_token.issue", "session", Target.PATH)),
            entry("DELETE /api/v1/sessions/{id}/rooms/{room}/join-token", new Audited("session.join_token.revoke", "session", Target.PATH)),
            entry("POST /api/v1/sessions/{id}/join-tokens", new Audited("session.join_token.issue_all", "session", Target.PATH)),

            entry("POST /api/v1/session-schedules", new Audited("schedule.create", "schedule", Target.NONE)),
            entry("POST /api/v1/session-schedules/{id}/generate", new Audited("schedule.generate", "schedule", Target.PATH)),

            entry("POST /api/v1/sessions/{id}/floor", new Audited("floor.grant", "session", Target.PATH)),
            entry("DELETE /api/v1/sessions/{id}/floor", new Audited("floor.revoke", "session", Target.PATH)),
            entry("POST /api/v1/sessions/{id}/hands", new Audited("floor.hand.raise", "session", Target.PATH)),
            entry("DELETE /api/v1/sessions/{id}/hands/{room}", new Audited("floor.hand.lower", "session", Target.PATH)),

            entry("POST /api/v1/sessions/{id}/rooms/{room}/officials", new Audited("attendance.official.add", "session", Target.PATH)),
            entry("DELETE /api/v1/sessions/{id}/rooms/{room}/officials/{official}",
                    new Audited("attendance.official.remove", "session", Target.PATH)),
            entry("PUT /api/v1/sessions/{id}/rooms/{room}/citizens", new Audited("attendance.citizens", "session", Target.PATH)),
            entry("PUT /api/v1/sessions/{id}/rooms/{room}/layer", new Audited("media.layer_pin", "session", Target.PATH)),

            entry("POST /api/v1/sessions/{id}/petitions", new Audited("petition.create", "petition", Target.CREATED)),
            entry("PATCH /api/v1/petitions/{id}", new Audited("petition.update", "petition", Target.PATH)),
            entry("POST /api/v1/petitions/{id}/annotations", new Audited("petition.annotate", "petition", Target.PATH)),
            entry("POST /api/v1/petitions/{id}/status", new Audited("petition.status", "petition", Target.PATH)),
            entry("POST /api/v1/petitions/{id}/split", new Audited("petition.split", "petition", Target.PATH)),
            entry("POST /api/v1/petitions/{id}/extensions", new Audited("petition.extend", "petition", Target.PATH)),

            entry("POST /api/v1/recordings/{recording}/playback", new Audited("recording.playback", "recording", Target.PATH)),
            entry("DELETE /api/v1/recordings/{recording}", new Audited("recording.dispose", "recording", Target.PATH)),

            entry("POST /whip/{session}", new Audited("media.publish", "session", Target.PATH)),
            entry("POST /whip/{session}/content", new Audited("media.share", "session", Target.PATH)),
            entry("PUT /api/v1/sessions/{id}/stage/layout", new Audited("stage.layout", "session", Target.PATH)),
            entry("DELETE /api/v1/sessions/{id}/stage/content", new Audited("stage.content.stop", "session", Target.PATH)),
            entry("DELETE /whip/{session}/{endpoint}", new Audited("media.leave", "session", Target.PATH)),
            // The role matrix row sends an ICE restart; a trickle PATCH (204) changes nothing: the
            // ICE-lite bridge does not use trickled candidates.
            entry("PATCH /whip/{session}/{endpoint}", new Audited("media.ice_restart", "session", Target.PATH)),
            entry("POST /whep/{session}", new Audited("media.watch", "session", Target.PATH)),
            entry("DELETE /whep/{session}/{endpoint}", new Audited("media.leave", "session", Target.PATH)),
            entry("PATCH /whep/{session}/{endpoint}", new Audited("media.ice_restart", "session", Target.PATH)),

            entry("POST /api/v1/petitions/{id}/steps", new Audited("petition.step", "petition", Target.PATH)),
            entry("POST /api/v1/petitions/{id}/links", new Audited("petition.link", "petition", Target.PATH)),
            // A search changes nothing but is on record: it looks a citizen up by ID number (the number is not logged).
            entry("POST /api/v1/petitions/case-history", new Audited("petition.case_history_search", "petition", Target.NONE)),
            entry("POST /api/v1/agencies", new Audited("agency.created", "agency", Target.CREATED)),
            entry("PATCH /api/v1/agencies/{id}", new Audited("agency.updated", "agency", Target.PATH)),
            entry("POST /api/v1/leaders", new Audited("leader.create", "leader", Target.CREATED)),
            entry("PATCH /api/v1/leaders/{id}", new Audited("leader.update", "leader", Target.PATH)),
            // The entries name the message; the path's first placeholder is the session.
            entry("POST /api/v1/sessions/{id}/rooms/{room}/messages", new Audited("room-message.send", "room-message", Target.CREATED)),
            entry("POST /api/v1/sessions/{id}/messages/{message}/replies", new Audited("room-message.reply", "room-message", Target.NONE)),
            entry("POST /api/v1/sessions/{id}/messages/{message}/petition", new Audited("room-message.petition", "room-message", Target.NONE)),
            // A registration (not each heartbeat) is audited, by the system: the bridge is no user.
            entry("PUT /api/v1/bridges/{id}", new Audited("bridge.register", "bridge", Target.PATH)),
            entry("POST /api/v1/bridges/{id}/drain", new Audited("bridge.drain", "bridge", Target.PATH)));

    /**
     * Rows that need a registered bridge (a server with media.bridges = remote and a bridge's signed
     * token): BridgeApiTest sends them and checks the same entries ({@link #STATE_CHANGING}).
     */
    static final Set<String> DRIVEN_BY_BRIDGE_TESTS = Set.of("PUT /api/v1/bridges/{id}", "POST /api/v1/bridges/{id}/drain");

    /** Non-GET routes that change nothing and reveal nothing, so they write no entry: a POST only because the body is large. */
    static final Set<String> CHANGES_NOTHING = Set.of("POST /api/v1/session-schedules/preview",
            // A bridge's media events: what they change is attendance, which records them itself (the
            // log would otherwise take a stats event per endpoint every few seconds).
            "POST /api/v1/bridges/{id}/events");

    /** Who sends a row: the first of these the row admits (hosts and secretaries do the day's work). */
    static final List<Caller> PREFERRED = List.of(Caller.HOST, Caller.SECRETARY, Caller.ADMIN, Caller.OPERATOR_OWN_ROOM);

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        f = new Fixture(t, RoleMatrixTest.ROOM_A, RoleMatrixTest.ROOM_B);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void everyStateChangingRouteOfTheRoutesTableHasARow() {
        Set<String> changing = RoutesTable.RULES.stream().filter(r -> !r.method().equals("GET")).map(AccessRule::route)
                .collect(Collectors.toCollection(TreeSet::new));
        changing.removeAll(CHANGES_NOTHING);
        assertThat(new TreeSet<>(STATE_CHANGING.keySet()))
                .as("a non-GET route needs its row here: the audit action it writes")
                .containsExactlyElementsOf(changing);
    }

    @Test
    void everyStateChangingRouteWritesItsEntry() {
        // In the role matrix's order, which is the order of a day's work (the floor granted before it is revoked).
        Map<String, Row> rows = RoleMatrixTest.allRows().stream().filter(r -> STATE_CHANGING.containsKey(r.route()))
                .filter(r -> !DRIVEN_BY_BRIDGE_TESTS.contains(r.route()))
                .collect(Collectors.toMap(Row::route, r -> r, (a, b) -> a, LinkedHashMap::new));
        List<String> missing = new ArrayList<>();
        STATE_CHANGING.keySet().stream().filter(route -> !rows.containsKey(route) && !DRIVEN_BY_BRIDGE_TESTS.contains(route))
                .forEach(route -> missing.add(route + ": no role matrix row to drive it"));
        for (Row row : rows.values()) {
            Map.Entry<String, Audited> route = Map.entry(row.route(), STATE_CHANGING.get(row.route()));
            Caller caller = PREFERRED.stream().filter(c -> row.expected().get(c) == Expect.OK).findFirst()
                    .or(() -> PREFERRED.stream().filter(c -> row.expected().get(c) == Expect.PAST_ACCESS).findFirst())
                    .orElseThrow(() -> new AssertionError(route.getKey() + " admits none of " + PREFERRED));
            // The body first: some rows name in it the target their path then creates.
            String body = row.body() == null ? null : row.body().apply(f);
            String path = row.path().apply(f);
            long before = lastSeq();
            TestServer.Response r = t.send(row.method(), path, f.token(caller, row.freshToken()), row.contentType(), body, row.headers());
            if (r.status() >= 400 && row.expected().get(caller) == Expect.OK) {
                missing.add(route.getKey() + " as " + caller + ": the request failed, " + r.status() + " " + r.body());
                continue;
            }
            String actor = route.getKey().equals("POST /api/v1/auth/login") ? "admin" : f.username(caller);
            Optional<String> object = switch (route.getValue().object()) {
                case PATH -> Optional.of(firstPathValue(row.template(), path));
                case CREATED -> Optional.of(r.json().get("id").asText());
                case NONE -> Optional.empty();
            };
            check(route.getKey(), route.getValue(), before, actor, object).ifPresent(missing::add);
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void aFailedSignInIsOnRecord() {
        long before = lastSeq();
        TestServer.Response r = t.json("POST", "/api/v1/auth/login", null,
                Map.of("username", f.username(Caller.SECRETARY), "password", "not-the-password-at-all"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(check("failed sign-in", new Audited("auth.login-failed", "user", Target.NONE), before,
                f.username(Caller.SECRETARY), Optional.empty())).isEmpty();
    }

    @Test
    void revealingADenouncerAndExportingUnmaskedAreOnRecord() {
        long petition = denunciation();
        String host = f.token(Caller.HOST, false);
        Audited reveal = new Audited("petition.reveal_identity", "petition", Target.PATH);
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("the petition", "/api/v1/petitions/" + petition + "?reveal=true");
        requests.put("its versions", "/api/v1/petitions/" + petition + "/versions?reveal=true");
        for (Map.Entry<String, String> request : requests.entrySet()) {
            long before = lastSeq();
            TestServer.Response r = t.get(request.getValue(), host);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(check("reveal of " + request.getKey(), reveal, before, f.username(Caller.HOST), Optional.of(String.valueOf(petition))))
                    .isEmpty();
        }
        long before = lastSeq();
        assertThat(t.get("/api/v1/petitions.csv?unmasked=true", host).status()).isEqualTo(200);
        assertThat(check("unmasked export", new Audited("petition.export_unmasked", "petition", Target.NONE), before,
                f.username(Caller.HOST), Optional.empty())).isEmpty();
    }

    /**
     * A reveal refused by role (a room operator) or by scope (a secretary of another unit, refused
     * inside the reveal's transaction, which rolls back) is audited like a granted one: it is what
     * an attempt to unmask a denouncer looks like (LTC Art. 9).
     */
    @Test
    void aRefusedRevealIsOnRecordWhetherRefusedForRoleOrForScope() {
        long petition = denunciation();
        Audited denied = new Audited("access.denied", "petition", Target.PATH);
        for (Caller caller : List.of(Caller.OPERATOR_OWN_ROOM, Caller.SECRETARY_OTHER_UNIT)) {
            for (String path : List.of("/api/v1/petitions/" + petition + "?reveal=true", "/api/v1/petitions/" + petition + "/versions?reveal=true")) {
                long before = lastSeq();
                TestServer.Response r = t.get(path, f.token(caller, false));
                assertThat(r.status()).as(caller + " " + path).isEqualTo(403);
                String username = caller == Caller.SECRETARY_OTHER_UNIT ? "matrix.secretary.district" : f.username(caller);
                assertThat(check(caller + " " + path, denied, before, username, Optional.of(String.valueOf(petition)))).isEmpty();
            }
        }
    }

    /** A denunciation raised in room A in the fixture's live session, registered by its host. */
    private static long denunciation() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "DENUNCIATION");
        p.put("originRoomCode", f.roomA);
        p.put("summary", "Cán bộ nhận tiền");
        p.put("petitioners", List.of(Map.of("name", "Phạm Văn Tố", "idNumber", "022087001234", "address", "Hạ Long")));
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + f.liveSession() + "/petitions", f.token(Caller.HOST, false), p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    /** The newest entry's sequence number, read through the API. */
    private static long lastSeq() {
        JsonNode entries = t.get("/api/v1/audit?limit=1", t.adminToken()).json().get("entries");
        return entries.isEmpty() ? 0 : entries.get(0).get("seq").asLong();
    }

    /** Empty when an entry after {@code before} has the action, entity, actor and object; else what is wrong. */
    private static Optional<String> check(String what, Audited expected, long before, String actor, Optional<String> object) {
        TestServer.Response page = t.get("/api/v1/audit?limit=200&action=" + expected.action(), t.adminToken());
        List<String> seen = new ArrayList<>();
        for (JsonNode e : page.json().get("entries")) {
            if (e.get("seq").asLong() <= before) {
                break;
            }
            String found = e.path("entityType").asText() + "/" + e.path("entityId").asText() + " by " + e.path("actorUsername").asText();
            seen.add(found);
            if (e.path("entityType").asText().equals(expected.entityType()) && e.path("actorUsername").asText().equals(actor)
                    && object.map(id -> id.equals(e.path("entityId").asText())).orElse(true)) {
                return Optional.empty();
            }
        }
        return Optional.of(what + ": no " + expected.action() + " entry on " + expected.entityType() + object.map(id -> "/" + id).orElse("")
                + " by " + actor + (seen.isEmpty() ? "" : " (found " + seen + ")"));
    }

    /** The value in {@code path} at the template's first placeholder (the object the route acts on). */
    private static String firstPathValue(String template, String path) {
        String[] names = template.split("/");
        String[] values = path.split("\\?")[0].split("/");
        for (int i = 0; i < names.length; i++) {
            if (names[i].startsWith("{")) {
                return values[i];
            }
        }
        throw new AssertionError(template + " has no placeholder");
    }
}
