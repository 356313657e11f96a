package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /sessions/{id}/join-tokens: every invited room's join link at once, who may issue them, the
 * QR code of each (decoded back from the SVG), re-issuing one room, the audit entry; and the
 * presiding official chosen as an account, with one room count everywhere.
 */
class JoinLinksApiTest {
    static final String HOST_ROOM = "QN-VP";
    static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-HONG-GAI", "QN25-QUANG-LA");

    @TempDir
    static Path dir;
    static TestServer t;
    static long presidingHostId;
    static String presidingHost;
    static String otherHost;
    static String creatingHost;
    static String secretary;
    static String operator;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        presidingHostId = t.createUser("jl.chair", Role.HOST, null);
        t.createUser("jl.other", Role.HOST, null);
        t.createUser("jl.creator", Role.HOST, null);
        t.createUser("jl.sec", Role.SECRETARY, null);
        t.createUser("jl.op", Role.ROOM_OPERATOR, ROOMS.get(0));
        presidingHost = t.token("jl.chair", TestServer.passwordOf("jl.chair"));
        otherHost = t.token("jl.other", TestServer.passwordOf("jl.other"));
        creatingHost = t.token("jl.creator", TestServer.passwordOf("jl.creator"));
        secretary = t.token("jl.sec", TestServer.passwordOf("jl.sec"));
        operator = t.token("jl.op", TestServer.passwordOf("jl.op"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /** A session presided by jl.chair (chosen as an account), created by {@code creator}. */
    static JsonNode newSession(String creator) {
        Instant start = t.clock.instant().plus(Duration.ofMinutes(30));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân định kỳ");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingUserId", presidingHostId);
        body.put("hostRoomCode", HOST_ROOM);
        body.put("invitation", Map.of("type", "LIST", "rooms", ROOMS));
        TestServer.Response r = t.json("POST", "/api/v1/sessions", creator, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    static TestServer.Response issue(long session, String token, Object body) {
        return t.json("POST", "/api/v1/sessions/" + session + "/join-tokens", token, body);
    }

    @Test
    void anAdministratorIssuesEveryInvitedRoomsLinkInOneStepWithAQrCodeEachAndOneAuditEntry() throws Exception {
        long id = newSession(t.adminToken()).get("id").asLong();
        TestServer.Response r = issue(id, t.adminToken(), Map.of("joinUrlBase", "https://tiepdan.example.vn/"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode sheet = r.json();
        assertThat(sheet.get("count").asInt()).isEqualTo(3);
        List<String> codes = new ArrayList<>();
        for (JsonNode link : sheet.get("links")) {
            String code = link.get("roomCode").asText();
            codes.add(code);
            String url = link.get("url").asText();
            assertThat(url).startsWith("https://tiepdan.example.vn/#/join/" + id + "?room=" + code + "&token=rj_")
                    .endsWith(link.get("token").asText());
            assertThat(decodeQr(link.get("qrSvg").asText())).as("the QR code of " + code).isEqualTo(url);
            assertThat(t.get("/api/v1/sessions/" + id, link.get("token").asText()).status()).as("the link admits room " + code).isEqualTo(200);
        }
        assertThat(codes).as("every invited room but the hosting one, by tier (the commune before the wards), then by name")
                .containsExactly("QN25-QUANG-LA", "QN25-BAI-CHAY", "QN25-HONG-GAI");
        assertThat(sheet.get("links").get(0).get("level").asText()).isEqualTo("COMMUNE");

        JsonNode audit = t.get("/api/v1/audit?action=session.join_token.issue_all", t.adminToken()).json().get("entries");
        JsonNode entry = null;
        for (JsonNode e : audit) {
            if (e.get("entityId").asText().equals(String.valueOf(id))) {
                assertThat(entry).as("one audit entry for the whole sheet").isNull();
                entry = e;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("detail").toString()).contains("\"count\":3");
        assertThat(entry.toString()).doesNotContain("rj_");
    }

    @Test
    void theSessionsHostIssuesThemAndOtherRolesAndHostsAreRefused() {
        long id = newSession(creatingHost).get("id").asLong();
        long tokensBefore = t.count("room_join_tokens");
        assertThat(issue(id, otherHost, Map.of()).status()).as("a host who neither presides nor created it").isEqualTo(403);
        assertThat(issue(id, secretary, Map.of()).status()).isEqualTo(403);
        assertThat(issue(id, operator, Map.of()).status()).isEqualTo(403);
        assertThat(issue(id, null, Map.of()).status()).isEqualTo(401);
        String joinToken = t.joinToken(id, ROOMS.get(0));
        tokensBefore++;
        assertThat(issue(id, joinToken, Map.of()).status()).as("a room's join token").isEqualTo(403);
        assertThat(t.count("room_join_tokens")).as("nothing issued by a refused call").isEqualTo(tokensBefore);
        assertThat(issue(999_999, t.adminToken(), Map.of()).status()).isEqualTo(404);
        long cancelled = newSession(creatingHost).get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + cancelled + "/state", t.adminToken(), Map.of("state", "CANCELLED")).status()).isEqualTo(200);
        assertThat(issue(cancelled, otherHost, Map.of()).status()).as("refused before the state is told").isEqualTo(403);
        assertThat(issue(cancelled, creatingHost, Map.of()).status()).as("no links for a cancelled session").isEqualTo(409);

        TestServer.Response presiding = issue(id, presidingHost, Map.of());
        assertThat(presiding.status()).as(presiding.body()).isEqualTo(201);
        assertThat(presiding.json().get("links").get(0).get("url").asText()).as("without joinUrlBase, the server's own address")
                .startsWith(t.uri("/").toString() + "#/join/" + id);
        TestServer.Response creator = t.send("POST", "/api/v1/sessions/" + id + "/join-tokens", creatingHost, null, (String) null);
        assertThat(creator.status()).as("no body at all: " + creator.body()).isEqualTo(201);
    }

    @Test
    void oneRoomsLinkIsReissuedAndTheOldOneStopsWhileBadInputChangesNothing() {
        long id = newSession(t.adminToken()).get("id").asLong();
        JsonNode first = issue(id, presidingHost, Map.of()).json().get("links");
        String room = first.get(1).get("roomCode").asText();
        String old = first.get(1).get("token").asText();
        String untouched = first.get(0).get("token").asText();

        long before = t.count("room_join_tokens");
        long auditBefore = t.count("audit_log");
        TestServer.Response unknown = issue(id, presidingHost, Map.of("rooms", List.of(room, HOST_ROOM)));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body()).contains("\"field\":\"rooms\"");
        TestServer.Response evil = issue(id, presidingHost, Map.of("joinUrlBase", "javascript:alert(1)//"));
        assertThat(evil.status()).isEqualTo(422);
        assertThat(evil.body()).contains("\"field\":\"joinUrlBase\"");
        assertThat(t.count("room_join_tokens")).isEqualTo(before);
        assertThat(t.count("audit_log")).isEqualTo(auditBefore);

        TestServer.Response again = issue(id, presidingHost, Map.of("rooms", List.of(room), "replaceEarlier", true));
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json().get("count").asInt()).isEqualTo(1);
        assertThat(again.json().get("revokedEarlier").asInt()).isEqualTo(1);
        assertThat(t.get("/api/v1/sessions/" + id, old).status()).as("the replaced link").isEqualTo(401);
        assertThat(t.get("/api/v1/sessions/" + id, again.json().get("links").get(0).get("token").asText()).status()).isEqualTo(200);
        assertThat(t.get("/api/v1/sessions/" + id, untouched).status()).as("another room's link").isEqualTo(200);
    }

    @Test
    void thePresidingOfficialIsAHostAccountAndTheRoomCountIsTheSameInListDetailAndAttendance() {
        JsonNode s = newSession(t.adminToken());
        long id = s.get("id").asLong();
        assertThat(s.get("presidingUserId").asLong()).isEqualTo(presidingHostId);
        assertThat(s.get("presidingOfficial").asText()).isEqualTo("Test jl.chair");
        assertThat(s.get("invitedRoomCount").asInt()).as("the rooms broadcast to, not the studio").isEqualTo(3);
        assertThat(t.get("/api/v1/sessions/" + id, t.adminToken()).json().get("invitedRoomCount").asInt()).isEqualTo(3);
        int listed = -1;
        String window = "?from=" + t.clock.instant().minus(Duration.ofDays(1)) + "&to=" + t.clock.instant().plus(Duration.ofDays(1));
        for (JsonNode x : t.get("/api/v1/sessions" + window, t.adminToken()).json().get("sessions")) {
            if (x.get("id").asLong() == id) {
                listed = x.get("invitedRoomCount").asInt();
            }
        }
        assertThat(listed).isEqualTo(3);
        assertThat(t.get("/api/v1/sessions/" + id + "/attendance", t.adminToken()).json().get("invited").asInt()).isEqualTo(3);

        long secretaryId = t.get("/api/v1/auth/me", secretary).json().path("user").path("id").asLong(
                t.get("/api/v1/auth/me", secretary).json().path("id").asLong());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("presidingUserId", secretaryId);
        body.put("version", s.get("version").asLong());
        TestServer.Response refused = t.json("PATCH", "/api/v1/sessions/" + id, t.adminToken(), body);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("\"field\":\"presidingUserId\"");
    }

    @Test
    void aSheetForEveryRoomOfTheProvinceIsIssuedInOneRequest() {
        Instant start = t.clock.instant().plus(Duration.ofMinutes(30));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân toàn tỉnh");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingUserId", presidingHostId);
        body.put("hostRoomCode", HOST_ROOM);
        body.put("invitation", Map.of("type", "ALL"));
        JsonNode s = t.json("POST", "/api/v1/sessions", t.adminToken(), body).json();
        long began = System.nanoTime();
        TestServer.Response r = issue(s.get("id").asLong(), presidingHost, Map.of("joinUrlBase", "https://tiepdan.quangninh.gov.vn/"));
        long elapsedMillis = (System.nanoTime() - began) / 1_000_000;
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("count").asInt()).as("every room of the current directory but the office").isEqualTo(s.get("invitedRoomCount").asInt())
                .isEqualTo(54);
        // A measurement for the report, not a pass condition: the machine's load decides it.
        System.out.println("join-links sheet of 54 rooms: " + elapsedMillis + " ms, " + r.body().length() / 1024 + " KiB");
    }

    /** Reads the SVG's module squares back into a bit matrix and decodes it with ZXing's QR decoder. */
    static String decodeQr(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int size = Integer.parseInt(box.group(1));
        int quiet = 4;
        BitMatrix m = new BitMatrix(size - 2 * quiet);
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z").matcher(svg);
        while (run.find()) {
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            for (int i = 0; i < Integer.parseInt(run.group(3)); i++) {
                m.set(x + i - quiet, y - quiet);
            }
        }
        return new Decoder().decode(m).getText();
    }
}
