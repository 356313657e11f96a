package org.citizenreception.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real SQLite file: members share one COMMIT, a failing member rolls back alone,
 * a failing COMMIT fails every member, and nobody returns before the COMMIT.
 */
class GroupCommitTest {
    @TempDir
    Path dir;
    Database database;
    ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        database = TestStore.open(dir.resolve("g.db"));
        Transactions.inTransaction(database, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE note (id " + TestStore.autoIncrementId() + ", text TEXT NOT NULL UNIQUE)");
                st.execute("CREATE TABLE parent (id " + TestStore.autoIncrementId() + ")");
                st.execute("CREATE TABLE child (id " + TestStore.autoIncrementId() + ", parent_id BIGINT NOT NULL"
                        + " REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        database.close();
    }

    @Test
    void manyConcurrentWritersShareCommitsAndAFailingOneAffectsOnlyItself() throws Exception {
        Transactions.inTransaction(database, c -> insert(c, "taken"));
        long commitsBefore = database.commits();
        long writesBefore = database.committedWrites();
        int threads = 16;
        int perThread = 30;
        Map<String, String> afterCommitThread = new ConcurrentHashMap<>();
        AtomicInteger afterCommitRuns = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                List<String> committed = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String text = "t" + thread + "-" + i;
                    int kind = (thread + i) % 5;
                    try {
                        Transactions.inTransaction(database, c -> {
                            insert(c, text);
                            Transactions.afterCommit(() -> {
                                afterCommitRuns.incrementAndGet();
                                afterCommitThread.put(text, Thread.currentThread().getName());
                            });
                            if (kind == 1) {
                                throw new IllegalStateException("domain refusal of " + text);
                            }
                            if (kind == 2) {
                                insert(c, "taken"); // a constraint violation after a successful insert
                            }
                            return null;
                        });
                        assertThat(kind).isNotIn(1, 2);
                        // Durable before return: a fresh reader connection sees it.
                        assertThat(has(text)).isTrue();
                        committed.add(text);
                    } catch (IllegalStateException e) {
                        assertThat(kind).isEqualTo(1);
                        assertThat(e).hasMessage("domain refusal of " + text);
                    } catch (StoreException e) {
                        assertThat(kind).isEqualTo(2);
                        assertThat(e.isConstraintViolation()).isTrue();
                    }
                }
                return committed;
            }));
        }
        go.countDown();
        List<String> committed = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            committed.addAll(f.get(120, TimeUnit.SECONDS));
        }
        int expected = threads * perThread * 3 / 5;
        assertThat(committed).hasSize(expected);
        assertThat(rows("SELECT COUNT(*) FROM note")).isEqualTo(expected + 1);
        for (String text : committed) {
            assertThat(has(text)).as(text).isTrue();
        }
        assertThat(afterCommitRuns).hasValue(expected);
        assertThat(afterCommitThread.keySet()).containsExactlyInAnyOrderElementsOf(committed);
        long commits = database.commits() - commitsBefore;
        assertThat(database.committedWrites() - writesBefore).isEqualTo(expected);
        assertThat(commits).as("COMMITs for %d writes: groups formed", expected).isLessThan(expected);
    }

    @Test
    void aGroupFormsAndAFailingMemberRollsBackOnlyItsOwnWork() throws Exception {
        database.groupCaps(64, TimeUnit.SECONDS.toNanos(30));
        long commitsBefore = database.commits();
        AtomicInteger afterCommitRuns = new AtomicInteger();
        List<Future<?>> members = queuedMembers(List.of(
                c -> member(c, "one", afterCommitRuns),
                c -> {
                    member(c, "two", afterCommitRuns);
                    throw new IllegalArgumentException("two refused");
                },
                c -> member(c, "three", afterCommitRuns)));
        members.get(0).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> members.get(1).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        members.get(2).get(30, TimeUnit.SECONDS);
        assertThat(List.of(has("one"), has("two"), has("three")))
                .containsExactly(true, false, true);
        assertThat(afterCommitRuns).hasValue(2);
        assertThat(database.commits() - commitsBefore).as("one COMMIT for the group").isEqualTo(1);
    }

    @Test
    void whenTheGroupCommitFailsEveryMemberFailsAndNoAfterCommitRuns() throws Exception {
        database.groupCaps(64, TimeUnit.SECONDS.toNanos(30));
        AtomicInteger afterCommitRuns = new AtomicInteger();
        // The deferred foreign key is checked only at COMMIT: the second member's work succeeds, the COMMIT fails.
        List<Future<?>> members = queuedMembers(List.of(
                c -> member(c, "innocent", afterCommitRuns),
                c -> {
                    Transactions.afterCommit(afterCommitRuns::incrementAndGet);
                    try (Statement st = c.createStatement()) {
                        st.executeUpdate("INSERT INTO child (parent_id) VALUES (42)");
                    }
                    return null;
                }));
        for (Future<?> f : members) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isConstraintViolation()).isTrue());
        }
        assertThat(afterCommitRuns).hasValue(0);
        assertThat(has("innocent")).isFalse();
        assertThat(rows("SELECT COUNT(*) FROM child")).isZero();
        // The writer is usable again.
        Transactions.inTransaction(database, c -> insert(c, "after"));
        assertThat(has("after")).isTrue();
    }

    @Test
    void nestedWorkJoinsTheMembersSavepoint() throws Exception {
        database.groupCaps(64, TimeUnit.SECONDS.toNanos(30));
        AtomicInteger afterCommitRuns = new AtomicInteger();
        List<Future<?>> members = queuedMembers(List.of(
                c -> member(c, "first", afterCommitRuns),
                c -> {
                    Transactions.inTransaction(database, inner -> member(inner, "nested", afterCommitRuns));
                    assertThat(has("nested")).isTrue();
                    assertThat(Transactions.isWriting()).isTrue();
                    throw new IllegalStateException("outer fails after nested work");
                }));
        members.get(0).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> members.get(1).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(List.of(has("first"), has("nested"))).containsExactly(true, false);
        assertThat(afterCommitRuns).hasValue(1);
        assertThat(Transactions.isWriting()).isFalse();
    }

    @Test
    void aMemberWhoseTurnWentToNobodyCommitsTheGroupItself() throws Exception {
        database.groupCaps(64, TimeUnit.SECONDS.toNanos(30));
        // A "writer" that takes the turn handed to it and leaves without committing, as one that gave up would.
        database.writerTurn().lock();
        Future<?> member = pool.submit(() -> Transactions.inTransaction(database, c -> insert(c, "stranded")));
        awaitQueued(1);
        Future<?> leaver = pool.submit(() -> {
            database.writerTurn().lock();
            database.writerTurn().unlock();
        });
        awaitQueued(2);
        database.writerTurn().unlock();
        leaver.get(30, TimeUnit.SECONDS);
        member.get(30, TimeUnit.SECONDS);
        assertThat(has("stranded")).isTrue();
        assertThat(database.writerTurn().isLocked()).isFalse();
    }

    /** Starts the works in this order, all queued behind the turn this thread holds, then lets them go. */
    private List<Future<?>> queuedMembers(List<SqlWork<?>> works) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        database.writerTurn().lock();
        try {
            for (SqlWork<?> work : works) {
                futures.add(pool.submit(() -> Transactions.inTransaction(database, work)));
                awaitQueued(futures.size());
            }
        } finally {
            database.writerTurn().unlock();
        }
        return futures;
    }

    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (database.writerTurn().getQueueLength() < n) {
            assertThat(System.nanoTime()).as("%d writers queued", n).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private boolean has(String text) {
        Boolean found = Transactions.read(database, c -> exists(c, text));
        return found;
    }

    private int rows(String sql) {
        Integer n = Transactions.read(database, c -> scalar(c, sql));
        return n;
    }

    private static Void member(Connection c, String text, AtomicInteger afterCommitRuns) throws SQLException {
        insert(c, text);
        Transactions.afterCommit(afterCommitRuns::incrementAndGet);
        return null;
    }

    private static int insert(Connection c, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (text) VALUES (?)")) {
            ps.setString(1, text);
            return ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM note WHERE text = ?")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
