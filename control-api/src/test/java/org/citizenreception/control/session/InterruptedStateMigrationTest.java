package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * V21 rebuilds the sessions table to allow INTERRUPTED, with foreign keys on as the server runs:
 * every session and every row that points at one (invitations, attendance) survives unchanged,
 * and no reference is left dangling.
 */
class InterruptedStateMigrationTest {
    @TempDir
    Path dir;

    @Test
    void sessionsAndTheRowsPointingAtThemSurviveTheRebuild() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("old.db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("17").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO rooms (code, name, level, created_at, updated_at) VALUES ('QN-VP', 'Văn phòng', 'PROVINCE', 'x', 'x')");
            st.executeUpdate("INSERT INTO reception_sessions (id, title, scheduled_start, scheduled_end, presiding_official, host_room_code, "
                    + "invitation_json, mode, recording, state, started_at, created_at) VALUES (7, 'Phiên', '2026-01-01T01:00:00Z', "
                    + "'2026-01-01T02:00:00Z', 'Chủ tịch', 'QN-VP', '{\"type\":\"ALL\"}', 'ONLINE', 1, 'LIVE', '2026-01-01T01:01:00Z', 'x')");
            st.executeUpdate("INSERT INTO session_invited_rooms (session_id, room_code) VALUES (7, 'QN-VP')");
            st.executeUpdate("INSERT INTO attendance_events (session_id, room_code, endpoint_id, kind, at) "
                    + "VALUES (7, 'QN-VP', 'ep', 'CONNECT', '2026-01-01T01:02:00Z')");
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT title, state, started_at FROM reception_sessions WHERE id = 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Phiên");
                assertThat(rs.getString(2)).isEqualTo("LIVE");
                assertThat(rs.getString(3)).isEqualTo("2026-01-01T01:01:00Z");
            }
            try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM session_invited_rooms), (SELECT COUNT(*) FROM attendance_events)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
            try (ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
                assertThat(rs.next()).as("no dangling reference").isFalse();
            }
            assertThat(st.executeUpdate("UPDATE reception_sessions SET state = 'INTERRUPTED' WHERE id = 7")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reception_sessions' "
                    + "AND name IN ('reception_sessions_start', 'reception_sessions_state', 'reception_sessions_presiding')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
    }
}
