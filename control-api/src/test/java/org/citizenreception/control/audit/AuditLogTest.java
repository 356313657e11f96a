package org.citizenreception.control.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.StoreException;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;
    TestServer t;
    AuditLog audit;
    Database database;
    final Principal secretary = new Principal(1, "admin", Role.ADMIN, java.util.Optional.empty());

    @BeforeEach
    void start() {
        t = TestServer.start(dir);
        audit = t.server.services().audit();
        database = t.server.database();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void everyChangeThroughTheApiIsChainedAndTheChainVerifies() {
        t.createUser("audited", Role.HOST, null);
        JsonNode page = t.get("/api/v1/audit?entityType=user&limit=10", t.adminToken()).json();
        JsonNode create = page.get("entries").get(0);
        assertThat(create.get("action").asText()).isEqualTo("user.create");
        assertThat(create.get("actorUsername").asText()).isEqualTo("admin");
        assertThat(create.get("remoteAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(create.get("detail").get("role").asText()).isEqualTo("HOST");
        assertThat(create.toString()).doesNotContain(TestServer.passwordOf("audited"));

        JsonNode verify = t.get("/api/v1/audit/verify", t.adminToken()).json();
        assertThat(verify.get("valid").asBoolean()).isTrue();
        assertThat(verify.get("entries").asLong()).isEqualTo(t.count("audit_log")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void thePageIsNarrowedByActorActionFamilyAndHalfOpenTimeWindow() {
        long hostId = t.createUser("filter.host", Role.HOST, null);
        t.createUser("filter.admin", Role.ADMIN, null);
        String otherAdmin = t.token("filter.admin", TestServer.passwordOf("filter.admin"));
        java.time.Instant beforeUpdate = t.clock.instant();
        t.clock.advance(java.time.Duration.ofMinutes(5));
        t.json("PATCH", "/api/v1/users/" + hostId, t.adminToken(), Map.of("displayName", "Renamed"));
        java.time.Instant afterUpdate = t.clock.instant().plusSeconds(1);
        t.json("PATCH", "/api/v1/users/" + hostId, otherAdmin, Map.of("displayName", "Renamed again"));

        JsonNode byOther = t.get("/api/v1/audit?actor=filter.admin", t.adminToken()).json().get("entries");
        assertThat(byOther).extracting(e -> e.get("action").asText()).containsExactly("user.update", "auth.login");
        assertThat(byOther).allSatisfy(e -> assertThat(e.get("actorUsername").asText()).isEqualTo("filter.admin"));

        JsonNode userFamily = t.get("/api/v1/audit?action=user.", t.adminToken()).json().get("entries");
        assertThat(userFamily).extracting(e -> e.get("action").asText()).contains("user.create", "user.update")
                .allMatch(a -> a.startsWith("user."));
        JsonNode exact = t.get("/api/v1/audit?action=user.update", t.adminToken()).json().get("entries");
        assertThat(exact).extracting(e -> e.get("action").asText()).containsOnly("user.update");

        JsonNode window = t.get("/api/v1/audit?actor=admin&from=" + beforeUpdate.plusSeconds(1) + "&to=" + afterUpdate,
                t.adminToken()).json().get("entries");
        assertThat(window).extracting(e -> e.get("action").asText()).containsExactly("user.update");

        TestServer.Response bad = t.get("/api/v1/audit?from=yesterday", t.adminToken());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("from");
    }

    @Test
    void anEntryRecordedInsideAFailedTransactionIsRolledBackWithIt() {
        long before = t.count("audit_log");
        assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
            audit.record(c, secretary, "10.0.0.1", "petition.create", "petition", "42", Map.of("kind", "COMPLAINT"));
            throw new IllegalStateException("the change itself failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(t.count("audit_log")).isEqualTo(before);
        assertThat(audit.verify().valid()).isTrue();
    }

    @Test
    void detailsWithPersonalDataAreRefused() {
        assertThatThrownBy(() -> audit.record(secretary, "10.0.0.1", "petition.create", "petition", "1",
                Map.of("petitionerName", "Nguyễn Văn A"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> audit.record(secretary, "10.0.0.1", "user.update", "user", "1",
                Map.of("change", Map.of("password", "x")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletesOfTheLog() throws SQLException {
        audit.record(secretary, "10.0.0.1", "test.action", "test", "1", Map.of());
        try (Connection c = database.unpooledConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_log SET action = 'x'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_log")).hasMessageContaining("append-only");
        }
        assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("DELETE FROM audit_log WHERE seq = 1");
            }
        })).isInstanceOf(StoreException.class);
    }

    @Test
    void alteringARowIsDetectedAtThatRow() throws SQLException {
        for (int i = 0; i < 5; i++) {
            audit.record(secretary, "10.0.0.1", "test.action", "test", Integer.toString(i), Map.of("n", i));
        }
        long total = t.count("audit_log");
        long victim = total - 2;
        tamper("UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = " + victim);
        JsonNode verify = t.get("/api/v1/audit/verify", t.adminToken()).json();
        assertThat(verify.get("valid").asBoolean()).isFalse();
        assertThat(verify.get("firstBrokenSeq").asLong()).isEqualTo(victim);
    }

    @Test
    void rehashingAnAlteredRowStillBreaksTheChainAtTheNextRow() throws SQLException {
        for (int i = 0; i < 3; i++) {
            audit.record(secretary, "10.0.0.1", "test.action", "test", Integer.toString(i), Map.of("n", i));
        }
        long total = t.count("audit_log");
        long victim = total - 1;
        tamper("UPDATE audit_log SET actor_username = 'someone-else', hash = '" + "f".repeat(64) + "' WHERE seq = " + victim);
        AuditChain.Verification v = audit.verify();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(victim);
    }

    @Test
    void removingARowIsDetected() throws SQLException {
        for (int i = 0; i < 3; i++) {
            audit.record(secretary, "10.0.0.1", "test.action", "test", Integer.toString(i), Map.of());
        }
        long total = t.count("audit_log");
        tamper("DELETE FROM audit_log WHERE seq = " + (total - 1));
        AuditChain.Verification v = audit.verify();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(total - 1);
    }

    @Test
    void theListIsPagedNewestFirstAndFiltersByEntity() {
        for (int i = 0; i < 7; i++) {
            audit.record(secretary, "10.0.0.1", "test.action", "paged", i % 2 == 0 ? "even" : "odd", Map.of("n", i));
        }
        JsonNode first = t.get("/api/v1/audit?entityType=paged&limit=3", t.adminToken()).json();
        assertThat(first.get("entries")).hasSize(3);
        assertThat(first.get("entries").get(0).get("detail").get("n").asInt()).isEqualTo(6);
        JsonNode second = t.get("/api/v1/audit?entityType=paged&limit=3&before=" + first.get("nextBefore").asLong(),
                t.adminToken()).json();
        assertThat(second.get("entries").get(0).get("detail").get("n").asInt()).isEqualTo(3);
        assertThat(t.get("/api/v1/audit?entityType=paged&entityId=odd", t.adminToken()).json().get("entries")).hasSize(3);
        assertThat(t.get("/api/v1/audit?limit=0", t.adminToken()).status()).isEqualTo(422);
        assertThat(t.get("/api/v1/audit?before=abc", t.adminToken()).status()).isEqualTo(400);
    }

    /** Drops the append-only triggers as an attacker with file access would, then changes a row. */
    private void tamper(String sql) throws SQLException {
        try (Connection c = database.unpooledConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER audit_log_no_update" + (TestStore.postgresql() ? " ON audit_log" : ""));
            st.execute("DROP TRIGGER audit_log_no_delete" + (TestStore.postgresql() ? " ON audit_log" : ""));
            st.executeUpdate(sql);
        }
    }
}
