package org.citizenreception.control.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints the audit chain's head every {@code audit.checkpoint-interval-seconds} and on request
 * (a session ended), on one thread of its own so a slow disk never delays the request that asked.
 */
public final class AuditCheckpointSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditCheckpointSchedule.class);
    private final AuditLog audit;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-checkpoints");
        t.setDaemon(true);
        return t;
    });

    public AuditCheckpointSchedule(AuditLog audit, Duration every) {
        this.audit = audit;
        long millis = every.toMillis();
        thread.scheduleWithFixedDelay(this::checkpoint, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Checkpoints soon, after whatever is committing now (e.g. the session end's own entry). */
    public void checkpointSoon() {
        if (!thread.isShutdown()) {
            thread.execute(this::checkpoint);
        }
    }

    private void checkpoint() {
        try {
            audit.checkpoint();
        } catch (RuntimeException e) {
            log.error("audit checkpoint failed", e);
        }
    }

    /** Writes a last checkpoint, so a restart (or a copy of the data folder) starts from a known head. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint();
    }
}
