package org.citizenreception.control.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.citizenreception.control.config.AuditSettings;
import org.citizenreception.control.config.BackupSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily backup inside the server: at {@code backup.daily-at} (Vietnam's time) a new folder
 * under {@code backup.directory}, then the oldest beyond {@code backup.keep} deleted (only after a
 * backup succeeded, so a failing disk never eats the good ones). {@code /metrics} shows
 * {@code reception_api_backup_last_success_seconds} (Unix time, 0 before the first) for an alert
 * on "no backup for 26 hours", and {@code reception_api_backup_failures_total}.
 */
public final class BackupSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);
    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    private final BackupSettings settings;
    private final Path database;
    private final AuditSettings audit;
    private final Path caseHistoryKey;
    private final Clock clock;
    /** Held here, strongly: Micrometer keeps only a weak reference to a gauge's object. */
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final Counter failures;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    public BackupSchedule(BackupSettings settings, Path database, AuditSettings audit, Path caseHistoryKey, Clock clock,
                          MeterRegistry meters) {
        this.settings = settings;
        this.caseHistoryKey = caseHistoryKey;
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        Gauge.builder("reception_api_backup_last_success_seconds", lastSuccessEpochSeconds, AtomicLong::get)
                .description("When the last backup succeeded (Unix time in seconds; 0: none since the server started)")
                .baseUnit("seconds").register(meters);
        this.failures = Counter.builder("reception_api_backup_failures").description("Backups that failed").register(meters);
        latestExisting().ifPresent(this::noteExisting);
        settings.dailyAt().ifPresent(at -> scheduleNext());
    }

    /** Takes a backup now (the schedule's job, also for tests); prunes after success. */
    public BackupWriter.Result backupNow() {
        try {
            BackupWriter.Result r = BackupWriter.write(database, audit, caseHistoryKey, settings.directory(), clock);
            lastSuccessEpochSeconds.set(r.at().getEpochSecond());
            log.info("backup written to {} ({} bytes of database, {} petitions, {} audit entries)", r.folder(), r.databaseBytes(),
                    r.petitions(), r.auditEntries());
            prune();
            return r;
        } catch (RuntimeException e) {
            failures.increment();
            log.error("backup failed: {}", e.getMessage(), e);
            throw e;
        }
    }

    /** The time after now when the next daily backup runs. */
    static Instant nextRun(Instant now, java.time.LocalTime dailyAt) {
        ZonedDateTime local = now.atZone(ZONE);
        ZonedDateTime next = local.with(dailyAt);
        return (next.isAfter(local) ? next : next.plusDays(1)).toInstant();
    }

    private void scheduleNext() {
        Instant next = nextRun(clock.instant(), settings.dailyAt().orElseThrow());
        long delayMillis = Math.max(0, Duration.between(clock.instant(), next).toMillis());
        timer.schedule(() -> {
            try {
                backupNow();
            } catch (RuntimeException alreadyLoggedAndCounted) {
                // tomorrow again; the metric shows the gap
            } finally {
                scheduleNext();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Deletes the oldest complete backups beyond {@code keep}; names sort by time. */
    void prune() {
        List<Path> backups = backups();
        for (int i = 0; i < backups.size() - settings.keep(); i++) {
            BackupWriter.deleteQuietly(backups.get(i));
            log.info("backup {} deleted (backup.keep = {})", backups.get(i), settings.keep());
        }
    }

    /** Complete backups in the directory, oldest first. */
    List<Path> backups() {
        if (!Files.isDirectory(settings.directory())) {
            return List.of();
        }
        try (var list = Files.list(settings.directory())) {
            return list.filter(p -> p.getFileName().toString().startsWith(BackupWriter.PREFIX)
                            && !p.getFileName().toString().endsWith(".partial") && Files.isRegularFile(p.resolve(BackupWriter.MANIFEST)))
                    .sorted().toList();
        } catch (IOException e) {
            log.warn("cannot list backups in {}: {}", settings.directory(), e.toString());
            return List.of();
        }
    }

    private java.util.Optional<Path> latestExisting() {
        List<Path> b = backups();
        return b.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(b.get(b.size() - 1));
    }

    /** A restart does not forget the last backup: the metric starts from the newest folder's manifest. */
    private void noteExisting(Path folder) {
        try {
            String createdAt = BackupWriter.JSON.readTree(folder.resolve(BackupWriter.MANIFEST).toFile()).path("createdAt").asText();
            lastSuccessEpochSeconds.set(Instant.parse(createdAt).getEpochSecond());
        } catch (IOException | RuntimeException e) {
            log.warn("backup {} has an unreadable manifest: {}", folder, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS); // a backup in progress finishes before the database closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
