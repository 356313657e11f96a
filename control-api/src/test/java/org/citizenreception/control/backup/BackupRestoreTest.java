package org.citizenreception.control.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.citizenreception.control.BackupCommand;
import org.citizenreception.control.Main;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup story end to end: while four secretaries keep registering petitions, {@code backup}
 * runs as its own process against the live database; the backup is restored into a fresh data
 * folder and a server started on it has every petition acknowledged before the backup began, with
 * its content, and an audit chain that verifies (the key and checkpoints came along). A restore
 * never overwrites a database, and a damaged backup is refused whole.
 */
class BackupRestoreTest {
    /** Backup and restore are SQLite's online backup of the file; a PostgreSQL store is backed up with pg_dump. */
    @org.junit.jupiter.api.BeforeEach
    void sqliteOnly() {
        assumeFalse(TestStore.postgresql(), "backup is SQLite's; PostgreSQL: pg_dump");
    }

    private static final int WRITERS = 4;
    private static final int ACKNOWLEDGED_BEFORE_BACKUP = 30;

    @TempDir
    Path dir;

    record Acknowledged(String registerNumber, String summary) {
    }

    @Test
    void aBackupTakenWhilePetitionsAreWrittenRestoresEveryPetitionAcknowledgedBeforeItAndAVerifiableChain() throws Exception {
        Path backups = dir.resolve("backups");
        Map<Long, Acknowledged> before;
        Path backup;
        int writtenDuringBackup;
        try (TestServer live = TestServer.start(dir.resolve("live"))) {
            live.createUser("backup.host", Role.HOST, null);
            live.createUser("backup.sec", Role.SECRETARY, null);
            String host = live.token("backup.host", TestServer.passwordOf("backup.host"));
            String secretary = live.token("backup.sec", TestServer.passwordOf("backup.sec"));
            long session = live.scheduleOnlineSession("Sao lưu", "QN-VP", List.of("QN25-HA-LONG"));
            assertThat(live.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);

            Map<Long, Acknowledged> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; writing.get(); i++) {
                        String summary = "Kiến nghị của thư ký " + writer + " số " + i;
                        TestServer.Response r = live.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary,
                                Map.of("kind", "RECOMMENDATION", "summary", summary,
                                        "petitioners", List.of(Map.of("name", "Nguyễn Văn " + i, "address", "Hạ Long"))));
                        if (r.status() == 201) {
                            acknowledged.put(r.json().get("id").asLong(), new Acknowledged(r.json().get("registerNumber").asText(), summary));
                        }
                    }
                    return null;
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_BACKUP && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling the writers' progress, not timing the backup
            }
            before = new HashMap<>(acknowledged);
            assertThat(before).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_BACKUP);

            Process backupProcess = javaMain(dir.resolve("backup.log"), "backup", backups.toString(),
                    "--data.dir=" + dir.resolve("live").resolve("data"));
            assertThat(backupProcess.waitFor(120, TimeUnit.SECONDS)).isTrue();
            writtenDuringBackup = acknowledged.size() - before.size();
            writing.set(false);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(backupProcess.exitValue()).as(Files.readString(dir.resolve("backup.log"))).isZero();
            try (var list = Files.list(backups)) {
                backup = list.filter(p -> p.getFileName().toString().startsWith(BackupWriter.PREFIX)).findFirst().orElseThrow();
            }
        }
        assertThat(writtenDuringBackup).as("secretaries kept writing while the backup ran").isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.resolve(BackupWriter.DATABASE)))).isEqualTo("rw-------");
        assertThat(backup.resolve(BackupWriter.KEY)).exists();
        assertThat(backup.resolve(BackupWriter.CASE_KEY)).as("the ID-number hash key: without it the case history finds nothing").exists();

        Path fresh = dir.resolve("restored");
        Output restored = command("restore", backup.toString(), "--data.dir=" + fresh.resolve("data"));
        assertThat(restored.exit()).as(restored.err()).isZero();
        Output again = command("restore", backup.toString(), "--data.dir=" + fresh.resolve("data"));
        assertThat(again.exit()).as("a restore never overwrites").isEqualTo(1);
        assertThat(again.err()).contains("exists");
        assertThat(Files.mismatch(backup.resolve(BackupWriter.CASE_KEY), fresh.resolve("data").resolve("keys").resolve("case-history.key")))
                .as("the restored case-history key is the backed-up one").isEqualTo(-1L);

        try (TestServer server = TestServer.start(fresh)) {
            String admin = server.adminToken();
            for (Map.Entry<Long, Acknowledged> e : before.entrySet()) {
                TestServer.Response p = server.get("/api/v1/petitions/" + e.getKey(), admin);
                JsonNode petition = p.json().get("petition");
                assertThat(p.status()).as("petition %d acknowledged before the backup", e.getKey()).isEqualTo(200);
                assertThat(petition.get("registerNumber").asText()).isEqualTo(e.getValue().registerNumber());
                assertThat(petition.get("summary").asText()).isEqualTo(e.getValue().summary());
            }
            JsonNode verify = server.get("/api/v1/audit/verify", admin).json();
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
        }
    }

    @Test
    void aDamagedBackupIsRefusedWholeAndNothingIsRestored() throws Exception {
        try (TestServer live = TestServer.start(dir.resolve("live"))) {
            live.adminToken(); // something in the log
            live.server.backups().backupNow();
        }
        Path backup;
        try (var list = Files.list(dir.resolve("live").resolve("data").resolve("backups"))) {
            backup = list.findFirst().orElseThrow();
        }
        byte[] db = Files.readAllBytes(backup.resolve(BackupWriter.DATABASE));
        db[db.length / 2] ^= 1;
        Files.write(backup.resolve(BackupWriter.DATABASE), db);
        Output restored = command("restore", backup.toString(), "--data.dir=" + dir.resolve("fresh").resolve("data"));
        assertThat(restored.exit()).isEqualTo(1);
        assertThat(restored.err()).contains("damaged");
        assertThat(dir.resolve("fresh").resolve("data").resolve("reception.db")).doesNotExist();
        assertThat(dir.resolve("fresh").resolve("data").resolve("keys").resolve("audit.key")).doesNotExist();
    }

    record Output(int exit, String out, String err) {
    }

    private static Output command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BackupCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The server's own entry point in a child JVM: a second process on the live database, as an operator runs it. */
    private Process javaMain(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
