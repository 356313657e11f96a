package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * V24.1 on a database whose sessions name their presiding official as text without an account:
 * each distinct (trimmed) name becomes one leader of the list, every such session and schedule
 * points at it, the announced text stays, and a session presided by an account is left alone.
 */
class LeaderMigrationTest {
    @TempDir
    Path dir;

    @Test
    void typedNamesBecomeOneLeaderEachAndAccountsAreLeftAlone() throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("old.db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("24").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO rooms (code, name, level, created_at, updated_at) VALUES ('QN-VP', 'Văn phòng', 'PROVINCE', 'x', 'x')");
            st.executeUpdate("INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES "
                    + "(1, 'chutich', 'Chủ tịch UBND tỉnh', 'HOST', 'h', 'x')");
            Object[][] sessions = {{1, "Bí thư Tỉnh ủy", null}, {2, "  Bí thư Tỉnh ủy ", null}, {3, "Chủ tịch UBND huyện Ba Chẽ", null},
                {4, "Chủ tịch UBND tỉnh", 1L}};
            for (Object[] s : sessions) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO reception_sessions (id, title, scheduled_start, scheduled_end, "
                        + "presiding_official, host_room_code, invitation_json, mode, recording, state, created_at, presiding_user_id) VALUES "
                        + "(?, 't', '2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z', ?, 'QN-VP', '{\"type\":\"ALL\"}', 'ONLINE', 1, 'ENDED', 'x', ?)")) {
                    ps.setInt(1, (Integer) s[0]);
                    ps.setString(2, (String) s[1]);
                    ps.setObject(3, s[2]);
                    ps.executeUpdate();
                }
            }
            st.executeUpdate("INSERT INTO session_schedules (id, title, recurrence_json, start_time, end_time, time_zone, valid_from, "
                    + "horizon_days, presiding_official, host_room_code, invitation_json, mode, recording, created_at) VALUES "
                    + "(1, 't', '{}', '08:00', '11:00', 'Asia/Ho_Chi_Minh', '2025-01-01', 30, 'Chủ tịch UBND huyện Ba Chẽ', 'QN-VP', '{}', 'ONLINE', 1, 'x')");
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            Map<String, Long> leaders = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT name, id, filed_from FROM leaders")) {
                while (rs.next()) {
                    leaders.put(rs.getString(1), rs.getLong(2));
                    assertThat(rs.getString(3)).isEqualTo("typed name");
                }
            }
            assertThat(leaders).containsOnlyKeys("Bí thư Tỉnh ủy", "Chủ tịch UBND huyện Ba Chẽ");
            Map<Integer, Long> filed = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT id, presiding_leader_id, presiding_official FROM reception_sessions")) {
                while (rs.next()) {
                    long leader = rs.getLong(2);
                    Long leaderId = rs.wasNull() ? null : leader;
                    filed.put(rs.getInt(1), leaderId);
                    assertThat(rs.getString(3)).as("the announced text stays").isNotBlank();
                }
            }
            assertThat(filed).containsEntry(1, leaders.get("Bí thư Tỉnh ủy")).containsEntry(2, leaders.get("Bí thư Tỉnh ủy"))
                    .containsEntry(3, leaders.get("Chủ tịch UBND huyện Ba Chẽ")).containsEntry(4, null);
            try (ResultSet rs = st.executeQuery("SELECT presiding_leader_id FROM session_schedules WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(leaders.get("Chủ tịch UBND huyện Ba Chẽ"));
            }
        }
    }
}
