package org.citizenreception.control.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 *   <li>{@link #inTransaction} is for anything that writes. It takes the single writer connection;
 *       writers take turns in arrival order (a fair lock) and never see {@code SQLITE_BUSY}. Keep
 *       the work short (no HTTP calls, no waiting on other threads): every other writer in the
 *       process waits for it, and so do the writers whose commit it shares (below).</li>
 *   <li>{@link #read} is for queries. It runs on a read-only connection in one snapshot, in parallel
 *       with the writer. Inside an open write transaction it joins that transaction instead, so it
 *       sees the transaction's own uncommitted rows.</li>
 *   <li>Any exception thrown by the work rolls back everything the work did and propagates: a
 *       {@link RuntimeException} (such as a {@code DomainException}) unchanged, an
 *       {@link SQLException} wrapped in a {@link StoreException}. Other writers are not affected.</li>
 *   <li>A nested {@code inTransaction} on the same thread joins the outer work (it opens no
 *       savepoint of its own): the outer one decides commit or rollback. This is how services
 *       compose, e.g. a service method that also records to the audit log.</li>
 *   <li>{@link #afterCommit} registers an action to run after the commit (publishing a live event,
 *       notifying the media bridge), on the writer's own thread, in registration order. It never
 *       runs if the work rolls back or the commit fails.</li>
 * </ul>
 *
 * <h2>Group commit</h2>
 * The database runs {@code synchronous=FULL}: every COMMIT fsyncs the WAL, and that fsync (a few ms,
 * tens of ms at the tail on a busy disk) dominates a write. With one writer connection, writers
 * taking turns each paying their own fsync cap the process at one fsync's worth of writes, and a
 * queue of fifty writers waits fifty fsyncs. So concurrent writers share commits:
 * <ol>
 *   <li>A writer that gets its turn while no group is open begins one ({@code BEGIN IMMEDIATE}) and
 *       leads it; one that gets its turn while a group is open joins it.</li>
 *   <li>Each writer's work runs inside its own {@code SAVEPOINT}. If the work throws, only its
 *       savepoint is rolled back ({@code ROLLBACK TO}); its exception goes to its caller alone
 *       (once the group's COMMIT is over), and what the earlier members wrote stays in the group.
 *       Counters bumped in the work (the register number) go back with the savepoint, so numbering
 *       stays gapless.</li>
 *   <li>After {@code RELEASE} of its savepoint, a writer hands its turn on when others are queued
 *       for it and the group is below its cap ({@value #MAX_GROUP_MEMBERS} writers, or
 *       {@value #MAX_GROUP_MILLIS} ms since the group began), and waits for the group's commit.
 *       Otherwise it COMMITs: one fsync makes the whole group durable, and it wakes the others.</li>
 * </ol>
 * Each member sees the released work of the members before it (they ran earlier on the same
 * connection, one at a time under the lock), so read-then-write rules such as the audit log's hash
 * chain ({@code AuditLog}) and the gapless register see the same order as if each had committed.
 *
 * <p>Durability is unchanged: {@code inTransaction} returns to a member only after the COMMIT that
 * contains its work succeeded, i.e. after the fsync; only then may a request answer 2xx. If that
 * COMMIT fails, every member of the group gets a {@link StoreException} and none of their
 * {@code afterCommit} actions runs; nothing of the group is stored (SQLite commits a transaction
 * entirely or not at all), so a crash at any instant loses only work whose caller has not been
 * answered. When SQLite itself abandons the transaction mid-group (it does on {@code SQLITE_FULL},
 * I/O errors or out of memory), the whole group fails the same way.
 *
 * <p>Limits: a group takes new members only while it is younger than {@value #MAX_GROUP_MILLIS} ms
 * and smaller than {@value #MAX_GROUP_MEMBERS}, so beyond its own turn a member waits at most for
 * the rest of that window, the work of the members that joined within it, and one fsync. The
 * window is about two median fsyncs of the disk this runs on: long enough that the writers arriving
 * during one COMMIT share the next, short enough not to matter next to the fsync itself. Group
 * commit amortizes the fsync; it does not hide it: every write still waits for one, so a slow
 * fsync (the disk's tail) is still seen by every member of its group. A single writer with nobody
 * queued behind it commits at once, as before; a writer whose long work (an import) is in a group
 * delays the commit of the members before it. A member that handed its turn on and sees no commit
 * within {@value #RESCUE_MILLIS} ms (the writer it was handed to gave up waiting) queues for a turn
 * again and commits the group itself.
 */
public final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    /** At most this many writers share one COMMIT. */
    static final int MAX_GROUP_MEMBERS = 64;
    /** A group no longer takes new members once it is this old: the first member's extra wait. */
    static final long MAX_GROUP_MILLIS = 5;
    /** How long a member waits for its group's commit before it takes a turn to commit it itself. */
    static final long RESCUE_MILLIS = 200;
    private static final String SAVEPOINT = "crl_write";

    /**
     * The write work open on this thread. A ThreadLocal because a transaction belongs to the
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

    /**
     * Writers sharing one transaction on the writer connection. The counters are touched only by the
     * holder of the writer turn; the outcome is published through the latch.
     */
    private static final class Group {
        final Connection connection;
        final long startedNanos = System.nanoTime();
        int joined;
        /** Members whose work succeeded and is released into the group. */
        int succeeded;
        private final CountDownLatch done = new CountDownLatch(1);
        /** Null when committed; set before {@link #done} opens. */
        private SQLException failure;

        Group(Connection connection) {
            this.connection = connection;
        }

        void complete(SQLException failure) {
            this.failure = failure;
            done.countDown();
        }
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a write transaction and commits it; rolls back the work on any exception.
     * Returns only once the work is durable (possibly committed together with other writers' work).
     *
     * @return what the work returned
     * @throws StoreException when the database fails (nothing of the work is stored)
     */
    public static <T> T inTransaction(Database database, SqlWork<T> work) {
        Open open = CURRENT.get();
        if (open != null) {
            requireSame(open, database);
            return runJoined(open.connection(), work);
        }
        awaitWriterTurn(database);
        // Holding the turn from here until this writer hands it on or commits the group.
        Group group;
        try {
            group = joinOrBegin(database);
        } catch (SQLException e) {
            database.writerTurn().unlock();
            throw new StoreException("write transaction failed", e);
        } catch (RuntimeException | Error e) {
            database.writerTurn().unlock();
            throw e;
        }
        group.joined++;
        Connection c = group.connection;
        List<Runnable> afterCommit = new ArrayList<>();
        T result = null;
        Throwable failed = null;
        boolean groupLost = false;
        try {
            execute(c, "SAVEPOINT " + SAVEPOINT);
        } catch (SQLException e) {
            failed = e;
            groupLost = true;
        }
        if (!groupLost) {
            CURRENT.set(new Open(database, c, afterCommit));
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException | Error e) {
                failed = e;
            } finally {
                CURRENT.remove();
            }
            try {
                if (failed != null) {
                    execute(c, "ROLLBACK TO " + SAVEPOINT);
                }
                execute(c, "RELEASE " + SAVEPOINT);
            } catch (SQLException e) {
                // "no such savepoint": SQLite rolled the whole transaction back by itself (SQLITE_FULL,
                // an I/O error, out of memory), taking the earlier members' work with it.
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
                groupLost = true;
            }
        }
        if (groupLost) {
            abandonGroup(database, group, failed);
            throw propagate(failed);
        }
        SQLException commitFailure;
        if (failed == null) {
            group.succeeded++;
        }
        if (mayHandOn(database, group)) {
            database.writerTurn().unlock();
            commitFailure = awaitCommit(database, group);
        } else {
            commitFailure = commitGroup(database, group);
        }
        if (failed != null) {
            // Its own work was rolled back to its savepoint. It still waited for the group, so a refusal
            // based on an earlier member's row is only answered once that row is stored.
            if (commitFailure != null) {
                failed.addSuppressed(commitFailure);
            }
            throw propagate(failed);
        }
        if (commitFailure != null) {
            throw new StoreException("write transaction failed", commitFailure);
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

    /** Joins the open group, or begins one; the caller holds the writer turn. */
    private static Group joinOrBegin(Database database) throws SQLException {
        Group open = (Group) database.openGroup();
        if (open != null) {
            return open;
        }
        Connection c = database.writerConnection();
        try {
            // With the IMMEDIATE transaction mode of the writer pool, this issues BEGIN IMMEDIATE.
            c.setAutoCommit(false);
            database.beginWriteGroup(c);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        Group group = new Group(c);
        database.openGroup(group);
        return group;
    }

    /** Whether the turn holder may leave the group open for the next writer instead of committing it. */
    private static boolean mayHandOn(Database database, Group group) {
        return database.writerTurn().hasQueuedThreads()
                && group.joined < database.maxGroupMembers()
                && System.nanoTime() - group.startedNanos < database.groupWindowNanos();
    }

    /**
     * Commits (or, with no successful member, rolls back) the group, releases the writer turn and
     * wakes the members. The caller holds the turn.
     *
     * @return null when committed, else why not
     */
    private static SQLException commitGroup(Database database, Group group) {
        database.openGroup(null);
        Connection c = group.connection;
        SQLException failure = null;
        try {
            try {
                if (group.succeeded > 0) {
                    c.commit(); // the one fsync of the group
                } else {
                    c.rollback();
                }
            } catch (SQLException e) {
                failure = e;
                rollback(c, e);
            }
            release(c, failure);
            if (failure == null && group.succeeded > 0) {
                database.recordCommit(group.succeeded);
            }
        } catch (RuntimeException | Error e) {
            failure = new SQLException("the write group's commit failed", e);
            throw e;
        } finally {
            database.writerTurn().unlock();
            group.complete(failure);
        }
        return failure;
    }

    /** Rolls back a group whose transaction SQLite has abandoned; every member fails. The caller holds the turn. */
    private static void abandonGroup(Database database, Group group, Throwable cause) {
        database.openGroup(null);
        SQLException failure = new SQLException("the write group's transaction was rolled back; nothing of it was stored", cause);
        try {
            rollback(group.connection, failure);
            release(group.connection, failure);
        } finally {
            database.writerTurn().unlock();
            group.complete(failure);
        }
    }

    /** Ends the driver's next implicit transaction (so the idle writer holds no lock) and returns the connection. */
    private static void release(Connection c, SQLException failure) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                log.error("could not end the writer's idle transaction after a commit", e);
            }
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.error("could not return the writer connection", e);
        }
    }

    /**
     * Waits, after handing the turn on, until the group is committed. If nobody has committed it after
     * {@link #RESCUE_MILLIS} (the writer the turn went to gave up waiting), takes a turn and commits
     * whatever group is open. Not interruptible: the caller must learn whether its work is stored.
     *
     * @return null when committed, else why not
     */
    private static SQLException awaitCommit(Database database, Group group) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (group.done.await(RESCUE_MILLIS, TimeUnit.MILLISECONDS)) {
                        return group.failure;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                database.writerTurn().lock();
                Group open = (Group) database.openGroup();
                if (open != null) {
                    commitGroup(database, open); // ours, or a later one that handed its turn to us
                } else {
                    database.writerTurn().unlock();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException propagate(Throwable failed) {
        if (failed instanceof SQLException e) {
            return new StoreException("write transaction failed", e);
        }
        if (failed instanceof Error e) {
            throw e;
        }
        return (RuntimeException) failed;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
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
