package org.citizenreception.control.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit entries of concurrent callers (a join storm's WHEP POSTs) share write transactions, on
 * a real SQLite file: every caller returns only once its entry is committed, the chain verifies,
 * and a held-up writer turn costs one transaction for all who queued behind it, not one each.
 */
class BatchedAuditRecorderTest {
    private static final int CALLERS = 40;
    private static final long WITHIN_MILLIS = 60_000;

    @TempDir
    Path dir;
    TestServer t;
    AuditLog audit;
    Database database;
    BatchedAuditRecorder recorder;
    final Principal room = new Principal(0, "room:QN25-BAI-CHAY", Role.ROOM_OPERATOR, Optional.of("QN25-BAI-CHAY"));

    @BeforeEach
    void start() {
        t = TestServer.start(dir);
        audit = t.server.services().audit();
        database = t.server.database();
        recorder = new BatchedAuditRecorder(audit);
        recorder.record(room, "127.0.0.1", "media.watch", "session", "warm-up", Map.of("endpoint", "warm-up"));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void callersQueuedBehindABusyWriterShareOneCommitAndEachEntryIsDurableWhenItsCallerReturns() throws Exception {
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> Transactions.inTransaction(database, c -> {
            writerHeld.countDown();
            try {
                releaseWriter.await(WITHIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(writerHeld.await(WITHIN_MILLIS, TimeUnit.MILLISECONDS)).isTrue();

        List<Thread> callers = new ArrayList<>();
        List<CompletableFuture<AuditEntry>> outcomes = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            String endpoint = "endpoint-" + i;
            // one caller's detail names a personal-data key: refused alone, the rest of its batch stored
            Map<String, String> detail = i == 7 ? Map.of("endpoint", endpoint, "phone", "0912345678") : Map.of("endpoint", endpoint);
            CompletableFuture<AuditEntry> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            Thread caller = new Thread(() -> {
                try {
                    AuditEntry entry = recorder.record(room, "127.0.0.1", "media.watch", "session", "42", detail);
                    // returned, so committed: a fresh read connection must see it
                    outcome.complete(committedRow(entry.seq()) ? entry : null);
                } catch (RuntimeException e) {
                    outcome.completeExceptionally(e);
                }
            }, "caller-" + i);
            callers.add(caller);
            caller.start();
        }
        // Every caller is parked: one (the writer of the batch) waiting for the turn, the others for their outcome.
        waitUntil(() -> callers.stream().allMatch(c -> c.getState() == Thread.State.WAITING
                || c.getState() == Thread.State.TIMED_WAITING), "every caller has queued its entry");
        long commitsBefore = database.commits();
        releaseWriter.countDown();
        blocker.get(WITHIN_MILLIS, TimeUnit.MILLISECONDS);

        Set<Long> seqs = new HashSet<>();
        for (int i = 0; i < CALLERS; i++) {
            if (i == 7) {
                int refused = i;
                assertThatThrownBy(() -> outcomes.get(refused).get(WITHIN_MILLIS, TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
                continue;
            }
            AuditEntry entry = outcomes.get(i).get(WITHIN_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(entry).as("caller %d's entry was committed when it returned", i).isNotNull();
            assertThat(entry.detail().get("endpoint").asText()).isEqualTo("endpoint-" + i);
            seqs.add(entry.seq());
        }
        assertThat(seqs).hasSize(CALLERS - 1);
        // the blocker's own commit, the batch writer's first (its own entry, taken before the others
        // queued), and one for everyone who queued behind the busy writer
        assertThat(database.commits() - commitsBefore).isLessThanOrEqualTo(3);
        assertThat(countRows("media.watch", "42")).isEqualTo(CALLERS - 1);
        assertThat(audit.verify().valid()).isTrue();
    }

    @Test
    void insideAnOpenTransactionTheEntryJoinsItAndRollsBackWithIt() {
        assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
            recorder.record(room, "127.0.0.1", "media.watch", "session", "43", Map.of("endpoint", "rolled-back"));
            throw new IllegalStateException("the caller's change fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(countRows("media.watch", "43")).isZero();

        recorder.record(room, "127.0.0.1", "media.watch", "session", "43", Map.of("endpoint", "kept"));
        assertThat(countRows("media.watch", "43")).isEqualTo(1);
    }

    private boolean committedRow(long seq) {
        try (Connection c = database.unpooledConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM audit_log WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long countRows(String action, String entityId) {
        return Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log WHERE action = ? AND entity_id = ?")) {
                ps.setString(1, action);
                ps.setString(2, entityId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WITHIN_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WITHIN_MILLIS + " ms: " + what);
            }
            Thread.sleep(10); // polling a condition, not timing
        }
    }
}
