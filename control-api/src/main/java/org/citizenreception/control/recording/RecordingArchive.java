package org.citizenreception.control.recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;

/**
 * The archive of recorded files: sealing (SHA-256 stored and audited), listing with retention,
 * verification against the sealed hash, and disposal on an administrator's confirmation. Files live
 * in {@code <recording.directory>/session-<id>/}; rows are never deleted.
 */
public final class RecordingArchive {
    private final Database database;
    private final AuditLog audit;
    private final Path root;
    private final Duration retention;
    private final Clock clock;

    public RecordingArchive(Database database, AuditLog audit, Path root, Duration retention, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.root = root;
        this.retention = retention;
        this.clock = clock;
    }

    Path sessionDir(long sessionId) {
        return root.resolve("session-" + sessionId);
    }

    Path root() {
        return root;
    }

    /** The file of an archived recording (it may have been disposed of or tampered with). */
    public Path file(Recording r) {
        return sessionDir(r.sessionId()).resolve(r.fileName());
    }

    /**
     * Seals {@code file}: its hash and size go into the archive and the audit log in one transaction.
     * Sealing a file already sealed returns the existing row (recovery may meet a file twice).
     */
    Recording seal(long sessionId, String kind, Path file, String mediaType, Instant startedAt, Instant endedAt,
                   boolean interrupted) {
        String sha256 = sha256(file);
        long size = size(file);
        String name = file.getFileName().toString();
        return Transactions.inTransaction(database, c -> {
            Optional<Recording> existing = find(c, sessionId, name);
            if (existing.isPresent()) {
                return existing.get();
            }
            Instant now = clock.instant();
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO recordings (session_id, kind, file_name, media_type, "
                    + "started_at, ended_at, duration_ms, size_bytes, sha256, sealed_at, interrupted) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, sessionId);
                ps.setString(2, kind);
                ps.setString(3, name);
                ps.setString(4, mediaType);
                ps.setString(5, startedAt.toString());
                ps.setString(6, endedAt.toString());
                ps.setLong(7, Math.max(0, Duration.between(startedAt, endedAt).toMillis()));
                ps.setLong(8, size);
                ps.setString(9, sha256);
                ps.setString(10, now.toString());
                ps.setInt(11, interrupted ? 1 : 0);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("session", sessionId);
            detail.put("file", name);
            detail.put("sha256", sha256);
            detail.put("sizeBytes", size);
            detail.put("interrupted", interrupted);
            audit.record(c, null, null, "recording.seal", "recording", String.valueOf(id), detail);
            return find(c, id).orElseThrow();
        });
    }

    /** A recording stopped before its session ended (the disk floor): the system's entry in the audit log. */
    void recordStopped(long sessionId, Map<String, Object> detail) {
        audit.record(null, null, "recording.stop", "session", String.valueOf(sessionId), detail);
    }

    public List<Recording> list(long sessionId) {
        return Transactions.read(database, c -> query(c, "SELECT * FROM recordings WHERE session_id = ? ORDER BY id", sessionId));
    }

    /** Sealed longer ago than the retention period and not yet disposed of, oldest first. */
    public List<Recording> dueForDisposal() {
        Instant cutoff = clock.instant().minus(retention);
        return Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM recordings WHERE disposed_at IS NULL AND sealed_at < ? ORDER BY sealed_at, id")) {
                ps.setString(1, cutoff.toString());
                return rows(ps);
            }
        });
    }

    public Recording get(long id) {
        return Transactions.read(database, c -> find(c, id)).orElseThrow(() -> DomainErrors.notFound("recording " + id));
    }

    /** The verdict of {@link #verify}. */
    public record Verification(long recordingId, String fileName, boolean valid, String sealedSha256, String actualSha256,
                               String problem) {
    }

    /** Recomputes the file's hash and compares it with the sealed one; the check is audited. */
    public Verification verify(Principal actor, String remote, long id) {
        Recording r = get(id);
        Path file = file(r);
        Verification v;
        if (r.disposedAt() != null) {
            v = new Verification(id, r.fileName(), false, r.sha256(), null, "disposed of at " + r.disposedAt());
        } else if (!Files.isRegularFile(file)) {
            v = new Verification(id, r.fileName(), false, r.sha256(), null, "the file is missing");
        } else {
            String actual = sha256(file);
            boolean valid = actual.equals(r.sha256());
            v = new Verification(id, r.fileName(), valid, r.sha256(), actual,
                    valid ? null : "the file's SHA-256 differs from the one sealed at " + r.sealedAt());
        }
        audit.record(actor, remote, "recording.verify", "recording", String.valueOf(id),
                Map.of("valid", v.valid(), "sha256", v.actualSha256() == null ? "" : v.actualSha256()));
        return v;
    }

    /**
     * Records that {@code actor} was handed a playback link to recording {@code id}: watching
     * citizens' faces and voices is a read of personal data, and the link itself is not logged.
     */
    public void recordPlaybackIssued(Principal actor, String remote, long id) {
        audit.record(actor, remote, "recording.playback", "recording", String.valueOf(id), Map.of());
    }

    /**
     * Deletes a file due for disposal, on an administrator's confirmation; the row stays with who
     * and when. A file not yet due is refused (409): retention is the law's, not the operator's.
     */
    public Recording dispose(Principal admin, String remote, long id) {
        Recording r = get(id);
        if (r.disposedAt() != null) {
            throw DomainErrors.conflict("recording " + id + " was disposed of at " + r.disposedAt());
        }
        if (!r.dueForDisposal()) {
            throw DomainErrors.conflict("recording " + id + " is kept until " + r.sealedAt().plus(retention));
        }
        return Transactions.inTransaction(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE recordings SET disposed_at = ?, disposed_by = ? WHERE id = ?")) {
                ps.setString(1, clock.instant().toString());
                ps.setLong(2, admin.userId());
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            audit.record(c, admin, remote, "recording.dispose", "recording", String.valueOf(id),
                    Map.of("file", r.fileName(), "sha256", r.sha256()));
            Transactions.afterCommit(() -> {
                try {
                    Files.deleteIfExists(file(r));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return find(c, id).orElseThrow();
        });
    }

    private Optional<Recording> find(Connection c, long id) throws SQLException {
        return query(c, "SELECT * FROM recordings WHERE id = ?", id).stream().findFirst();
    }

    private Optional<Recording> find(Connection c, long sessionId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM recordings WHERE session_id = ? AND file_name = ?")) {
            ps.setLong(1, sessionId);
            ps.setString(2, name);
            return rows(ps).stream().findFirst();
        }
    }

    private List<Recording> query(Connection c, String sql, long arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, arg);
            return rows(ps);
        }
    }

    private List<Recording> rows(PreparedStatement ps) throws SQLException {
        Instant cutoff = clock.instant().minus(retention);
        List<Recording> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant sealed = Instant.parse(rs.getString("sealed_at"));
                String disposed = rs.getString("disposed_at");
                out.add(new Recording(rs.getLong("id"), rs.getLong("session_id"), rs.getString("kind"), rs.getString("file_name"),
                        rs.getString("media_type"), Instant.parse(rs.getString("started_at")), Instant.parse(rs.getString("ended_at")),
                        rs.getLong("duration_ms"), rs.getLong("size_bytes"), rs.getString("sha256"), sealed,
                        rs.getInt("interrupted") == 1, disposed == null ? null : Instant.parse(disposed),
                        disposed == null && sealed.isBefore(cutoff)));
            }
        }
        return out;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
