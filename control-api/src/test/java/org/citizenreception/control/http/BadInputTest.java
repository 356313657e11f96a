package org.citizenreception.control.http;

import org.citizenreception.control.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a request body can be wrong is a problem+json naming the field, and changes nothing. */
class BadInputTest {
    static final int LIMIT = 64 * 1024;

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, "--http.max-request-bytes=" + LIMIT);
        t.createUser("victim", org.citizenreception.control.identity.Role.HOST, null);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Stream<Arguments> badBodies() {
        String okUser = "\"username\":\"someone\",\"role\":\"HOST\",\"password\":\"long-enough-password\"";
        return Stream.of(
                Arguments.of("malformed JSON", "POST", "/api/v1/users", "{\"username\": \"x\",", 400, null),
                Arguments.of("not an object", "POST", "/api/v1/users", "[1,2]", 400, null),
                Arguments.of("empty body", "POST", "/api/v1/users", "", 400, null),
                Arguments.of("null body", "POST", "/api/v1/users", "null", 400, null),
                Arguments.of("wrong type", "POST", "/api/v1/users", "{" + okUser.replace("\"HOST\"", "5") + "}", 400, "role"),
                Arguments.of("unknown enum", "POST", "/api/v1/users", "{" + okUser.replace("HOST", "MAYOR") + "}", 400, "role"),
                Arguments.of("object for a string", "POST", "/api/v1/users",
                        "{" + okUser.replace("\"someone\"", "{\"a\":1}") + "}", 400, "username"),
                Arguments.of("unknown field", "POST", "/api/v1/users", "{" + okUser + ",\"isAdmin\":true}", 400, "isAdmin"),
                Arguments.of("patch unknown field", "PATCH", "/api/v1/users/2", "{\"salary\":1}", 400, "salary"),
                Arguments.of("patch wrong type", "PATCH", "/api/v1/users/2", "{\"disabled\":\"yes\"}", 400, "disabled"),
                Arguments.of("login wrong type", "POST", "/api/v1/auth/login", "{\"username\":[],\"password\":\"x\"}", 400, "username"),
                Arguments.of("room wrong date", "POST", "/api/v1/rooms",
                        "{\"code\":\"X9\",\"name\":\"X\",\"level\":\"WARD\",\"parentCode\":\"QN-VP\",\"validFrom\":\"1 July\"}", 400, "validFrom"),
                Arguments.of("missing required", "POST", "/api/v1/users", "{\"username\":\"nopass\",\"role\":\"HOST\"}", 422, "password"),
                Arguments.of("operator without room", "POST", "/api/v1/users",
                        "{\"username\":\"op.one\",\"role\":\"ROOM_OPERATOR\",\"password\":\"long-enough-password\"}", 422, "roomCode"),
                Arguments.of("operator of no room", "POST", "/api/v1/users",
                        "{\"username\":\"op.one\",\"role\":\"ROOM_OPERATOR\",\"roomCode\":\"NOPE\",\"password\":\"long-enough-password\"}", 422, "roomCode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadBodyIsAProblemNamingTheFieldAndChangesNothing(String what, String method, String path, String body,
                                                           int status, String field) {
        Snapshot before = Snapshot.take();
        TestServer.Response r = t.send(method, path, t.adminToken(), "application/json", body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
            assertThat(r.json().get("detail").asText()).startsWith(field + ":");
        }
        assertThat(Snapshot.take()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        Snapshot before = Snapshot.take();
        TestServer.Response r = t.send("POST", "/api/v1/users", t.adminToken(), "text/plain", "username=x");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
        TestServer.Response none = t.send("POST", "/api/v1/users", t.adminToken(), null, "{}");
        assertThat(none.status()).isEqualTo(415);
        assertThat(Snapshot.take()).isEqualTo(before);
    }

    @Test
    void anOversizedBodyWithContentLengthIs413() {
        Snapshot before = Snapshot.take();
        TestServer.Response r = t.send("POST", "/api/v1/users", t.adminToken(), "application/json", oversizedJson());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(413);
        assertThat(Snapshot.take()).isEqualTo(before);
    }

    @Test
    void anOversizedChunkedBodyIs413() throws Exception {
        Snapshot before = Snapshot.take();
        byte[] body = oversizedJson().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(t.uri("/api/v1/rooms/import"))
                .header("Authorization", "Bearer " + t.adminToken())
                .header("Content-Type", "text/csv")
                // An input stream publisher has no known length: the client sends Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(Snapshot.take()).isEqualTo(before);
    }

    @Test
    void sqlMetacharactersInTextFieldsAreStoredVerbatim() {
        // No control character: names refuse those (InjectionRefusalTest); SQL metacharacters are plain text.
        String nasty = "Robert'); DROP TABLE users;-- \" \\ % _ ; /* */ Nguyễn";
        TestServer.Response created = t.json("POST", "/api/v1/users", t.adminToken(), Map.of(
                "username", "bobby.tables", "displayName", nasty, "role", "SECRETARY", "password", "long-enough-password"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(t.get("/api/v1/users/" + id, t.adminToken()).json().get("displayName").asText()).isEqualTo(nasty);

        String roomName = "Phòng '; DELETE FROM rooms; --";
        TestServer.Response room = t.json("POST", "/api/v1/rooms", t.adminToken(), Map.of(
                "code", "SQL-1", "name", roomName, "level", "WARD", "parentCode", "QN-VP"));
        assertThat(room.status()).as(room.body()).isEqualTo(201);
        assertThat(t.get("/api/v1/rooms/SQL-1", t.adminToken()).json().get("name").asText()).isEqualTo(roomName);
        assertThat(t.count("rooms")).isEqualTo(55 + 1);

        TestServer.Response login = t.login("admin' OR '1'='1", "' OR '1'='1");
        assertThat(login.status()).isEqualTo(401);
        TestServer.Response filter = t.get("/api/v1/audit?entityType=" + java.net.URLEncoder.encode("user' OR 1=1 --",
                StandardCharsets.UTF_8), t.adminToken());
        assertThat(filter.status()).isEqualTo(200);
        assertThat(filter.json().get("entries")).isEmpty();
        assertThat(t.server.services().audit().verify().valid()).isTrue();
    }

    @Test
    void anUnknownApiPathIsAProblemToo() {
        TestServer.Response r = t.get("/api/v1/no-such-thing", t.adminToken());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    private static String oversizedJson() {
        char[] filler = new char[LIMIT + 1024];
        Arrays.fill(filler, 'a');
        return "{\"username\":\"big\",\"displayName\":\"" + new String(filler)
                + "\",\"role\":\"HOST\",\"password\":\"long-enough-password\"}";
    }

    /** Row counts of every table a request could change. */
    record Snapshot(long users, long rooms, long audit, long tokens) {
        static Snapshot take() {
            return new Snapshot(t.count("users"), t.count("rooms"), t.count("audit_log"), t.count("auth_tokens"));
        }
    }
}
