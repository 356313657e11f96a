package org.citizenreception.control.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Verifies an exported audit log offline, without the server or its database:
 * <pre>
 * java -cp reception-control-api.jar org.citizenreception.control.audit.AuditVerify \
 *      audit-export.jsonl audit-checkpoints.jsonl --key-file audit.key
 * </pre>
 * The key may instead come from the environment variable {@code RECEPTION_AUDIT_KEY} (base64).
 * Exit status 0: every MAC and every checkpoint holds; 1: the log is broken (the first wrong sequence
 * number is printed); 2: the command was used wrongly or a file cannot be read.
 */
public final class AuditVerify {
    static final int VALID = 0;
    static final int BROKEN = 1;
    static final int USAGE = 2;
    static final String KEY_ENV = "RECEPTION_AUDIT_KEY";

    private AuditVerify() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(KEY_ENV), System.out, System.err));
    }

    static int run(String[] args, String keyFromEnv, PrintStream out, PrintStream err) {
        Path export = null;
        Path checkpoints = null;
        Path keyFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--key-file") && i + 1 < args.length) {
                keyFile = Path.of(args[++i]);
            } else if (args[i].startsWith("--")) {
                return usage(err, "unknown option " + args[i]);
            } else if (export == null) {
                export = Path.of(args[i]);
            } else if (checkpoints == null) {
                checkpoints = Path.of(args[i]);
            } else {
                return usage(err, "too many arguments");
            }
        }
        if (export == null || checkpoints == null) {
            return usage(err, "an export file and a checkpoint file are needed");
        }
        AuditKey key;
        try {
            if (keyFile != null) {
                key = AuditKey.decode(java.nio.file.Files.readString(keyFile), keyFile.toString());
            } else if (keyFromEnv != null && !keyFromEnv.isBlank()) {
                key = AuditKey.decode(keyFromEnv, KEY_ENV);
            } else {
                return usage(err, "no key: give --key-file FILE or set " + KEY_ENV);
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("Cannot read the audit key: " + e.getMessage());
            return USAGE;
        }
        List<AuditCheckpoint> written;
        try {
            written = AuditCheckpoints.read(checkpoints);
        } catch (RuntimeException e) {
            err.println("Cannot read the checkpoints: " + e.getMessage());
            return USAGE;
        }
        AuditChain.Verification v;
        try (BufferedReader in = AuditExport.open(export)) {
            v = AuditChain.verify(key, AuditExport.read(in), written);
        } catch (IOException | RuntimeException e) {
            err.println("Cannot read the export: " + e.getMessage());
            return USAGE;
        }
        if (v.valid()) {
            out.println("VALID: " + v.entries() + " entries, " + written.size() + " checkpoints"
                    + Optional.ofNullable(v.checkpointedHeadSeq()).map(s -> ", last checkpointed head " + s).orElse(""));
            return VALID;
        }
        out.println("BROKEN" + Optional.ofNullable(v.firstBrokenSeq()).map(s -> " at entry " + s).orElse("") + ": " + v.problem());
        return BROKEN;
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println("usage: java -cp reception-control-api.jar " + AuditVerify.class.getName()
                + " EXPORT.jsonl CHECKPOINTS.jsonl [--key-file KEYFILE]   (or the key in " + KEY_ENV + ")");
        return USAGE;
    }
}
