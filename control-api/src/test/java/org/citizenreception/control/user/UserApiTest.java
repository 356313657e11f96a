package org.citizenreception.control.user;

import org.citizenreception.control.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test gets a server and database of its own: these tests count administrators and audit
 * rows, so one test's accounts must not decide another's outcome (nor the order JUnit runs them in).
 */
class UserApiTest {
    @TempDir
    Path dir;
    TestServer t;

    @BeforeEach
    void start() {
        t = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void theLastEnabledAdministratorCanBeNeitherDisabledDemotedNorDeleted() {
        t.adminToken(); // signing in is audited: before counting, not between the count and the refusals
        long before = t.count("audit_log");
        assertThat(t.json("PATCH", "/api/v1/users/1", t.adminToken(), Map.of("disabled", true)).status()).isEqualTo(409);
        assertThat(t.json("PATCH", "/api/v1/users/1", t.adminToken(), Map.of("role", "HOST")).status()).isEqualTo(409);
        TestServer.Response delete = t.send("DELETE", "/api/v1/users/1", t.adminToken(), null, (byte[]) null);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.contentType()).startsWith("application/problem+json");
        assertThat(t.count("audit_log")).isEqualTo(before);
        assertThat(t.get("/api/v1/users/1", t.adminToken()).json().get("disabled").asBoolean()).isFalse();
    }

    @Test
    void aSecondAdministratorMayDisableTheFirstOne() {
        long second = t.createUser("second.admin", Role.ADMIN, null);
        String token = t.token("second.admin", TestServer.passwordOf("second.admin"));
        TestServer.Response r = t.json("PATCH", "/api/v1/users/1", token, Map.of("disabled", true));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("disabled").asBoolean()).isTrue();
        assertThat(t.login("admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(401);
        // now the second is the last enabled administrator
        assertThat(t.json("PATCH", "/api/v1/users/" + second, token, Map.of("disabled", true)).status()).isEqualTo(409);
        assertThat(t.json("PATCH", "/api/v1/users/1", token, Map.of("disabled", false)).status()).isEqualTo(200);
        assertThat(t.login("admin", TestServer.ADMIN_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void anAccountNothingRefersToIsDeletedAndOneWithHistoryIsDisabledAndSignedOut() {
        long unused = t.createUser("never.used", Role.SECRETARY, null);
        assertThat(t.send("DELETE", "/api/v1/users/" + unused, t.adminToken(), null, (byte[]) null).status()).isEqualTo(204);
        assertThat(t.get("/api/v1/users/" + unused, t.adminToken()).status()).isEqualTo(404);

        long used = t.createUser("has.history", Role.SECRETARY, null);
        String token = t.token("has.history", TestServer.passwordOf("has.history"));
        TestServer.Response r = t.send("DELETE", "/api/v1/users/" + used, t.adminToken(), null, (byte[]) null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("disabled").asBoolean()).isTrue();
        assertThat(t.get("/api/v1/users/" + used, t.adminToken()).status()).isEqualTo(200);
        assertThat(t.get("/api/v1/auth/me", token).status()).isEqualTo(401);
        assertThat(t.login("has.history", TestServer.passwordOf("has.history")).status()).isEqualTo(401);
    }

    @Test
    void aNewPasswordEndsTheAccountsSessionsAndIsTheOnlyOneThatWorks() {
        long id = t.createUser("rotating", Role.HOST, null);
        String old = t.token("rotating", TestServer.passwordOf("rotating"));
        assertThat(t.json("PATCH", "/api/v1/users/" + id, t.adminToken(), Map.of("password", "a-brand-new-password"))
                .status()).isEqualTo(200);
        assertThat(t.get("/api/v1/auth/me", old).status()).isEqualTo(401);
        assertThat(t.login("rotating", TestServer.passwordOf("rotating")).status()).isEqualTo(401);
        assertThat(t.login("rotating", "a-brand-new-password").status()).isEqualTo(200);
        assertThat(t.json("PATCH", "/api/v1/users/" + id, t.adminToken(), Map.of("password", "short")).status())
                .isEqualTo(422);
    }

    @Test
    void endingAnAccountsSessionsSignsItOutEverywhereButItsPasswordStillWorks() {
        long id = t.createUser("two.desks", Role.SECRETARY, null);
        String desk1 = t.token("two.desks", TestServer.passwordOf("two.desks"));
        String desk2 = t.token("two.desks", TestServer.passwordOf("two.desks"));
        long auditBefore = t.count("audit_log");

        TestServer.Response r = t.send("DELETE", "/api/v1/users/" + id + "/sessions", t.adminToken(), null, (byte[]) null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("revoked").asInt()).isEqualTo(2);
        assertThat(t.get("/api/v1/auth/me", desk1).status()).isEqualTo(401);
        assertThat(t.get("/api/v1/auth/me", desk2).status()).isEqualTo(401);
        assertThat(t.count("audit_log")).isEqualTo(auditBefore + 1);
        assertThat(t.get("/api/v1/audit?entityType=user&entityId=" + id + "&limit=1", t.adminToken()).json()
                .get("entries").get(0).get("action").asText()).isEqualTo("user.sessions_end");
        assertThat(t.login("two.desks", TestServer.passwordOf("two.desks")).status()).isEqualTo(200);
        assertThat(t.send("DELETE", "/api/v1/users/999999/sessions", t.adminToken(), null, (byte[]) null).status()).isEqualTo(404);
    }

    @Test
    void roomBindingRules() {
        assertThat(t.json("POST", "/api/v1/users", t.adminToken(), Map.of("username", "host.with.room", "role", "HOST",
                "roomCode", "QN-VP", "password", "long-enough-password")).status()).isEqualTo(422);
        long op = t.createUser("operator.one", Role.ROOM_OPERATOR, "QN25-BAI-CHAY");
        String token = t.token("operator.one", TestServer.passwordOf("operator.one"));
        assertThat(t.get("/api/v1/auth/me", token).json().get("roomCode").asText()).isEqualTo("QN25-BAI-CHAY");

        TestServer.Response moved = t.json("PATCH", "/api/v1/users/" + op, t.adminToken(), Map.of("roomCode", "QN25-MONG-CAI-1"));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("roomCode").asText()).isEqualTo("QN25-MONG-CAI-1");
        assertThat(t.get("/api/v1/auth/me", token).status()).as("rebinding ends sessions").isEqualTo(401);
        assertThat(t.json("PATCH", "/api/v1/users/" + op, t.adminToken(), Map.of("roomCode", "NOPE")).status()).isEqualTo(422);

        TestServer.Response promoted = t.json("PATCH", "/api/v1/users/" + op, t.adminToken(), Map.of("role", "SECRETARY"));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("roomCode").isNull()).isTrue();
        assertThat(t.json("PATCH", "/api/v1/users/" + op, t.adminToken(), Map.of("role", "ROOM_OPERATOR")).status())
                .isEqualTo(422);
    }

    @Test
    void usernamesAreUniqueIgnoringCase() {
        t.createUser("Unique.Name", Role.HOST, null);
        TestServer.Response r = t.json("POST", "/api/v1/users", t.adminToken(), Map.of("username", "unique.name",
                "role", "HOST", "password", "long-enough-password"));
        assertThat(r.status()).isEqualTo(409);
    }
}
