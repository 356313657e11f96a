package org.citizenreception.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history of a reception cannot be rewritten through SQL (V16 triggers), and the files holding
 * it are the server account's alone.
 */
class HistoryAppendOnlyTest {
    static final List<String> HISTORY = List.of("petition_versions", "petition_status_history", "petition_annotations",
            "petition_extensions", "session_state_history", "attendance_events", "audit_log", "petition_steps", "petition_links");

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.h", Role.HOST, null);
        t.createUser("sec.h", Role.SECRETARY, null);
        String host = t.token("host.h", TestServer.passwordOf("host.h"));
        String secretary = t.token("sec.h", TestServer.passwordOf("sec.h"));
        Instant start = t.clock.instant();
        long session = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Phiên tiếp dân", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "SUBTREE", "root", "QN-VP"))).json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        TestServer.Response created = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, Map.of(
                "kind", "COMPLAINT", "originRoomCode", "QN25-BAI-CHAY", "summary", "Khiếu nại",
                "petitioners", List.of(Map.of("name", "Nguyễn Văn An", "idNumber", "012345678989", "address", "Hạ Long"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long petition = created.json().get("id").asLong();
        TestServer.Response note = t.json("POST", "/api/v1/petitions/" + petition + "/annotations", secretary, Map.of("text", "Ghi chú", "version", created.json().get("version").asLong()));
        assertThat(note.status()).as(note.body()).isEqualTo(201);
        t.server.services().domain().attendance().roomConnected(String.valueOf(session), "QN25-BAI-CHAY", "endpoint-1",
                t.clock.instant());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void everyHistoryTableRefusesUpdatesAndDeletes() throws SQLException {
        try (Connection c = t.server.database().unpooledConnection(); Statement st = c.createStatement()) {
            for (String table : HISTORY) {
                try (ResultSet rs = st.executeQuery(TestStore.postgresql()
                        ? "SELECT count(*) FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid WHERE r.relname = '" + table
                                + "' AND (t.tgname LIKE '%no_update' OR t.tgname LIKE '%no_delete')"
                        : "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '"
                                + table + "' AND (name LIKE '%no_update' OR name LIKE '%no_delete')")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(table + " has both triggers").isEqualTo(2);
                }
                long rows = count(st, table);
                if (rows == 0) {
                    continue;
                }
                String column;
                try (ResultSet rs = st.executeQuery(TestStore.postgresql()
                        ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '"
                                + table + "' ORDER BY ordinal_position LIMIT 1"
                        : "SELECT name FROM pragma_table_info('" + table + "') LIMIT 1")) {
                    rs.next();
                    column = rs.getString(1);
                }
                assertThatThrownBy(() -> st.executeUpdate("UPDATE " + table + " SET " + column + " = " + column)).as(table)
                        .hasMessageContaining(table + " is append-only");
                assertThatThrownBy(() -> st.executeUpdate("DELETE FROM " + table)).as(table)
                        .hasMessageContaining(table + " is append-only");
                assertThat(count(st, table)).isEqualTo(rows);
            }
            for (String withRows : List.of("petition_versions", "petition_status_history", "petition_annotations",
                    "session_state_history", "attendance_events", "audit_log")) {
                assertThat(count(st, withRows)).as(withRows + " was exercised").isPositive();
            }
        }
    }

    @Test
    void theDataFolderDatabaseAndKeysAreOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        assertThat(mode(data)).isEqualTo("rwx------");
        if (!TestStore.postgresql()) { // a PostgreSQL store has no file here
            assertThat(mode(t.server.databaseFile())).isEqualTo("rw-------");
        }
        assertThat(mode(data.resolve("keys"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("keys").resolve("audit.key"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("keys").resolve("case-history.key"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("audit-checkpoints.jsonl"))).isEqualTo("rw-------");
        Path wal = dir.resolve("data").resolve("reception.db-wal");
        if (Files.exists(wal)) {
            assertThat(mode(wal)).as("SQLite gives the WAL the database file's mode").isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
