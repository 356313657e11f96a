package org.citizenreception.control.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.store.Transactions;

/**
 * Records the audit entries of many concurrent requests in shared write transactions: whichever
 * caller finds nobody writing writes every entry queued so far in one transaction (one turn at the
 * single writer, one commit), the others wait for their own entry's outcome.
 *
 * <p>Why: a join storm is 200 WHEP POSTs in a second, each answered only once its audit entry is
 * durable. Through {@link AuditLog#record} each takes its own turn at the writer; the turn passes
 * from thread to thread, and on two loaded cores every hand-off waits for the next thread to be
 * scheduled, so the 200th POST waited seconds for 199 hand-offs (measured: the answer phase's
 * p50 was the writer turn's queue). Here the waiting callers are woken all at once, in parallel,
 * when the transaction holding their entry has committed.
 *
 * <p>Durability is {@link AuditLog#record}'s: {@link #record} returns only after the COMMIT that
 * holds the entry, so an answer sent after it never names an entry a crash could lose. A commit
 * that fails fails every entry of its batch (nothing of it is stored). An entry refused before any
 * SQL ran for it (a personal-data key, a blank action) fails alone. Inside a write transaction
 * already open on the calling thread, the entry joins that transaction as with {@link AuditLog}.
 */
public final class BatchedAuditRecorder {
    /** One transaction's worth: big enough for a join storm, small enough that its commit is not late for the first. */
    static final int MAX_BATCH = 256;

    private final AuditLog audit;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Held by the caller that is writing a batch. */
    private final ReentrantLock writing = new ReentrantLock();

    private record Pending(Principal actor, String remoteAddress, String action, String entityType, String entityId,
                           Map<String, ?> detail, CompletableFuture<AuditEntry> outcome) {
    }

    public BatchedAuditRecorder(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * As {@link AuditLog#record(Principal, String, String, String, String, Map)}: returns once the
     * entry is committed.
     *
     * @throws IllegalArgumentException when the entry itself is refused (see {@link AuditLog})
     * @throws org.citizenreception.control.store.StoreException when the transaction holding it failed
     */
    public AuditEntry record(Principal actor, String remoteAddress, String action, String entityType, String entityId,
                             Map<String, ?> detail) {
        if (Transactions.isWriting()) {
            return audit.record(actor, remoteAddress, action, entityType, entityId, detail);
        }
        Pending pending = new Pending(actor, remoteAddress, action, entityType, entityId, detail, new CompletableFuture<>());
        queue.add(pending);
        writeWhileQueued();
        return outcome(pending.outcome());
    }

    /** Entries waiting for a writer; for tests. */
    int queued() {
        return queue.size();
    }

    /**
     * Writes batches while entries are queued and nobody else is writing. A caller that finds the
     * lock held leaves its entry to the holder: the holder looks at the queue again after it
     * unlocks (the queue insert precedes the failed tryLock, the unlock precedes the holder's look,
     * both volatile, so one of the two always sees the other), and so no entry is stranded.
     */
    private void writeWhileQueued() {
        while (!queue.isEmpty() && writing.tryLock()) {
            try {
                List<Pending> batch = new ArrayList<>();
                Pending next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } finally {
                writing.unlock();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<AuditEntry> entries = new ArrayList<>(batch.size());
        List<IllegalArgumentException> refusals = new ArrayList<>(batch.size());
        try {
            audit.inTransaction(c -> {
                entries.clear();
                refusals.clear();
                for (Pending p : batch) {
                    try {
                        entries.add(audit.record(c, p.actor(), p.remoteAddress(), p.action(), p.entityType(), p.entityId(),
                                p.detail()));
                        refusals.add(null);
                    } catch (IllegalArgumentException e) {
                        // refused while checking its fields, before any statement of its own ran
                        entries.add(null);
                        refusals.add(e);
                    }
                }
                return null;
            });
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.outcome().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (refusals.get(i) != null) {
                batch.get(i).outcome().completeExceptionally(refusals.get(i));
            } else {
                batch.get(i).outcome().complete(entries.get(i));
            }
        }
    }

    /** Waits (not interruptibly: the caller must learn whether its entry is stored) for the outcome. */
    private static AuditEntry outcome(CompletableFuture<AuditEntry> outcome) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
