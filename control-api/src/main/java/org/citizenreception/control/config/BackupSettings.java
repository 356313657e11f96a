package org.citizenreception.control.config;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Optional;

/**
 * The scheduled backup (see {@code org.citizenreception.control.backup}).
 *
 * @param directory where each backup gets its own folder; best on another disk or a mounted share
 * @param dailyAt   the local time (Asia/Ho_Chi_Minh) of the daily backup; empty: no scheduled backup
 * @param keep      how many backups the schedule keeps in {@code directory}, newest first
 */
public record BackupSettings(Path directory, Optional<LocalTime> dailyAt, int keep) {
}
