package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * V13 on a database that has sessions with typed presiding names: a name links to a HOST account
 * only when exactly one host carries it (display name or username, spaces and ASCII case ignored);
 * anything else keeps its text alone rather than counting for a guessed leader.
 */
class PresidingMigrationTest {
    @TempDir
    Path dir;

    @Test
    void typedNamesLinkToTheOneHostAccountCarryingThemAndNothingElseIsGuessed() throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("old.db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("12").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO rooms (code, name, level, created_at, updated_at) VALUES ('QN-VP', 'Văn phòng', 'PROVINCE', 'x', 'x')");
            st.executeUpdate("INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES "
                    + "(1, 'chutich', 'Chủ tịch UBND tỉnh', 'HOST', 'h', 'x'), (2, 'Nguyen.Van.A', 'Nguyễn Văn A', 'HOST', 'h', 'x'), "
                    + "(3, 'pct1', 'Phó Chủ tịch', 'HOST', 'h', 'x'), (4, 'pct2', 'Phó Chủ tịch', 'HOST', 'h', 'x'), "
                    + "(5, 'thuky', 'Thư ký Lan', 'SECRETARY', 'h', 'x')");
            Map<Integer, String> typed = new LinkedHashMap<>();
            typed.put(1, "Chủ tịch UBND tỉnh");
            typed.put(2, "  nguyen.van.a ");
            typed.put(3, "Phó Chủ tịch");
            typed.put(4, "Thư ký Lan");
            typed.put(5, "Ông Trần Văn B");
            for (Map.Entry<Integer, String> e : typed.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO reception_sessions (id, title, scheduled_start, scheduled_end, "
                        + "presiding_official, host_room_code, invitation_json, mode, recording, state, created_at) VALUES "
                        + "(?, 't', '2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z', ?, 'QN-VP', '{\"type\":\"ALL\"}', 'ONLINE', 1, 'ENDED', 'x')")) {
                    ps.setInt(1, e.getKey());
                    ps.setString(2, e.getValue());
                    ps.executeUpdate();
                }
            }
            st.executeUpdate("INSERT INTO session_schedules (id, title, recurrence_json, start_time, end_time, time_zone, valid_from, "
                    + "horizon_days, presiding_official, host_room_code, invitation_json, mode, recording, created_at) VALUES "
                    + "(1, 't', '{}', '08:00', '11:00', 'Asia/Ho_Chi_Minh', '2025-01-01', 30, 'Chủ tịch UBND tỉnh', 'QN-VP', '{}', 'ONLINE', 1, 'x')");
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            Map<Integer, Long> linked = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, presiding_user_id, presiding_official FROM reception_sessions ORDER BY id")) {
                while (rs.next()) {
                    long user = rs.getLong(2);
                    Long id = rs.wasNull() ? null : user;
                    linked.put(rs.getInt(1), id);
                    assertThat(rs.getString(3)).as("the typed name is kept").isNotBlank();
                }
            }
            assertThat(linked).containsEntry(1, 1L).containsEntry(2, 2L)
                    .as("two hosts share the name, a secretary's name, an unknown name").containsEntry(3, null).containsEntry(4, null)
                    .containsEntry(5, null);
            try (ResultSet rs = st.executeQuery("SELECT presiding_user_id FROM session_schedules WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1L);
            }
        }
    }
}
