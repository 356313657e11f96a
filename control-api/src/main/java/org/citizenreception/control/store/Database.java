package org.citizenreception.control.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * The database: the embedded SQLite file (the default), or PostgreSQL when {@link StoreSettings}
 * name one (see "PostgreSQL" below).
 *
 * <p>The embedded SQLite database: one file, WAL journal, foreign keys on, {@code synchronous=FULL}.
 *
 * <p>FULL rather than NORMAL because the petition register must survive a crash at any instant:
 * with WAL and NORMAL a committed transaction can be lost on power failure; FULL fsyncs the WAL on
 * every commit, which is what "a 2xx means it is stored" requires. The schema is created and
 * upgraded by Flyway from {@code db/migration} on the classpath.
 *
 * <p>Two pools. The <b>writer</b> pool holds exactly one connection whose transactions begin with
 * {@code BEGIN IMMEDIATE}: SQLite allows one writer at a time anyway, and queueing writers in the
 * process in arrival order instead of inside SQLite means no {@code SQLITE_BUSY}, no lock
 * upgrade deadlock of two deferred transactions, and no busy-wait polling. The <b>reader</b> pool
 * holds read-only connections; in WAL mode they read a consistent snapshot while the writer writes.
 * Use both through {@link Transactions}, never directly.
 *
 * <h2>PostgreSQL</h2>
 * The same two pools and the same {@link Transactions}: one writer connection per process whose
 * writers take turns and share commits (group commit), read-only reader connections in
 * {@code REPEATABLE READ} so a {@link Transactions#read read} sees one snapshot as it does on SQLite.
 * PostgreSQL would take several writers at once, but the rules the services rely on read, then write
 * (the next register number, the audit chain's previous MAC, "no second open session"): the single
 * writer keeps them true without retrying serialization failures. Several control-api processes on one
 * database queue the same way: each write group first takes a transaction-scoped advisory lock
 * ({@link #WRITER_LOCK_KEY}), held until its COMMIT or ROLLBACK. Durability is the same promise: the
 * writer sessions run {@code synchronous_commit = on} whatever the server's default, so COMMIT returns
 * once the WAL is flushed, and a write is acknowledged only after its group's COMMIT. The schema comes
 * from {@code db/postgresql} (Flyway serialises concurrent starts with its own lock).
 */
public final class Database implements AutoCloseable {
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** Two cores: more readers than this only queue inside SQLite instead of in the pool. */
    private static final int READER_POOL_SIZE = 4;
    /** How long a writer waits for its turn before the request fails (with nothing changed). */
    private static final long WRITER_WAIT_MILLIS = 15_000;

    /**
     * The PostgreSQL advisory lock a write group holds for its whole transaction, so that writers of
     * several processes on one database take turns as the writers of one process do. Any constant
     * that nothing else on the database uses; Flyway's lock is a different key.
     */
    static final long WRITER_LOCK_KEY = 0x5245_4345_5054_4e01L;

    private final StoreSettings settings;
    private final Dialect dialect;
    /**
     * Orders writers first come, first served, so no write waits behind more than the writes that
     * arrived before it. The writer pool alone would not: HikariCP hands a just-returned connection
     * back to the same thread first, so a busy thread can overtake waiting ones again and again. The
     * cost of a fair hand-off is small next to the fsync every commit makes.
     */
    private final ReentrantLock writerTurn = new ReentrantLock(true);
    private final DataSource plain;
    private final HikariDataSource writer;
    private final HikariDataSource readers;
    /** Null when opened without a meter registry (tools, unit tests). */
    private final Timer writerWait;
    /** Null without a meter registry or on SQLite: the wait for the other instances' writers (advisory lock). */
    private final Timer instanceLockWait;
    /** Null without a meter registry: one count per COMMIT (one fsync) of a write group. */
    private final Counter commitCounter;
    /** Null without a meter registry: how many writers each COMMIT made durable. */
    private final DistributionSummary groupSize;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedWrites = new AtomicLong();
    /**
     * The write group whose transaction is open on the writer connection, or null. Read and written
     * only by the holder of {@link #writerTurn}.
     */
    private Object openGroup;
    /** Group commit caps (see {@link Transactions}); changed only by tests. */
    private volatile int maxGroupMembers = Transactions.MAX_GROUP_MEMBERS;
    private volatile long groupWindowNanos = TimeUnit.MILLISECONDS.toNanos(Transactions.MAX_GROUP_MILLIS);

    private Database(StoreSettings settings, DataSource plain, HikariDataSource writer, HikariDataSource readers,
                     MeterRegistry meters) {
        this.settings = settings;
        this.dialect = settings.dialect();
        this.writerWait = meters == null ? null : Timer.builder("reception_api_db_write_wait")
                .description("Time a write transaction waited for its turn at this instance's single writer (SQLite or PostgreSQL)")
                .publishPercentileHistogram()
                .register(meters);
        this.commitCounter = meters == null ? null : Counter.builder("reception_api_db_commits")
                .description("COMMITs of write groups on this instance's single writer, each one flush of the log to disk"
                        + " (SQLite: WAL fsync; PostgreSQL: synchronous_commit on)")
                .register(meters);
        this.instanceLockWait = meters == null || dialect != Dialect.POSTGRESQL ? null : Timer.builder("reception_api_db_writer_lock_wait")
                .description("PostgreSQL: time a write group waited for the advisory lock on which the writers of all"
                        + " control-api instances sharing the database take turns")
                .publishPercentileHistogram()
                .register(meters);
        this.groupSize = meters == null ? null : DistributionSummary.builder("reception_api_db_group_size")
                .description("Write transactions made durable by one COMMIT (group commit)")
                .publishPercentileHistogram()
                .register(meters);
        this.plain = plain;
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating when missing) the database file and applies pending migrations. */
    public static Database open(Path file) {
        return open(file, null);
    }

    /**
     * As {@link #open(Path)}, reporting to {@code meters}: {@code reception_api_db_write_wait} is how
     * long writes queue for their turn, the first number to read when write latency grows;
     * {@code reception_api_db_commits} counts COMMITs (fsyncs) and {@code reception_api_db_group_size}
     * how many writes each made durable (see {@link Transactions}, group commit); both
     * pools report HikariCP's {@code hikaricp_connections_*} meters, tagged by pool.
     */
    public static Database open(Path file, MeterRegistry meters) {
        return open(StoreSettings.sqlite(file), meters);
    }

    /** Opens the SQLite file or the PostgreSQL database {@code settings} name, and applies pending migrations. */
    public static Database open(StoreSettings settings, MeterRegistry meters) {
        return settings.dialect() == Dialect.POSTGRESQL ? openPostgresql(settings, meters) : openSqlite(settings, meters);
    }

    private static Database openSqlite(StoreSettings settings, MeterRegistry meters) {
        Path file = settings.file();
        // Owner-only from the first byte: the file holds petitioners' personal data. SQLite gives its
        // -wal and -shm files the permissions of the database file.
        OwnerOnlyFiles.file(file);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SQLiteDataSource plain = sqlite(url, SQLiteConfig.TransactionMode.DEFERRED, false);
        Flyway.configure()
                .dataSource(plain)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        HikariDataSource writer = pool("sqlite-writer", sqlite(url, SQLiteConfig.TransactionMode.IMMEDIATE, false),
                1, false, WRITER_WAIT_MILLIS, meters);
        HikariDataSource readers;
        try {
            readers = pool("sqlite-readers", sqlite(url, SQLiteConfig.TransactionMode.DEFERRED, true),
                    READER_POOL_SIZE, true, WRITER_WAIT_MILLIS, meters);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return new Database(settings, plain, writer, readers, meters);
    }

    private static Database openPostgresql(StoreSettings settings, MeterRegistry meters) {
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL(settings.url());
        if (!settings.user().isEmpty()) {
            plain.setUser(settings.user());
        }
        if (!settings.password().isEmpty()) {
            plain.setPassword(settings.password());
        }
        Flyway.configure()
                .dataSource(plain)
                .locations("classpath:db/postgresql")
                .load()
                .migrate();
        HikariDataSource writer = postgresqlPool("postgresql-writer", plain, 1, false, meters);
        HikariDataSource readers;
        try {
            readers = postgresqlPool("postgresql-readers", plain, READER_POOL_SIZE, true, meters);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return new Database(settings, plain, writer, readers, meters);
    }

    private static HikariDataSource postgresqlPool(String name, DataSource postgresql, int size, boolean readOnly,
                                                   MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(postgresql);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(WRITER_WAIT_MILLIS);
        config.setAutoCommit(true);
        config.setReadOnly(readOnly);
        if (readOnly) {
            // One snapshot for all statements of a read, as a SQLite read transaction in WAL mode has.
            config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        } else {
            // A server configured with synchronous_commit = off would acknowledge commits not yet on disk.
            config.setConnectionInitSql("SET synchronous_commit = on");
        }
        if (meters != null) {
            config.setMetricRegistry(meters);
        }
        return new HikariDataSource(config);
    }

    private static SQLiteDataSource sqlite(String url, SQLiteConfig.TransactionMode mode, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(mode);
        if (readOnly) {
            config.setReadOnly(true);
            config.setOpenMode(SQLiteOpenMode.READONLY);
        }
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        return dataSource;
    }

    private static HikariDataSource pool(String name, DataSource sqlite, int size, boolean readOnly, long waitMillis,
                                         MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(sqlite);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(waitMillis);
        config.setAutoCommit(true);
        // Must match the open mode: the driver refuses to change the flag on an open connection.
        config.setReadOnly(readOnly);
        if (meters != null) {
            config.setMetricRegistry(meters);
        }
        return new HikariDataSource(config);
    }

    /** The writer's single connection; only {@link Transactions} takes it, holding {@link #writerTurn()}. */
    Connection writerConnection() throws SQLException {
        return writer.getConnection();
    }

    /**
     * Begins a write group's transaction on the writer connection (auto-commit already off). SQLite:
     * nothing more, the writer pool's {@code BEGIN IMMEDIATE} took the database's write lock.
     * PostgreSQL: waits for the writers of other processes on the same database.
     */
    void beginWriteGroup(Connection writer) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            long startNanos = System.nanoTime();
            try (var st = writer.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                st.setLong(1, WRITER_LOCK_KEY);
                st.execute();
            }
            if (instanceLockWait != null) {
                instanceLockWait.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The fair lock a writer holds from before it takes the writer connection until after it returns it. */
    ReentrantLock writerTurn() {
        return writerTurn;
    }

    long writerWaitMillis() {
        return WRITER_WAIT_MILLIS;
    }

    void recordWriterWait(long nanos) {
        if (writerWait != null) {
            writerWait.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The open write group, or null; only for {@link Transactions}, holding {@link #writerTurn()}. */
    Object openGroup() {
        return openGroup;
    }

    void openGroup(Object group) {
        this.openGroup = group;
    }

    int maxGroupMembers() {
        return maxGroupMembers;
    }

    long groupWindowNanos() {
        return groupWindowNanos;
    }

    /** For tests that need a group to form however slow the machine: widens (or narrows) the caps. */
    void groupCaps(int members, long windowNanos) {
        this.maxGroupMembers = members;
        this.groupWindowNanos = windowNanos;
    }

    /** Counts one COMMIT of a write group that made {@code writes} write transactions durable. */
    void recordCommit(int writes) {
        commits.incrementAndGet();
        committedWrites.addAndGet(writes);
        if (commitCounter != null) {
            commitCounter.increment();
            groupSize.record(writes);
        }
    }

    /** COMMITs of write groups so far (each one fsync); for tests and diagnostics. */
    public long commits() {
        return commits.get();
    }

    /** Write transactions made durable by those COMMITs; {@code committedWrites() / commits()} is the mean group size. */
    public long committedWrites() {
        return committedWrites.get();
    }

    /** A read-only connection; only {@link Transactions} takes it. */
    Connection readerConnection() throws SQLException {
        return readers.getConnection();
    }

    /**
     * A plain, unpooled connection for tools and tests (schema inspection, a test that tampers with
     * a row). Application code uses {@link Transactions}: a write through this connection competes
     * with the writer pool and may wait for the busy timeout.
     */
    public Connection unpooledConnection() throws SQLException {
        return plain.getConnection();
    }

    /** The SQLite database file; a PostgreSQL database has none (see {@link #dialect()}). */
    public Path file() {
        if (dialect != Dialect.SQLITE) {
            throw new IllegalStateException("a PostgreSQL store has no database file: " + settings.describe());
        }
        return settings.file();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The file or the PostgreSQL URL (without credentials), for the start-up text and logs. */
    public String location() {
        return settings.describe();
    }

    /**
     * Closes the pools. SQLite: then folds the WAL back into the main file so a copy of the .db alone
     * is complete.
     */
    @Override
    public void close() {
        readers.close();
        writer.close();
        if (dialect != Dialect.SQLITE) {
            return;
        }
        try (Connection c = plain.getConnection(); var st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            // Closing anyway: the WAL is replayed at the next open, nothing is lost.
        }
    }
}
