package org.citizenreception.control.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily backup runs at the configured Vietnamese time, keeps {@code backup.keep} backups (the
 * newest), and /metrics tells when the last one succeeded, also after a restart.
 */
class BackupScheduleTest {
    /** Backup and restore are SQLite's online backup of the file; a PostgreSQL store is backed up with pg_dump. */
    @org.junit.jupiter.api.BeforeEach
    void sqliteOnly() {
        assumeFalse(TestStore.postgresql(), "backup is SQLite's; PostgreSQL: pg_dump");
    }

    @TempDir
    Path dir;

    @Test
    void theDailyBackupRunsAtTheConfiguredTimeInVietnam() {
        Instant eightInHanoi = Instant.parse("2026-03-02T01:00:00Z");
        assertThat(BackupSchedule.nextRun(eightInHanoi, LocalTime.of(2, 30))).isEqualTo(Instant.parse("2026-03-02T19:30:00Z"));
        assertThat(BackupSchedule.nextRun(eightInHanoi, LocalTime.of(9, 0))).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
        assertThat(BackupSchedule.nextRun(eightInHanoi, LocalTime.of(8, 0))).as("not twice at the same instant")
                .isEqualTo(Instant.parse("2026-03-03T01:00:00Z"));
    }

    @Test
    void theNewestBackupsAreKeptAndTheMetricSaysWhenTheLastSucceeded() throws Exception {
        Path backups = dir.resolve("backups");
        Instant last;
        try (TestServer t = TestServer.start(dir, "--backup.directory=" + backups, "--backup.keep=2")) {
            assertThat(metric(t)).as("no backup yet").isZero();
            for (int i = 0; i < 3; i++) {
                t.server.backups().backupNow();
                t.clock.advance(Duration.ofMinutes(1));
            }
            last = t.clock.instant().minus(Duration.ofMinutes(1));
            assertThat(metric(t)).isEqualTo(last.getEpochSecond());
        }
        List<String> kept;
        try (var list = Files.list(backups)) {
            kept = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(kept).containsExactly("reception-backup-20260302T010100Z", "reception-backup-20260302T010200Z");
        try (TestServer restarted = TestServer.start(dir, "--backup.directory=" + backups)) {
            assertThat(metric(restarted)).as("read back from the newest manifest").isEqualTo(last.getEpochSecond());
        }
    }

    private static long metric(TestServer t) {
        Matcher m = Pattern.compile("(?m)^reception_api_backup_last_success_seconds ([0-9.E]+)$").matcher(t.get("/metrics", null).body());
        assertThat(m.find()).as("the metric is exported").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
