package org.citizenreception.control;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.backup.BackupException;
import org.citizenreception.control.backup.BackupRestore;
import org.citizenreception.control.backup.BackupWriter;
import org.citizenreception.control.config.ConfigProblem;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.store.Dialect;

/**
 * {@code ./run.sh backup [folder]}: one backup now, safe while the server runs (another process,
 * reading the same database file), into {@code folder} or {@code backup.directory}. {@code ./run.sh
 * restore <backup folder>}: puts a backup where the configuration expects the data, refusing to
 * overwrite anything; the server is then started as usual. Both read the same configuration as the
 * server ({@code --key=value} arguments, environment, config/reception.conf).
 */
public final class BackupCommand {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private BackupCommand() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args[0];
        List<String> options = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            (args[i].startsWith("--") ? options : folders).add(args[i]);
        }
        if (folders.size() > 1 || (command.equals("restore") && folders.isEmpty())) {
            err.println("Usage: run.sh backup [folder] [--key=value ...]   |   run.sh restore <backup folder> [--key=value ...]");
            return EXIT_USAGE;
        }
        ReceptionConfig config;
        try {
            config = ReceptionConfig.load(options.toArray(String[]::new), env);
        } catch (ConfigProblem e) {
            err.println("Cannot " + command + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        if (config.store().dialect() == Dialect.POSTGRESQL) {
            // backup and restore are SQLite's online backup of the database file and its copy back.
            err.println("Cannot " + command + ": the store is PostgreSQL (" + config.store().describe() + "). Use pg_dump and"
                    + " pg_restore for the database (see README, Backup); copy the audit key, " + config.audit().keyFile()
                    + ", the case-history key, " + config.caseHistoryKeyFile() + ", and the audit checkpoints beside it.");
            return EXIT_USAGE;
        }
        try {
            if (command.equals("backup")) {
                Path root = folders.isEmpty() ? config.backup().directory() : Path.of(folders.get(0));
                BackupWriter.Result r = BackupWriter.write(config.databaseFile(), config.audit(), config.caseHistoryKeyFile(), root, Clock.systemUTC());
                out.println("Backup written: " + r.folder().toAbsolutePath());
                out.println("  " + r.petitions() + " petitions, " + r.auditEntries() + " audit entries, database " + r.databaseBytes() + " bytes");
                out.println("  Recordings are not in it: copy " + config.recording().directory().toAbsolutePath() + " with rsync -a.");
            } else {
                BackupRestore.Result r = BackupRestore.restore(Path.of(folders.get(0)), config.databaseFile(), config.audit(),
                        config.caseHistoryKeyFile());
                out.println("Restored from " + Path.of(folders.get(0)).toAbsolutePath() + ":");
                r.restored().forEach(f -> out.println("  " + f));
                out.println("  " + r.contents().path("petitions").asLong() + " petitions, " + r.contents().path("auditEntries").asLong()
                        + " audit entries. Start the server now; check the audit chain under Admin > Audit (verify).");
            }
            return EXIT_OK;
        } catch (BackupException e) {
            err.println("Cannot " + command + ": " + e.getMessage());
            return EXIT_FAILED;
        }
    }
}
