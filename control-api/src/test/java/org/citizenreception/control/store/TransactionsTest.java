package org.citizenreception.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionsTest {
    @TempDir
    Path dir;
    Database database;

    @BeforeEach
    void open() {
        database = TestStore.open(dir.resolve("t.db"));
        Transactions.inTransaction(database, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE note (id " + TestStore.autoIncrementId() + ", text TEXT NOT NULL UNIQUE)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void concurrentWritersAllCommitWithoutBusyErrors() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    // Read-then-write in one transaction: the pattern that deadlocks two DEFERRED writers.
                    Transactions.inTransaction(database, c -> {
                        count(c);
                        insert(c, "t" + thread + "-" + n);
                        return null;
                    });
                    Transactions.read(database, TransactionsTest::count);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(Transactions.read(database, TransactionsTest::count)).isEqualTo(threads * perThread);
    }

    @Test
    void anExceptionRollsBackEverythingAndPropagatesUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
            insert(c, "a");
            throw boom;
        })).isSameAs(boom);
        assertThat(Transactions.read(database, TransactionsTest::count)).isZero();
    }

    @Test
    void anSqlFailureIsAStoreExceptionThatKnowsAConstraintViolation() {
        Transactions.inTransaction(database, c -> insert(c, "same"));
        assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
            insert(c, "other");
            return insert(c, "same");
        })).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isConstraintViolation()).isTrue());
        assertThat(Transactions.read(database, TransactionsTest::count)).isEqualTo(1);
    }

    @Test
    void aNestedTransactionJoinsTheOuterOneAndReadsSeeItsRows() {
        assertThatThrownBy(() -> Transactions.inTransaction(database, outer -> {
            Transactions.inTransaction(database, inner -> insert(inner, "inner"));
            assertThat(Transactions.read(database, TransactionsTest::count)).isEqualTo(1);
            throw new IllegalArgumentException("outer fails");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(Transactions.read(database, TransactionsTest::count)).isZero();
    }

    @Test
    void afterCommitActionsRunOnlyOnceCommitted() {
        AtomicInteger ran = new AtomicInteger();
        Transactions.inTransaction(database, c -> {
            Transactions.afterCommit(ran::incrementAndGet);
            assertThat(ran).hasValue(0);
            return insert(c, "x");
        });
        assertThat(ran).hasValue(1);
        assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
            Transactions.afterCommit(ran::incrementAndGet);
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(ran).hasValue(1);
    }

    @Test
    void nestedReadsShareOneSnapshotSoThePoolCannotRunDry() throws Exception {
        // As many threads as pooled readers, all holding one: a nested read taking a second would wait forever.
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> results = new ArrayList<>();
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> Transactions.read(database, outer -> {
                try {
                    together.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return Transactions.read(database, inner -> {
                    assertThat(inner).isSameAs(outer);
                    return count(inner);
                });
            })));
        }
        for (Future<Integer> f : results) {
            assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        }
        pool.shutdown();
    }

    @Test
    void readConnectionsCannotWrite() {
        assertThatThrownBy(() -> Transactions.read(database, c -> insert(c, "sneaky")))
                .isInstanceOf(StoreException.class);
        assertThat(Transactions.read(database, TransactionsTest::count)).isZero();
    }

    @Test
    void anIdleWriterHoldsNoLockSoAnotherProcessCanWrite() throws SQLException {
        Transactions.inTransaction(database, c -> insert(c, "first"));
        // busy_timeout 0 (lock_timeout 1 ms): any lock still held by the pooled writer would fail this at once.
        try (Connection other = TestStore.postgresql() ? database.unpooledConnection()
                : DriverManager.getConnection("jdbc:sqlite:" + database.file().toAbsolutePath());
             Statement st = other.createStatement()) {
            st.execute(TestStore.postgresql() ? "SET lock_timeout = 1" : "PRAGMA busy_timeout = 0");
            if (TestStore.postgresql()) {
                try (var rs = st.executeQuery("SELECT pg_try_advisory_lock(" + Database.WRITER_LOCK_KEY + ")")) {
                    assertThat(rs.next() && rs.getBoolean(1)).as("the writers' advisory lock is free").isTrue();
                }
            }
            st.executeUpdate("INSERT INTO note (text) VALUES ('from outside')");
        }
        assertThat(Transactions.read(database, TransactionsTest::count)).isEqualTo(2);
    }

    private static int insert(Connection c, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (text) VALUES (?)")) {
            ps.setString(1, text);
            return ps.executeUpdate();
        }
    }

    private static int count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM note"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
