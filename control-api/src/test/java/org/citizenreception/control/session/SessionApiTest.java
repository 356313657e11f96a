package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.ReceptionDomain;
import org.citizenreception.control.floor.FloorListener;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions, schedules, join tokens, the floor and live events through HTTP and WebSocket. */
class SessionApiTest {
    static final String ROOM_A = "QN25-BAI-CHAY";
    static final String ROOM_B = "QN25-HONG-GAI";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestServer t;
    static String host;
    static String secretary;
    static String operatorA;
    static String operatorB;
    static final List<String> floorCalls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.s", Role.HOST, null);
        t.createUser("sec.s", Role.SECRETARY, null);
        t.createUser("op.sa", Role.ROOM_OPERATOR, ROOM_A);
        t.createUser("op.sb", Role.ROOM_OPERATOR, ROOM_B);
        host = t.token("host.s", TestServer.passwordOf("host.s"));
        secretary = t.token("sec.s", TestServer.passwordOf("sec.s"));
        operatorA = t.token("op.sa", TestServer.passwordOf("op.sa"));
        operatorB = t.token("op.sb", TestServer.passwordOf("op.sb"));
        t.server.services().domain().floor().addListener(new FloorListener() {
            @Override
            public void floorGranted(String sessionId, String roomCode) {
                floorCalls.add("grant " + sessionId + " " + roomCode);
            }

            @Override
            public void floorRevoked(String sessionId, String roomCode) {
                floorCalls.add("revoke " + sessionId + " " + roomCode);
            }
        });
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static long newSession(String... listed) {
        Instant start = t.clock.instant().plus(Duration.ofMinutes(30));
        Object invitation = listed.length == 0 ? Map.of("type", "SUBTREE", "root", "QN-VP") : Map.of("type", "LIST", "rooms", List.of(listed));
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", invitation));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        return s.json().get("id").asLong();
    }

    static TestServer.Response state(long id, String state, String token) {
        return t.json("POST", "/api/v1/sessions/" + id + "/state", token, Map.of("state", state));
    }

    @Test
    void aSessionIsPostponedRescheduledAndCancelledOnlyAlongTheStateMachine() {
        long id = newSession();
        assertThat(state(id, "POSTPONED", host).status()).isEqualTo(200);
        TestServer.Response live = state(id, "LIVE", host);
        assertThat(live.status()).isEqualTo(409);
        assertThat(live.json().get("detail").asText()).contains("[SCHEDULED, CANCELLED]");
        Instant later = t.clock.instant().plus(Duration.ofDays(7));
        JsonNode current = t.get("/api/v1/sessions/" + id, host).json();
        TestServer.Response moved = t.json("PATCH", "/api/v1/sessions/" + id, host, Map.of("scheduledStart", later.toString(),
                "scheduledEnd", later.plus(Duration.ofHours(1)).toString(), "version", current.get("version").asLong()));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        TestServer.Response stale = t.json("PATCH", "/api/v1/sessions/" + id, host, Map.of("title", "x", "version", current.get("version").asLong()));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(state(id, "SCHEDULED", host).status()).isEqualTo(200);
        assertThat(state(id, "CANCELLED", t.adminToken()).status()).isEqualTo(200);
        assertThat(state(id, "SCHEDULED", host).status()).isEqualTo(409);
        assertThat(t.json("PATCH", "/api/v1/sessions/" + id, host, Map.of("title", "y", "version", 99)).status()).isEqualTo(409);
        assertThat(state(id, "LIVE", secretary).status()).isEqualTo(403);
    }

    @Test
    void aRecurringScheduleGeneratesItsSessionsOnce() {
        Map<String, Object> body = Map.of("title", "Tiếp dân thứ Ba tuần thứ 2", "recurrence",
                Map.of("type", "MONTHLY_NTH_WEEKDAY", "ordinal", 2, "dayOfWeek", "TUESDAY"), "startTime", "08:00", "endTime", "11:00",
                "horizonDays", 62, "presidingOfficial", "Chủ tịch UBND tỉnh", "hostRoomCode", "QN-VP", "invitation", Map.of("type", "ALL"));
        TestServer.Response created = t.json("POST", "/api/v1/session-schedules", host, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // From Monday 2/3/2026, 62 days: 10/3 and 14/4.
        JsonNode generated = created.json().get("generated");
        assertThat(generated).hasSize(2);
        assertThat(generated.get(0).get("scheduledStart").asText()).isEqualTo("2026-03-10T01:00:00Z");
        assertThat(generated.get(1).get("occurrenceDate").asText()).isEqualTo("2026-04-14");
        long scheduleId = created.json().get("schedule").get("id").asLong();
        TestServer.Response again = t.json("POST", "/api/v1/session-schedules/" + scheduleId + "/generate", host, "{}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("generated")).isEmpty();
        TestServer.Response bad = t.json("POST", "/api/v1/session-schedules", host, Map.of("title", "x", "recurrence",
                Map.of("type", "MONTHLY_ON_DAY", "dayOfMonth", 40), "startTime", "08:00", "endTime", "07:00", "presidingOfficial", "p",
                "hostRoomCode", "QN-VP"));
        assertThat(bad.status()).isEqualTo(422);
    }

    @Test
    void aJoinTokenActsForItsRoomInItsSessionAndPublishesOnlyWithTheFloor() {
        long id = newSession(ROOM_A, ROOM_B);
        long other = newSession(ROOM_A);
        TestServer.Response issued = t.json("POST", "/api/v1/sessions/" + id + "/rooms/" + ROOM_A + "/join-token", operatorA, "{}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String token = issued.json().get("token").asText();
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/rooms/" + ROOM_B + "/join-token", operatorA, "{}").status()).isEqualTo(403);
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/rooms/" + ROOM_A + "/join-token", token, "{}").status()).isEqualTo(403);

        assertThat(t.get("/api/v1/sessions/" + id, token).status()).isEqualTo(200);
        assertThat(t.get("/api/v1/sessions/" + other, token).status()).isEqualTo(403);
        assertThat(t.get("/api/v1/petitions", token).status()).isEqualTo(403);

        ReceptionDomain domain = t.server.services().domain();
        String sid = String.valueOf(id);
        assertThat(domain.mayPublish(sid, "QN-VP")).isTrue();
        assertThat(domain.mayPublish(sid, ROOM_A)).isFalse();
        assertThat(state(id, "LIVE", host).status()).isEqualTo(200);

        TestServer.Response raiseForB = t.json("POST", "/api/v1/sessions/" + id + "/hands", token, Map.of("roomCode", ROOM_B));
        assertThat(raiseForB.status()).isEqualTo(403);
        TestServer.Response raised = t.send("POST", "/api/v1/sessions/" + id + "/hands", token, null, (byte[]) null);
        assertThat(raised.status()).as(raised.body()).isEqualTo(201);
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/hands", operatorB, "{}").status()).isEqualTo(201);
        JsonNode floor = t.get("/api/v1/sessions/" + id + "/floor", host).json();
        assertThat(floor.get("queue")).extracting(h -> h.get("roomCode").asText()).containsExactly(ROOM_A, ROOM_B);

        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/floor", operatorA, Map.of("roomCode", ROOM_A)).status()).isEqualTo(403);
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/floor", host, Map.of("roomCode", ROOM_A)).status()).isEqualTo(200);
        assertThat(domain.mayPublish(sid, ROOM_A)).isTrue();
        assertThat(domain.mayPublish(sid, ROOM_B)).isFalse();
        JsonNode toB = t.json("POST", "/api/v1/sessions/" + id + "/floor", host, Map.of("roomCode", ROOM_B)).json();
        assertThat(toB.get("floorRoomCode").asText()).isEqualTo(ROOM_B);
        assertThat(toB.get("queue")).isEmpty();
        assertThat(domain.mayPublish(sid, ROOM_A)).isFalse();
        assertThat(t.send("DELETE", "/api/v1/sessions/" + id + "/floor", host, null, (byte[]) null).status()).isEqualTo(200);
        assertThat(floorCalls).containsExactly("grant " + id + " " + ROOM_A, "revoke " + id + " " + ROOM_A,
                "grant " + id + " " + ROOM_B, "revoke " + id + " " + ROOM_B);

        assertThat(state(id, "ENDED", host).status()).isEqualTo(200);
        t.clock.advance(Duration.ofHours(3));
        assertThat(t.get("/api/v1/sessions/" + id, token).status()).isEqualTo(401);
    }

    @Test
    void liveEventsReachEachSubscriberInTheFormItsRoleMaySee() throws Exception {
        long id = newSession();
        assertThat(state(id, "LIVE", host).status()).isEqualTo(200);
        Listener staff = new Listener();
        Listener roomA = new Listener();
        Listener roomB = new Listener();
        Listener stranger = new Listener();
        HttpClient client = HttpClient.newHttpClient();
        String base = "ws://127.0.0.1:" + t.server.httpPort() + "/api/v1/sessions/" + id + "/events";
        WebSocket ws1 = client.newWebSocketBuilder().buildAsync(URI.create(base), staff).get(5, TimeUnit.SECONDS);
        ws1.sendText("{\"token\":\"" + secretary + "\"}", true);
        WebSocket ws2 = client.newWebSocketBuilder().buildAsync(URI.create(base), roomA).get(5, TimeUnit.SECONDS);
        ws2.sendText("{\"token\":\"" + operatorA + "\"}", true);
        WebSocket ws3 = client.newWebSocketBuilder().buildAsync(URI.create(base), roomB).get(5, TimeUnit.SECONDS);
        ws3.sendText("{\"token\":\"" + operatorB + "\"}", true);
        WebSocket ws4 = client.newWebSocketBuilder().buildAsync(URI.create(base + "?token=nonsense"), stranger).get(5, TimeUnit.SECONDS);
        for (Listener l : List.of(staff, roomA, roomB)) {
            assertThat(l.next().get("type").asText()).isEqualTo("subscribed");
        }
        assertThat(stranger.closed.poll(5, TimeUnit.SECONDS)).isEqualTo(4401);

        Map<String, Object> p = Map.of("kind", "COMPLAINT", "originRoomCode", ROOM_A, "summary", "Khiếu nại",
                "petitioners", List.of(Map.of("name", "Trần Thị Bình", "idNumber", "098765432101", "address", "Hạ Long")));
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/petitions", secretary, p).status()).isEqualTo(201);
        JsonNode full = staff.next();
        assertThat(full.get("type").asText()).isEqualTo("petition.registered");
        assertThat(full.get("data").get("petitioners").get(0).get("name").asText()).isEqualTo("Trần Thị Bình");
        JsonNode masked = roomA.next();
        assertThat(masked.get("data").get("petitioners")).as("a room sees no petitioner").isEmpty();
        assertThat(masked.toString()).doesNotContain("098765432101").doesNotContain("Trần").doesNotContain("Khiếu nại");

        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/hands", operatorB, "{}").status()).isEqualTo(201);
        assertThat(roomB.next().get("type").asText()).isEqualTo("hand.raised");
        assertThat(roomA.next().get("type").asText()).isEqualTo("hand.raised");
        assertThat(staff.next().get("type").asText()).isEqualTo("hand.raised");
        assertThat(roomB.messages).isEmpty();
        for (WebSocket ws : List.of(ws1, ws2, ws3)) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
        ws4.abort();
    }

    @Test
    void roomOperatorsRecordOfficialsAndCitizensForTheirOwnRoomOnly() {
        long id = newSession(ROOM_A, ROOM_B);
        String path = "/api/v1/sessions/" + id + "/rooms/";
        TestServer.Response added = t.json("POST", path + ROOM_A + "/officials", operatorA,
                Map.of("name", "Phạm Văn Cường", "title", "Chủ tịch UBND phường"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(t.json("POST", path + ROOM_B + "/officials", operatorA, Map.of("name", "x", "title", "y")).status()).isEqualTo(403);
        assertThat(t.json("PUT", path + ROOM_A + "/citizens", operatorA, Map.of("citizens", 12)).status()).isEqualTo(200);
        assertThat(t.json("PUT", path + ROOM_A + "/citizens", operatorA, Map.of("citizens", -1)).status()).isEqualTo(422);
        assertThat(t.json("PUT", path + ROOM_A + "/citizens", operatorA, "{\"citizens\":\"many\"}").status()).isEqualTo(400);
        long second = t.json("POST", path + ROOM_A + "/officials", operatorA, Map.of("name", "Nhầm", "title", "Nhầm")).json().get("id").asLong();
        assertThat(t.send("DELETE", path + ROOM_A + "/officials/" + second, operatorA, null, (byte[]) null).status()).isEqualTo(204);
        assertThat(t.get("/api/v1/sessions/" + id + "/attendance", operatorA).status()).isEqualTo(403);

        t.server.services().domain().sessions().mediaReportedLive(id);
        t.server.services().domain().sessions().mediaReportedLive(id);
        t.server.services().domain().attendance().roomConnected(String.valueOf(id), ROOM_A, "ep-1", t.clock.instant());
        JsonNode report = t.get("/api/v1/sessions/" + id + "/attendance", secretary).json();
        assertThat(report.get("state").asText()).isEqualTo("LIVE");
        JsonNode a = java.util.stream.StreamSupport.stream(report.get("rooms").spliterator(), false)
                .filter(n -> n.get("roomCode").asText().equals(ROOM_A)).findFirst().orElseThrow();
        assertThat(a.get("officials")).hasSize(1);
        assertThat(a.get("officials").get(0).get("name").asText()).isEqualTo("Phạm Văn Cường");
        assertThat(a.get("citizens").asInt()).isEqualTo(12);
        assertThat(a.get("connectedNow").asBoolean()).isTrue();
        String metrics = t.get("/metrics", null).body();
        assertThat(metrics).contains("reception_api_sessions_live", "reception_api_rooms_connected",
                "reception_api_petitions_overdue", "reception_api_petitions{kind=\"COMPLAINT\",status=\"RECEIVED\"}");
    }

    @Test
    void badSessionInputIsAProblemAndChangesNothing() {
        long sessions = t.count("reception_sessions");
        long audit = t.count("audit_log");
        Instant start = t.clock.instant();
        String ok = "\"scheduledStart\":\"" + start + "\",\"scheduledEnd\":\"" + start.plus(Duration.ofHours(1))
                + "\",\"presidingOfficial\":\"p\",\"hostRoomCode\":\"QN-VP\"";
        List<TestServer.Response> bad = List.of(
                t.send("POST", "/api/v1/sessions", host, "application/json", "{\"title\":"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\"x\"," + ok + ",\"recording\":\"yes\"}"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\"x\"," + ok + ",\"colour\":\"red\"}"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\"x\"," + ok + ",\"mode\":\"OFFLINE\"}"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\" \"," + ok + "}"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\"x\"," + ok.replace("QN-VP", "NOWHERE") + "}"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\"x\"," + ok + ",\"invitation\":{\"type\":\"LIST\",\"rooms\":[\"NOWHERE\"]}}"),
                t.json("POST", "/api/v1/sessions", host, "{\"title\":\"x\",\"scheduledStart\":\"" + start + "\",\"scheduledEnd\":\"" + start
                        + "\",\"presidingOfficial\":\"p\",\"hostRoomCode\":\"QN-VP\"}"),
                t.json("POST", "/api/v1/sessions/999999/state", host, Map.of("state", "LIVE")),
                t.json("POST", "/api/v1/sessions/abc/state", host, Map.of("state", "LIVE")));
        for (TestServer.Response r : bad) {
            assertThat(r.contentType()).as(r.body()).startsWith("application/problem+json");
            assertThat(r.status()).as(r.body()).isIn(400, 404, 422);
        }
        assertThat(t.count("reception_sessions")).isEqualTo(sessions);
        assertThat(t.count("audit_log")).isEqualTo(audit);

        String evil = "Phiên '; DROP TABLE reception_sessions; -- \" /* %";
        TestServer.Response stored = t.json("POST", "/api/v1/sessions", host, Map.of("title", evil, "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(1)).toString(), "presidingOfficial", evil, "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "LIST", "rooms", List.of(ROOM_A))));
        assertThat(stored.status()).isEqualTo(201);
        JsonNode back = t.get("/api/v1/sessions/" + stored.json().get("id").asLong(), host).json();
        assertThat(back.get("title").asText()).isEqualTo(evil);
        assertThat(back.get("presidingOfficial").asText()).isEqualTo(evil);
        long history = t.count("session_state_history");
        assertThat(state(back.get("id").asLong(), "ENDED", host).status()).isEqualTo(409);
        assertThat(t.count("session_state_history")).isEqualTo(history);
    }

    /** Collects text messages and the close code of one WebSocket. */
    static final class Listener implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.add(statusCode);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = messages.poll(5, TimeUnit.SECONDS);
            assertThat(n).as("a message within 5 s").isNotNull();
            return n;
        }
    }
}
