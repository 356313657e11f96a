package org.citizenreception.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.testing.PostgresCluster;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the application relies on from its store, checked against both stores in every run (a real
 * SQLite file and a real PostgreSQL server, whatever {@code -Dreception.test.store} says): the same
 * schema from both sets of migrations, append-only tables, the SQL of {@link Dialect}, gapless
 * counters, and for PostgreSQL the durability setting and the writers of two processes taking turns.
 */
class StoreContractTest {
    @TempDir
    Path dir;

    private Database open(Dialect dialect, String name) {
        return dialect == Dialect.SQLITE ? Database.open(dir.resolve(name + ".db"))
                : Database.open(TestStore.postgresqlSettings(dir.resolve(name)), null);
    }

    @Test
    void bothMigrationSetsMakeTheSameTablesAndColumns() throws SQLException {
        try (Database sqlite = open(Dialect.SQLITE, "s"); Database postgresql = open(Dialect.POSTGRESQL, "p")) {
            Map<String, TreeSet<String>> fromSqlite = Transactions.read(sqlite, c -> {
                Map<String, TreeSet<String>> tables = new TreeMap<>();
                for (String table : strings(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                        + " AND name <> 'flyway_schema_history'")) {
                    tables.put(table, new TreeSet<>(strings(c, "SELECT name FROM pragma_table_info('" + table + "')")));
                }
                return tables;
            });
            Map<String, TreeSet<String>> fromPostgresql = Transactions.read(postgresql, c -> {
                Map<String, TreeSet<String>> tables = new TreeMap<>();
                for (String table : strings(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'")) {
                    TreeSet<String> columns = new TreeSet<>(strings(c, "SELECT column_name FROM information_schema.columns"
                            + " WHERE table_schema = current_schema() AND table_name = '" + table + "'"));
                    columns.remove("rowid"); // session_hands: SQLite's implicit rowid, made a column
                    tables.put(table, columns);
                }
                return tables;
            });
            assertThat(fromSqlite).hasSizeGreaterThan(20);
            assertThat(fromPostgresql).isEqualTo(fromSqlite);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void auditAndHistoryRowsCannotBeChangedNorRemoved(Dialect dialect) {
        try (Database database = open(dialect, "append-" + dialect.name().toLowerCase())) {
            Transactions.inTransaction(database, c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO audit_log (seq, at, action, entity_type, detail, prev_hash, hash, chain)"
                            + " VALUES (1, '2026-03-02T01:00:00Z', 'test.append', 'test', '{}', 'p', 'h1', 'hmac-sha256')");
                }
                return null;
            });
            for (String change : List.of("UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1")) {
                assertThatThrownBy(() -> Transactions.inTransaction(database, c -> {
                    try (Statement st = c.createStatement()) {
                        return st.executeUpdate(change);
                    }
                })).as(change).isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.isConstraintViolation()).isTrue();
                    assertThat(e).hasMessageContaining("audit_log is append-only");
                });
            }
            assertThat(query(database, "SELECT detail FROM audit_log")).containsExactly("{}");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theDialectsSqlMeansTheSameInBoth(Dialect dialect) {
        try (Database database = open(dialect, "sql-" + dialect.name().toLowerCase())) {
            assertThat(database.dialect()).isEqualTo(dialect);
            Transactions.inTransaction(database, c -> {
                assertThat(Dialect.of(c)).isEqualTo(dialect);
                // Instants of different precision compare as instants, not as text ('.' sorts before 'Z').
                try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN " + dialect.instant("?") + " > "
                        + dialect.instant("?") + " THEN 1 ELSE 0 END")) {
                    ps.setString(1, "2026-03-02T01:00:00.5Z");
                    ps.setString(2, "2026-03-02T01:00:00Z");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next() && rs.getInt(1) == 1).as("later instant compares later").isTrue();
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO register_counters (year, last_number) VALUES (2026, 5), (2027, 7)");
                    try (ResultSet rs = st.executeQuery("SELECT " + dialect.joinedWithCommas("last_number") + " FROM register_counters")) {
                        rs.next();
                        assertThat(List.of(rs.getString(1).split(","))).containsExactlyInAnyOrder("5", "7");
                    }
                    try (ResultSet rs = st.executeQuery("SELECT CASE WHEN 'Xã ABC' " + dialect.likeIgnoringCase()
                            + " '%abc%' THEN 1 ELSE 0 END")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("the pattern ignores ASCII case").isEqualTo(1);
                    }
                    assertThat(st.executeUpdate("INSERT INTO room_successions (predecessor_code, successor_code) VALUES ('A', 'B')"
                            + " ON CONFLICT DO NOTHING")).isEqualTo(1);
                    assertThat(st.executeUpdate("INSERT INTO room_successions (predecessor_code, successor_code) VALUES ('A', 'B')"
                            + " ON CONFLICT DO NOTHING")).isZero();
                    // Bytewise order, as SQLite's BINARY collation: upper case before lower, '.' before 'Z'.
                    st.executeUpdate("INSERT INTO room_successions (predecessor_code, successor_code) VALUES ('a', 'x'), ('Z', 'y'),"
                            + " ('2026-03-02T01:00:00.5Z', 'z'), ('2026-03-02T01:00:00Z', 'z')");
                    assertThat(strings(c, "SELECT predecessor_code FROM room_successions ORDER BY predecessor_code"))
                            .containsExactly("2026-03-02T01:00:00.5Z", "2026-03-02T01:00:00Z", "A", "Z", "a");
                }
                return null;
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void concurrentCounterBumpsAreGaplessAndEveryAcknowledgedOneIsStored(Dialect dialect) throws Exception {
        int writers = 8;
        int each = 10;
        try (Database database = open(dialect, "counter-" + dialect.name().toLowerCase())) {
            List<CompletableFuture<List<Long>>> done = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int w = 0; w < writers; w++) {
                done.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    List<Long> numbers = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        numbers.add(Transactions.inTransaction(database, c -> {
                            try (PreparedStatement ps = c.prepareStatement("INSERT INTO register_counters (year, last_number) VALUES (?, 1)"
                                    + " ON CONFLICT (year) DO UPDATE SET last_number = register_counters.last_number + 1 RETURNING last_number")) {
                                ps.setInt(1, 2026);
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    return rs.getLong(1);
                                }
                            }
                        }));
                    }
                    return numbers;
                }));
            }
            go.countDown();
            TreeSet<Long> all = new TreeSet<>();
            for (CompletableFuture<List<Long>> f : done) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(writers * each).first().isEqualTo(1L);
            assertThat(all.last()).isEqualTo((long) writers * each);
        }
        try (Database reopened = open(dialect, "counter-" + dialect.name().toLowerCase())) {
            assertThat(query(reopened, "SELECT last_number FROM register_counters WHERE year = 2026"))
                    .containsExactly(String.valueOf(writers * each));
        }
    }

    @Test
    void postgresqlWritersCommitSynchronouslyWhateverTheServerDefault() {
        try (Database database = open(Dialect.POSTGRESQL, "sync")) {
            assertThat(Transactions.<List<String>>inTransaction(database, c -> strings(c, "SHOW synchronous_commit"))).containsExactly("on");
        }
    }

    /**
     * Two processes on one PostgreSQL database (two Database objects here, each with its own pools and
     * writer turn): a write group of one holds the advisory lock until it commits, so the other's
     * read-then-write (the next register number) waits and then sees the committed row.
     */
    @Test
    void writersOfTwoInstancesOnOnePostgresqlDatabaseTakeTurns() throws Exception {
        try (Database first = open(Dialect.POSTGRESQL, "shared"); Database second = open(Dialect.POSTGRESQL, "shared")) {
            CountDownLatch firstWrote = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            CompletableFuture<Void> firstDone = CompletableFuture.runAsync(() -> Transactions.inTransaction(first, c -> {
                bump(c);
                firstWrote.countDown();
                await(releaseFirst);
                return null;
            }));
            assertThat(firstWrote.await(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Long> secondDone = CompletableFuture.supplyAsync(() -> Transactions.inTransaction(second, StoreContractTest::bump));
            // The second writer is queued on the lock (seen in pg_locks), not running beside the first.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (waitingForAdvisoryLock(first) == 0) {
                assertThat(System.nanoTime()).as("the second writer waits for the advisory lock").isLessThan(deadline);
                assertThatThrownBy(() -> secondDone.get(50, TimeUnit.MILLISECONDS)).as("the second writer has not written")
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
            }
            assertThat(secondDone).isNotDone();
            releaseFirst.countDown();
            firstDone.get(60, TimeUnit.SECONDS);
            assertThat(secondDone.get(60, TimeUnit.SECONDS)).as("the second saw the first's committed number").isEqualTo(2L);
        }
    }

    /** A SQLite file made by main's migrations (V1..V25) still opens: versions and checksums of applied migrations are unchanged. */
    @Test
    void aSqliteDatabaseMadeByEarlierMigrationsStillOpens() throws Exception {
        Path file = dir.resolve("earlier.db");
        try (var in = StoreContractTest.class.getResourceAsStream("/store/made-by-main-at-v25.db")) {
            assertThat(in).as("the fixture store/made-by-main-at-v25.db is in the checkout (*.db is git-ignored: add it with -f)").isNotNull();
            Files.copy(in, file);
        }
        try (Database database = Database.open(file)) {
            assertThat(query(database,
                    "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank"))
                    .startsWith("1", "2", "3", "4", "10").contains("24.1", "25");
        }
    }

    /** run.sh backup / restore are SQLite's online backup: with a PostgreSQL store they refuse and name pg_dump. */
    @Test
    void backupAndRestoreRefuseAPostgresqlStoreAndSayWhatToUse() {
        for (String command : List.of("backup", "restore")) {
            var err = new java.io.ByteArrayOutputStream();
            List<String> args = new ArrayList<>(List.of(command));
            if (command.equals("restore")) {
                args.add(dir.resolve("some-backup").toString());
            }
            args.addAll(List.of("--data.dir=" + dir.resolve("data"), "--store.url=jdbc:postgresql://127.0.0.1:1/reception?password=secret"));
            int exit = org.citizenreception.control.BackupCommand.run(args.toArray(String[]::new), Map.of(),
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
            assertThat(exit).as(command).isNotZero();
            assertThat(err.toString()).contains("PostgreSQL", "pg_dump").doesNotContain("secret");
            assertThat(dir.resolve("data").resolve("reception.db")).doesNotExist();
        }
    }

    private static long bump(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO register_counters (year, last_number) VALUES (2030, 1)"
                + " ON CONFLICT (year) DO UPDATE SET last_number = register_counters.last_number + 1 RETURNING last_number")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int waitingForAdvisoryLock(Database database) {
        try (Connection c = database.unpooledConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new StoreException("pg_locks", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> query(Database database, String sql) {
        return Transactions.read(database, c -> strings(c, sql));
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static {
        // Started here, not lazily inside a test's timing: the first PostgreSQL test pays initdb.
        PostgresCluster.get();
    }
}
