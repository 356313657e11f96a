package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host role is not global: only the session's own host broadcasts it. What issue 11 saw — a
 * second host account taking a live session over through the state route and WHIP, an administrator
 * publishing into the main slot — is refused, and each refusal is in the audit log.
 */
class HostTakeoverTest {
    static final String HOST_ROOM = "QN-VP";
    static final String ROOM = "QN25-BAI-CHAY";

    @TempDir
    static Path dir;
    static TestServer t;
    static long firstHostId;
    static String firstHost;
    static String secondHost;
    static String districtHost;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        firstHostId = t.createUser("host.first", Role.HOST, null);
        t.createUser("host.second", Role.HOST, null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", "host.district");
        body.put("role", "HOST");
        body.put("unitCode", "QN25-CO-TO");
        body.put("password", TestServer.passwordOf("host.district"));
        assertThat(t.json("POST", "/api/v1/users", t.adminToken(), body).status()).isEqualTo(201);
        firstHost = t.token("host.first", TestServer.passwordOf("host.first"));
        secondHost = t.token("host.second", TestServer.passwordOf("host.second"));
        districtHost = t.token("host.district", TestServer.passwordOf("host.district"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static TestServer.Response state(long session, String token, String state) {
        return t.json("POST", "/api/v1/sessions/" + session + "/state", token, Map.of("state", state));
    }

    private static TestServer.Response whip(long session, String token) {
        return t.send("POST", "/whip/" + session, token, "application/sdp", WhipWhepRoleRows.offer(true));
    }

    private static List<String> deniedActionsOf(String username) {
        JsonNode entries = t.get("/api/v1/audit?limit=200&action=access.denied", t.adminToken()).json().get("entries");
        List<String> out = new java.util.ArrayList<>();
        entries.forEach(e -> {
            if (e.path("actorUsername").asText().equals(username)) {
                out.add(e.path("detail").path("action").asText(e.toString()));
            }
        });
        return out;
    }

    @Test
    void aSecondHostCannotTakeOverALiveSessionByStateWhipOrFloor() {
        long session = t.scheduleOnlineSession("Phiên của người chủ trì thứ nhất", HOST_ROOM, List.of(ROOM));
        assertThat(state(session, firstHost, "LIVE").status()).isEqualTo(200);
        assertThat(t.get("/api/v1/sessions/" + session, firstHost).json().get("presidingUserId").asLong())
                .as("the first host to go live presides").isEqualTo(firstHostId);
        TestServer.Response published = whip(session, firstHost);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        String endpoint = published.headers().firstValue("Location").orElseThrow();

        assertThat(whip(session, secondHost).status()).isEqualTo(403);
        assertThat(state(session, secondHost, "ENDED").status()).isEqualTo(403);
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", secondHost, Map.of("roomCode", ROOM)).status())
                .isEqualTo(403);
        assertThat(t.send("DELETE", endpoint, secondHost, null, (byte[]) null).status())
                .as("nor end the first host's stream").isEqualTo(403);
        assertThat(deniedActionsOf("host.second")).contains("whip.main", "session.ended", "floor.grant");

        assertThat(t.get("/api/v1/sessions/" + session, firstHost).json().get("state").asText()).isEqualTo("LIVE");
        assertThat(t.send("DELETE", endpoint, firstHost, null, (byte[]) null).status()).isEqualTo(200);
        assertThat(state(session, firstHost, "ENDED").status()).isEqualTo(200);
    }

    @Test
    void anAdministratorSchedulesButDoesNotBroadcast() {
        long session = t.scheduleOnlineSession("Phiên quản trị viên không phát", HOST_ROOM, List.of(ROOM));
        assertThat(whip(session, t.adminToken()).status()).isEqualTo(403);
        assertThat(state(session, t.adminToken(), "LIVE").status()).isEqualTo(403);
        assertThat(deniedActionsOf("admin")).contains("whip.main", "session.live");
        assertThat(state(session, t.adminToken(), "CANCELLED").status()).as("but manages the schedule").isEqualTo(200);
    }

    @Test
    void aHostOfAnotherUnitCannotPresideAnUnassignedSession() {
        long session = t.scheduleOnlineSession("Phiên của tỉnh", HOST_ROOM, List.of(ROOM));
        assertThat(state(session, districtHost, "LIVE").status()).isEqualTo(403);
        assertThat(whip(session, districtHost).status()).isEqualTo(403);
    }

    @Test
    void aNamedHostPresidesAndNobodyElse() {
        long session = t.scheduleOnlineSession("Phiên có người chủ trì được chỉ định", HOST_ROOM, List.of(ROOM));
        JsonNode current = t.get("/api/v1/sessions/" + session, t.adminToken()).json();
        TestServer.Response assigned = t.json("PATCH", "/api/v1/sessions/" + session, t.adminToken(),
                Map.of("version", current.get("version").asLong(), "presidingUserId", firstHostId));
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
        assertThat(state(session, secondHost, "LIVE").status()).isEqualTo(403);
        assertThat(state(session, firstHost, "LIVE").status()).isEqualTo(200);
        assertThat(state(session, firstHost, "ENDED").status()).isEqualTo(200);
    }

    @Test
    void aSessionNamesOnlyEnabledHostAndSecretaryAccounts() {
        long session = t.scheduleOnlineSession("Phiên kiểm tra người được chỉ định", HOST_ROOM, List.of(ROOM));
        long version = t.get("/api/v1/sessions/" + session, t.adminToken()).json().get("version").asLong();
        TestServer.Response wrongHost = t.json("PATCH", "/api/v1/sessions/" + session, t.adminToken(),
                Map.of("version", version, "presidingUserId", 1));
        assertThat(wrongHost.status()).isEqualTo(422);
        assertThat(wrongHost.body()).contains("presidingUserId");
        TestServer.Response wrongSecretary = t.json("PATCH", "/api/v1/sessions/" + session, t.adminToken(),
                Map.of("version", version, "secretaryIds", List.of(firstHostId)));
        assertThat(wrongSecretary.status()).isEqualTo(422);
        assertThat(wrongSecretary.body()).contains("secretaryIds");
    }
}
