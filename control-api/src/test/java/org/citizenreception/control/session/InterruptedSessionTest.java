package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session the server left LIVE when it stopped is INTERRUPTED at the next start, as of the last
 * time the process was known alive: audited with the reason, its rooms' connections closed then
 * (the outage is a gap in attendance), never stuck LIVE and never silently ENDED. Only its presiding
 * host resumes it (the start time stays) or ends it; nobody asks for INTERRUPTED.
 */
class InterruptedSessionTest {
    private static final String ROOM = "QN25-HA-LONG";

    @TempDir
    Path dir;

    @Test
    void aSessionLeftLiveIsInterruptedAtTheNextStartAndItsHostResumesIt() {
        long id;
        long scheduled;
        long ended;
        Instant wentLive;
        Instant lastAlive;
        try (TestServer first = TestServer.start(dir)) {
            first.createUser("host.a", Role.HOST, null);
            id = first.scheduleOnlineSession("Phiên bị gián đoạn", "QN-VP", List.of(ROOM));
            scheduled = first.scheduleOnlineSession("Chưa bắt đầu", "QN-VP", List.of(ROOM));
            ended = first.scheduleOnlineSession("Đã kết thúc", "QN-VP", List.of(ROOM));
            String host = first.token("host.a", TestServer.passwordOf("host.a"));
            assertThat(state(first, ended, "LIVE", host).status()).isEqualTo(200);
            assertThat(state(first, ended, "ENDED", host).status()).isEqualTo(200);
            assertThat(state(first, id, "LIVE", host).status()).isEqualTo(200);
            wentLive = first.clock.instant();
            first.clock.advance(Duration.ofMinutes(1));
            first.server.services().domain().attendance().roomConnected(String.valueOf(id), ROOM, "ep-1", first.clock.instant());
            first.clock.advance(Duration.ofMinutes(4));
            lastAlive = first.clock.instant(); // the closing heartbeat; a killed process leaves the one 2 s before
        }

        try (TestServer second = TestServer.start(dir)) {
            second.clock.advance(Duration.ofMinutes(20)); // the restart came later; only the last beat counts
            String admin = second.adminToken();
            JsonNode session = second.get("/api/v1/sessions/" + id, admin).json();
            assertThat(session.get("state").asText()).isEqualTo("INTERRUPTED");
            assertThat(Instant.parse(session.get("startedAt").asText())).isEqualTo(wentLive);
            assertThat(session.get("endedAt").isNull()).isTrue();
            assertThat(second.get("/api/v1/sessions/" + scheduled, admin).json().get("state").asText()).as("left alone").isEqualTo("SCHEDULED");
            assertThat(second.get("/api/v1/sessions/" + ended, admin).json().get("state").asText()).as("left alone").isEqualTo("ENDED");

            JsonNode entry = StreamSupport.stream(second.get("/api/v1/audit?entityType=session&entityId=" + id, admin).json()
                    .get("entries").spliterator(), false).filter(e -> e.get("detail").path("to").asText().equals("INTERRUPTED"))
                    .findFirst().orElseThrow();
            assertThat(entry.get("actorUsername").asText()).isEqualTo("system:server");
            assertThat(entry.get("detail").get("reason").asText()).contains("stopped while the session was live");
            assertThat(Instant.parse(entry.get("detail").get("lastAlive").asText())).isEqualTo(lastAlive);

            JsonNode room = roomLine(second, id, admin);
            assertThat(room.get("connectedNow").asBoolean()).isFalse();
            assertThat(room.get("spans")).hasSize(1);
            assertThat(Instant.parse(room.get("spans").get(0).get("to").asText())).as("closed when last alive").isEqualTo(lastAlive);

            String otherHost = createHost(second, "host.b");
            assertThat(state(second, id, "INTERRUPTED", admin).status()).as("nobody requests INTERRUPTED").isEqualTo(422);
            assertThat(state(second, id, "LIVE", otherHost).status()).as("another host cannot resume it").isEqualTo(403);
            second.server.services().domain().sessions().mediaReportedLive(id);
            assertThat(second.get("/api/v1/sessions/" + id, admin).json().get("state").asText())
                    .as("media alone does not resume it").isEqualTo("INTERRUPTED");

            String host = second.token("host.a", TestServer.passwordOf("host.a"));
            TestServer.Response resumed = state(second, id, "LIVE", host);
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
            assertThat(Instant.parse(resumed.json().get("startedAt").asText())).as("a resume keeps the start").isEqualTo(wentLive);
            second.server.services().domain().attendance().roomConnected(String.valueOf(id), ROOM, "ep-2", second.clock.instant());
            second.clock.advance(Duration.ofMinutes(1));
            JsonNode back = roomLine(second, id, admin);
            assertThat(back.get("spans")).as("one gap: before the crash, after the resume").hasSize(2);
            assertThat(back.get("connectedNow").asBoolean()).isTrue();
            assertThat(state(second, id, "ENDED", host).status()).isEqualTo(200);
            assertThat(second.server.services().audit().verify().valid()).isTrue();
        }
    }

    private static String createHost(TestServer t, String username) {
        t.createUser(username, Role.HOST, null);
        return t.token(username, TestServer.passwordOf(username));
    }

    private static TestServer.Response state(TestServer t, long id, String state, String token) {
        return t.json("POST", "/api/v1/sessions/" + id + "/state", token, Map.of("state", state));
    }

    private static JsonNode roomLine(TestServer t, long id, String token) {
        JsonNode report = t.get("/api/v1/sessions/" + id + "/attendance", token).json();
        return StreamSupport.stream(report.get("rooms").spliterator(), false)
                .filter(n -> n.get("roomCode").asText().equals(ROOM)).findFirst().orElseThrow();
    }
}
