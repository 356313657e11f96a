package org.citizenreception.control.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs database work in a transaction: all of it commits, or none of it does.
 *
 * <pre>{@code
 * Petition created = Transactions.inTransaction(database, c -> {
 *     Petition p = petitions.insert(c, draft);                       // repository takes the connection
 *     audit.record(c, principal, remote, "petition.create", "petition", p.id(), Map.of("kind", p.kind()));
 *     Transactions.afterCommit(() -> events.publish(p));             // only once it is durable
 *     return p;
 * });
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@link #inTransaction} is for anything that writes. It takes the single writer connection
 *       and begins with {@code BEGIN IMMEDIATE}; writers take turns in arrival order (a fair lock)
 *       and never see {@code SQLITE_BUSY}. Keep the work short (no HTTP calls, no waiting on other
 *       threads): every other writer in the process waits for it.</li>
 *   <li>{@link #read} is for queries. It runs on a read-only connection in one snapshot, in parallel
 *       with the writer. Inside an open write transaction it joins that transaction instead, so it
 *       sees the transaction's own uncommitted rows.</li>
 *   <li>Any exception thrown by the work rolls everything back and propagates: a
 *       {@link RuntimeException} (such as an {@code ApiException}) unchanged, an
 *       {@link SQLException} wrapped in a {@link StoreException}.</li>
 *   <li>A nested {@code inTransaction} on the same thread joins the outer transaction (there are no
 *       savepoints): the outer one decides commit or rollback. This is how services compose, e.g.
 *       a service method that also records to the audit log.</li>
 *   <li>{@link #afterCommit} registers an action to run after the outermost commit (publishing a
 *       live event, notifying the media bridge). It never runs if the transaction rolls back.</li>
 * </ul>
 *
 * <p>Durability: the database runs {@code synchronous=FULL}, so when {@code inTransaction}
 * returns, the change is on disk; only then may a request answer 2xx.
 */
public final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    /**
     * The write transaction open on this thread. A ThreadLocal because a transaction belongs to the
     * request thread that opened it; it lets nested calls join instead of deadlocking on the
     * single writer connection.
     */
    private static final ThreadLocal<Open> CURRENT = new ThreadLocal<>();
    /**
     * The read snapshot open on this thread, so a nested {@link #read} joins it instead of taking a
     * second pooled reader (a handful of threads each holding one and waiting for another would
     * exhaust the pool).
     */
    private static final ThreadLocal<Connection> READING = new ThreadLocal<>();

    private record Open(Database database, Connection connection, List<Runnable> afterCommit) {
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a write transaction and commits it; rolls back on any exception.
     *
     * @return what the work returned
     * @throws StoreException when the database fails (the transaction is rolled back)
     */
    public static <T> T inTransaction(Database database, SqlWork<T> work) {
        Open open = CURRENT.get();
        if (open != null) {
            requireSame(open, database);
            return runJoined(open.connection(), work);
        }
        List<Runnable> afterCommit = new ArrayList<>();
        T result;
        awaitWriterTurn(database);
        try (Connection c = database.writerConnection()) {
            // With the IMMEDIATE transaction mode of the writer pool, this issues BEGIN IMMEDIATE.
            c.setAutoCommit(false);
            CURRENT.set(new Open(database, c, afterCommit));
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                CURRENT.remove();
                // Ends the driver's next implicit transaction so the idle writer holds no lock.
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("write transaction failed", e);
        } finally {
            database.writerTurn().unlock();
        }
        for (Runnable action : afterCommit) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // The change is committed and the caller must learn so; a failed side effect is logged.
                log.error("an after-commit action failed; the transaction itself is committed", e);
            }
        }
        return result;
    }

    /**
     * Runs read-only {@code work} on one consistent snapshot. Inside an open write transaction of
     * this thread, joins it; inside another {@code read}, joins that snapshot. A write transaction
     * opened inside a read is separate (it commits on its own; the read does not see it).
     *
     * @throws StoreException when the database fails
     */
    public static <T> T read(Database database, SqlWork<T> work) {
        Open open = CURRENT.get();
        if (open != null) {
            requireSame(open, database);
            return runJoined(open.connection(), work);
        }
        Connection reading = READING.get();
        if (reading != null) {
            return runJoined(reading, work);
        }
        try (Connection c = database.readerConnection()) {
            c.setAutoCommit(false);
            READING.set(c);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                READING.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        }
    }

    /**
     * Runs {@code action} after the write transaction open on this thread commits; never when it
     * rolls back. Outside a transaction it runs at once.
     */
    public static void afterCommit(Runnable action) {
        Open open = CURRENT.get();
        if (open == null) {
            action.run();
        } else {
            open.afterCommit().add(action);
        }
    }

    /** Whether this thread is inside {@link #inTransaction}. */
    public static boolean isWriting() {
        return CURRENT.get() != null;
    }

    private static void awaitWriterTurn(Database database) {
        long startNanos = System.nanoTime();
        try {
            boolean acquired = database.writerTurn().tryLock(database.writerWaitMillis(), TimeUnit.MILLISECONDS);
            database.recordWriterWait(System.nanoTime() - startNanos);
            if (!acquired) {
                throw new StoreException("write transaction failed", new SQLTimeoutException(
                        "no turn to write within " + database.writerWaitMillis() + " ms"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("write transaction failed", new SQLTimeoutException("interrupted waiting to write"));
        }
    }

    private static <T> T runJoined(Connection c, SqlWork<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("statement in the open transaction failed", e);
        }
    }

    private static void requireSame(Open open, Database database) {
        if (open.database() != database) {
            throw new IllegalStateException("a transaction on another database is already open on this thread");
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
