package org.citizenreception.control.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * V25 rebuilds the rooms table to allow TOWNSHIP, with foreign keys on as the server runs: every
 * room, its parent link, and the rows that point at it (a session's invitation, an account's unit)
 * survive; a township stored as a commune before becomes a township; no other level changes.
 */
class TownshipLevelMigrationTest {
    @TempDir
    Path dir;

    @Test
    void roomsAndTheRowsPointingAtThemSurviveAndTownshipsGetTheirLevel() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("old.db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("24.1").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO rooms (code, name, level, created_at, updated_at) "
                    + "VALUES ('X', 'Thị trấn X', 'TOWNSHIP', 'x', 'x')")).as("before V25 the level is refused").isInstanceOf(SQLException.class);
            st.executeUpdate("INSERT INTO rooms (code, name, level, created_at, updated_at) VALUES ('QN-VP', 'Văn phòng', 'PROVINCE', 'c', 'u')");
            st.executeUpdate("INSERT INTO rooms (code, name, level, parent_code, valid_to, created_at, updated_at) "
                    + "VALUES ('QN24-TYE', 'Huyện Tiên Yên', 'DISTRICT', 'QN-VP', '2025-06-30', 'c', 'u')");
            st.executeUpdate("INSERT INTO rooms (code, name, level, parent_code, valid_to, created_at, updated_at) "
                    + "VALUES ('QN24-TYE-TT-TIEN-YEN', 'Thị trấn Tiên Yên', 'COMMUNE', 'QN24-TYE', '2025-06-30', 'c', 'u')");
            st.executeUpdate("INSERT INTO rooms (code, name, level, parent_code, valid_to, created_at, updated_at) "
                    + "VALUES ('QN24-TYE-PHONG-DU', 'Xã Phong Dụ', 'COMMUNE', 'QN24-TYE', '2025-06-30', 'c', 'u')");
            st.executeUpdate("INSERT INTO room_successions (predecessor_code, successor_code) VALUES ('QN24-TYE-TT-TIEN-YEN', 'QN25-TIEN-YEN')");
            st.executeUpdate("INSERT INTO reception_sessions (id, title, scheduled_start, scheduled_end, presiding_official, host_room_code, "
                    + "invitation_json, mode, recording, state, created_at) VALUES (7, 'Phiên', '2025-01-06T01:00:00Z', "
                    + "'2025-01-06T02:00:00Z', 'Chủ tịch', 'QN-VP', '{\"type\":\"ALL\"}', 'ONLINE', 1, 'ENDED', 'x')");
            st.executeUpdate("INSERT INTO session_invited_rooms (session_id, room_code) VALUES (7, 'QN24-TYE-TT-TIEN-YEN')");
            st.executeUpdate("INSERT INTO users (username, display_name, role, password_hash, created_at, unit_code) "
                    + "VALUES ('op.tt', 'Cán bộ thị trấn', 'ROOM_OPERATOR', 'h', 'x', 'QN24-TYE-TT-TIEN-YEN')");
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            Map<String, String> rows = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT code, level, parent_code, valid_to, created_at, updated_at FROM rooms ORDER BY code")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5) + "|" + rs.getString(6));
                }
            }
            assertThat(rows).containsExactly(
                    Map.entry("QN-VP", "PROVINCE|null|null|c|u"),
                    Map.entry("QN24-TYE", "DISTRICT|QN-VP|2025-06-30|c|u"),
                    Map.entry("QN24-TYE-PHONG-DU", "COMMUNE|QN24-TYE|2025-06-30|c|u"),
                    Map.entry("QN24-TYE-TT-TIEN-YEN", "TOWNSHIP|QN24-TYE|2025-06-30|c|u"));
            try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM session_invited_rooms), (SELECT unit_code FROM users WHERE username = 'op.tt'),"
                    + " (SELECT COUNT(*) FROM room_successions)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("QN24-TYE-TT-TIEN-YEN");
                assertThat(rs.getInt(3)).isEqualTo(1);
            }
            try (ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
                assertThat(rs.next()).as("no dangling reference").isFalse();
            }
            assertThat(st.executeUpdate("INSERT INTO rooms (code, name, level, parent_code, created_at, updated_at) "
                    + "VALUES ('QN24-BCH-TT-BA-CHE', 'Thị trấn Ba Chẽ', 'TOWNSHIP', 'QN-VP', 'x', 'x')")).isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO rooms (code, name, level, created_at, updated_at) "
                    + "VALUES ('V', 'Làng', 'VILLAGE', 'x', 'x')")).as("the level is still checked").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO rooms (code, name, level, parent_code, created_at, updated_at) "
                    + "VALUES ('Y', 'Xã Y', 'COMMUNE', 'NOPE', 'x', 'x')")).as("the parent is still a foreign key").isInstanceOf(SQLException.class);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'rooms_parent'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
