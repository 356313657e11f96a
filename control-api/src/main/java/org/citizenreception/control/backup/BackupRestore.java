package org.citizenreception.control.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.config.AuditSettings;
import org.citizenreception.control.store.OwnerOnlyFiles;

/**
 * Puts a backup folder back where a server's configuration expects its files: the database, the
 * audit key file and the checkpoint file. Every file is checked against the manifest first, and a
 * restore never overwrites: a database already at the target is refused (move it aside first), so
 * a mistyped command cannot destroy the live register. The server is started afterwards as usual.
 */
public final class BackupRestore {
    private BackupRestore() {
    }

    /** What was put where, for the operator. */
    public record Result(List<String> restored, JsonNode contents) {
    }

    public static Result restore(Path backup, Path databaseFile, AuditSettings audit, Path caseHistoryKey) {
        JsonNode manifest;
        try {
            manifest = BackupWriter.JSON.readTree(backup.resolve(BackupWriter.MANIFEST).toFile());
        } catch (IOException e) {
            throw new BackupException("no readable " + BackupWriter.MANIFEST + " in " + backup.toAbsolutePath()
                    + ": not a backup folder, or an incomplete one", e);
        }
        verify(backup, manifest.path("files"));
        for (Path existing : List.of(databaseFile, Path.of(databaseFile + "-wal"))) {
            if (Files.exists(existing)) {
                throw new BackupException(existing.toAbsolutePath() + " exists: a restore never overwrites a database; "
                        + "stop the server and move the data folder aside first", null);
            }
        }
        List<String> restored = new ArrayList<>();
        try {
            Path key = backup.resolve(BackupWriter.KEY);
            if (Files.isRegularFile(key) && audit.key().isEmpty()) {
                if (Files.exists(audit.keyFile()) && Files.mismatch(key, audit.keyFile()) != -1) {
                    throw new BackupException(audit.keyFile().toAbsolutePath() + " holds another audit key; move it aside first", null);
                }
                copy(key, audit.keyFile());
                restored.add(audit.keyFile().toAbsolutePath().toString());
            }
            Path caseKey = backup.resolve(BackupWriter.CASE_KEY);
            if (Files.isRegularFile(caseKey)) {
                if (Files.exists(caseHistoryKey) && Files.mismatch(caseKey, caseHistoryKey) != -1) {
                    throw new BackupException(caseHistoryKey.toAbsolutePath() + " holds another case-history key; move it aside first", null);
                }
                copy(caseKey, caseHistoryKey);
                restored.add(caseHistoryKey.toAbsolutePath().toString());
            }
            Path checkpoints = backup.resolve(BackupWriter.CHECKPOINTS);
            if (Files.isRegularFile(checkpoints)) {
                if (Files.exists(audit.checkpointFile())) {
                    throw new BackupException(audit.checkpointFile().toAbsolutePath() + " exists; move it aside first", null);
                }
                copy(checkpoints, audit.checkpointFile());
                restored.add(audit.checkpointFile().toAbsolutePath().toString());
            }
            // The database last: until it is there, a server started by mistake makes a new one and refuses nothing.
            Path partial = databaseFile.resolveSibling(databaseFile.getFileName() + ".restoring");
            copy(backup.resolve(BackupWriter.DATABASE), partial);
            Files.move(partial, databaseFile, StandardCopyOption.ATOMIC_MOVE);
            restored.add(databaseFile.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new BackupException("restore from " + backup.toAbsolutePath() + " failed: " + e.getMessage(), e);
        }
        return new Result(restored, manifest.path("contents"));
    }

    /** Each file the manifest lists must be there with its size and SHA-256: a damaged copy is refused whole. */
    private static void verify(Path backup, JsonNode files) {
        if (!files.has(BackupWriter.DATABASE)) {
            throw new BackupException("the manifest of " + backup.toAbsolutePath() + " lists no database", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            Path file = backup.resolve(f.getKey());
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != f.getValue().path("bytes").asLong()
                        || !BackupWriter.sha256(file).equals(f.getValue().path("sha256").asText())) {
                    throw new BackupException(file.toAbsolutePath() + " is missing or differs from the manifest: the backup is damaged", null);
                }
            } catch (IOException e) {
                throw new BackupException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Into a file created 0600 before its first byte, as the server creates its own. */
    static void copy(Path from, Path to) throws IOException {
        OwnerOnlyFiles.file(to);
        try (java.io.OutputStream out = Files.newOutputStream(to)) {
            Files.copy(from, out);
        }
    }
}
