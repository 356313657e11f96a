package org.citizenreception.control.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.citizenreception.control.config.AuditSettings;
import org.citizenreception.control.store.OwnerOnlyFiles;

/**
 * Writes one backup folder, {@code reception-backup-<UTC time>}, while the server may be running:
 * <ol>
 * <li>the audit checkpoints first (complete lines only), so that every checkpoint in the backup
 * names an entry the database copy holds: copied after the database, a checkpoint written in
 * between would make the restored chain look cut off at its end;</li>
 * <li>the database with {@code VACUUM INTO}: one read transaction of SQLite's, a consistent
 * snapshot taken beside the live writer, which waits for nothing (WAL); then a quick check;</li>
 * <li>the audit key file, unless the key comes from the environment (then the manifest says so);</li>
 * <li>{@code manifest.json} with sizes and SHA-256 of each file, what the database holds, and
 * where it came from.</li>
 * </ol>
 * The folder is written under a {@code .partial} name and renamed when complete, so a backup
 * interrupted halfway never looks like one. Everything is owner-only: it holds petitioners' data.
 */
public final class BackupWriter {
    public static final String PREFIX = "reception-backup-";
    public static final String DATABASE = "reception.db";
    public static final String KEY = "keys/audit.key";
    /** The key of the ID-number hashes: without it a restored register can no longer find a citizen's earlier petitions. */
    public static final String CASE_KEY = "keys/case-history.key";
    public static final String CHECKPOINTS = "audit-checkpoints.jsonl";
    public static final String MANIFEST = "manifest.json";
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was written. */
    public record Result(Path folder, Instant at, long databaseBytes, long petitions, long auditEntries) {
    }

    private BackupWriter() {
    }

    /**
     * Backs up the database file {@code database} (live or not) and the audit files of {@code audit}
     * into a new folder under {@code root}.
     *
     * @throws BackupException naming the step that failed; nothing is left under the final name
     */
    public static Result write(Path database, AuditSettings audit, Path caseHistoryKey, Path root, Clock clock) {
        Instant at = clock.instant();
        OwnerOnlyFiles.folder(root);
        Path target = uniqueFolder(root, at);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            OwnerOnlyFiles.folder(partial);
            Map<String, Object> files = new LinkedHashMap<>();
            if (Files.isRegularFile(audit.checkpointFile())) {
                copyCompleteLines(audit.checkpointFile(), partial.resolve(CHECKPOINTS));
                files.put(CHECKPOINTS, describe(partial.resolve(CHECKPOINTS)));
            }
            Map<String, Object> counts = vacuumInto(database, partial.resolve(DATABASE));
            files.put(DATABASE, describe(partial.resolve(DATABASE)));
            String key;
            if (audit.key().isPresent()) {
                key = "given in the environment (RECEPTION_AUDIT_KEY) or configuration: not in this backup; keep it with your secrets";
            } else if (Files.isRegularFile(audit.keyFile())) {
                Path copy = partial.resolve(KEY);
                BackupRestore.copy(audit.keyFile(), copy);
                files.put(KEY, describe(copy));
                key = "copied from " + audit.keyFile().toAbsolutePath();
            } else {
                key = "no key file at " + audit.keyFile().toAbsolutePath() + " (the server has not started on this data yet)";
            }
            if (Files.isRegularFile(caseHistoryKey)) {
                Path copy = partial.resolve(CASE_KEY);
                BackupRestore.copy(caseHistoryKey, copy);
                files.put(CASE_KEY, describe(copy));
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", 1);
            manifest.put("createdAt", at.toString());
            manifest.put("database", database.toAbsolutePath().toString());
            manifest.put("auditKey", key);
            manifest.put("contents", counts);
            manifest.put("files", files);
            manifest.put("recordings", "not included: copy the recording folder separately (rsync -a), see the README");
            Path manifestFile = partial.resolve(MANIFEST);
            OwnerOnlyFiles.file(manifestFile);
            Files.writeString(manifestFile, JSON.writeValueAsString(manifest), StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return new Result(target, at, Files.size(target.resolve(DATABASE)), ((Number) counts.get("petitions")).longValue(),
                    ((Number) counts.get("auditEntries")).longValue());
        } catch (IOException | SQLException | RuntimeException e) {
            deleteQuietly(partial);
            throw new BackupException("backup into " + target + " failed: " + e.getMessage(), e);
        }
    }

    private static Path uniqueFolder(Path root, Instant at) {
        Path p = root.resolve(PREFIX + NAME.format(at));
        for (int i = 2; Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + ".partial")); i++) {
            p = root.resolve(PREFIX + NAME.format(at) + "-" + i);
        }
        return p;
    }

    /**
     * SQLite copies a consistent snapshot into a new file (its own read transaction), then the
     * copy is checked and counted. The busy timeout covers a checkpoint holding a lock briefly.
     */
    private static Map<String, Object> vacuumInto(Path database, Path copy) throws SQLException, IOException {
        if (!Files.isRegularFile(database)) {
            throw new BackupException("no database at " + database.toAbsolutePath(), null);
        }
        OwnerOnlyFiles.file(copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute("VACUUM INTO '" + copy.toAbsolutePath().toString().replace("'", "''") + "'");
        }
        OwnerOnlyFiles.restrict(copy, OwnerOnlyFiles.FILE);
        Map<String, Object> counts = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath());
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new BackupException("the copy fails SQLite's quick_check: " + result, null);
                }
            }
            counts.put("sessions", count(st, "SELECT COUNT(*) FROM reception_sessions"));
            counts.put("petitions", count(st, "SELECT COUNT(*) FROM petitions"));
            counts.put("auditEntries", count(st, "SELECT COUNT(*) FROM audit_log"));
            counts.put("auditHeadSeq", count(st, "SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
        }
        return counts;
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The server appends one line per checkpoint; a line being written as we read is left out. */
    private static void copyCompleteLines(Path from, Path to) throws IOException {
        byte[] bytes = Files.readAllBytes(from);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        OwnerOnlyFiles.file(to);
        Files.write(to, java.util.Arrays.copyOf(bytes, end));
    }

    static Map<String, Object> describe(Path file) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("bytes", Files.size(file));
        d.put("sha256", sha256(file));
        return d;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover .partial folder is never taken for a backup.
        }
    }
}
