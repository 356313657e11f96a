package org.citizenreception.control.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for the tests: the Debian package's {@code initdb} and
 * {@code pg_ctl}, one cluster per test JVM (started on first use, stopped and deleted at JVM exit),
 * a fresh database for each name asked for.
 *
 * <p>Port: PostgreSQL cannot bind port 0 and tell us the port, and a port found free and then
 * closed may be taken by someone else before the server binds it. So the server itself tries a
 * random port and we read whether it bound: on "could not bind" / "in use" we try another. Once it
 * runs it holds the port, nothing is released in between. (Unix sockets would avoid ports, but
 * pgjdbc needs a third-party socket factory for them.) Listening on 127.0.0.1 only.
 *
 * <p>As root (the test machine), {@code initdb} refuses to run: the cluster is made and run as the
 * {@code postgres} account of the Debian package, in a folder it owns under /dev/shm (memory: the
 * tests measure no disk, and hundreds of test databases cost no disk writes). {@code fsync} is off
 * for the same reason; {@code synchronous_commit} stays as the application sets it.
 */
public final class PostgresCluster {
    /** The superuser the tests connect as (trust authentication on 127.0.0.1). */
    public static final String USER = "reception_test";
    private static final List<Path> BINARY_DIRS = List.of(Path.of("/usr/lib/postgresql/15/bin"), Path.of("/usr/lib/postgresql/16/bin"),
            Path.of("/usr/lib/postgresql/17/bin"), Path.of("/usr/local/bin"), Path.of("/usr/bin"));
    private static PostgresCluster instance;

    private final Path root;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresCluster(Path root, Path data, int port, boolean asPostgresUser) {
        this.root = root;
        this.data = data;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized PostgresCluster get() {
        if (instance == null) {
            instance = start();
            PostgresCluster started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-test-cluster-stop"));
        }
        return instance;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code name}, created empty (from template0) when it does not exist yet. */
    public synchronized String database(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name: " + name);
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, ""); Statement st = c.createStatement()) {
            boolean exists;
            try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return url(name);
    }

    /** A database name unique to {@code key} (a test's data folder): the same folder reopens the same database. */
    public static String nameFor(String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "t_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    private static PostgresCluster start() {
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            Path dir = Files.createTempDirectory(base, "reception-pg-");
            Path data = dir.resolve("data");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false, dir);
            }
            run(List.of(binary("initdb"), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C",
                    "--no-sync", "--no-instructions"), root, dir);
            IOException last = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
                Path log = dir.resolve("server-" + port + ".log");
                try {
                    run(List.of(binary("pg_ctl"), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "120",
                            "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
                                    + " -c max_connections=400 -c shared_buffers=32MB",
                            "start"), root, dir);
                    return new PostgresCluster(dir, data, port, root);
                } catch (IOException e) {
                    String text = Files.exists(log) ? Files.readString(log) : "";
                    if (!text.contains("could not bind") && !text.contains("in use")) {
                        throw new IOException(e.getMessage() + "\n" + text, e);
                    }
                    last = e;
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the PostgreSQL test cluster (apt-get install postgresql)", e);
        }
    }

    /** Stops the server at once (nothing in it needs to survive) and deletes its folder. */
    void stop() {
        try {
            run(List.of(binary("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop"), asPostgresUser, root);
        } catch (IOException e) {
            System.err.println("could not stop the PostgreSQL test cluster: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    private static String binary(String name) {
        for (Path dir : BINARY_DIRS) {
            if (Files.isExecutable(dir.resolve(name))) {
                return dir.resolve(name).toString();
            }
        }
        throw new IllegalStateException(name + " not found (apt-get install postgresql)");
    }

    private static void run(List<String> command, boolean asPostgres, Path dir) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("pg-command-", ".txt");
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", full));
            }
            if (p.exitValue() != 0) {
                throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", full) + "\n" + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", full), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
