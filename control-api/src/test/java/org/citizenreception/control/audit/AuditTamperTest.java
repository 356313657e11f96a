package org.citizenreception.control.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed chain against someone who holds the database file but not the audit key: whatever
 * they change, delete or cut off, {@code verify} names the first wrong entry or the checkpointed head
 * that is missing — on the server and offline with {@link AuditVerify}.
 */
class AuditTamperTest {
    @TempDir
    Path dir;
    TestServer t;
    final Principal admin = new Principal(1, "admin", Role.ADMIN, java.util.Optional.empty());

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private AuditLog start(String... args) {
        t = TestServer.start(dir, args);
        return t.server.services().audit();
    }

    private void append(AuditLog audit, int entries) {
        for (int i = 0; i < entries; i++) {
            audit.record(admin, "10.0.0.1", "test.action", "test", Integer.toString(i), Map.of("n", i));
        }
    }

    @Test
    void anEditedRowIsNamed() throws SQLException {
        AuditLog audit = start();
        append(audit, 6);
        audit.checkpoint();
        long victim = t.count("audit_log") - 3;
        tamper("UPDATE audit_log SET actor_username = 'someone-else' WHERE seq = " + victim);
        JsonNode verify = t.get("/api/v1/audit/verify", t.adminToken()).json();
        assertThat(verify.get("valid").asBoolean()).isFalse();
        assertThat(verify.get("firstBrokenSeq").asLong()).isEqualTo(victim);
        assertThat(verify.get("problem").asText()).contains("entry " + victim);
    }

    /** The attack the unkeyed chain could not see: delete, renumber, recompute every hash with SHA-256. */
    @Test
    void rowsDeletedAndTheChainRecomputedWithPlainSha256AreDetectedAtTheFirstRewrittenRow() throws SQLException {
        AuditLog audit = start();
        append(audit, 8);
        long total = t.count("audit_log");
        long firstDeleted = total - 5;
        tamper("DELETE FROM audit_log WHERE seq IN (" + firstDeleted + ", " + (firstDeleted + 1) + ")");
        rechainWithoutKey(firstDeleted);

        AuditChain.Verification v = audit.verify();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(firstDeleted);
        assertThat(v.problem()).contains("MAC");
        assertThat(t.count("audit_log")).isEqualTo(total - 2);
    }

    @Test
    void aTailCutOffAfterACheckpointIsReportedAsTheMissingCheckpointedHead() throws SQLException {
        AuditLog audit = start();
        String token = t.adminToken();
        append(audit, 5);
        long head = audit.checkpoint().orElseThrow().seq();
        assertThat(audit.verify().valid()).isTrue();
        assertThat(audit.verify().checkpointedHeadSeq()).isEqualTo(head);

        tamper("DELETE FROM audit_log WHERE seq > " + (head - 3));
        JsonNode verify = t.get("/api/v1/audit/verify", token).json();
        assertThat(verify.get("valid").asBoolean()).isFalse();
        assertThat(verify.get("firstBrokenSeq").asLong()).isEqualTo(head - 2);
        assertThat(verify.get("problem").asText()).contains("checkpoint").contains("recorded head " + head)
                .contains("entries " + (head - 2) + ".." + head + " are missing");
    }

    @Test
    void aForgedCheckpointLineIsRefused() {
        AuditLog audit = start();
        append(audit, 2);
        AuditCheckpoint real = audit.checkpoint().orElseThrow();
        AuditKey otherKey = AuditKey.decode(java.util.Base64.getEncoder().encodeToString(new byte[32]), "test");
        appendLine(AuditCheckpoint.signed(otherKey, real.seq(), real.mac(), real.at()).toJsonLine());
        AuditChain.Verification v = audit.verify();
        assertThat(v.valid()).isFalse();
        assertThat(v.problem()).contains("wrong signature");
    }

    @Test
    void endingASessionCheckpointsTheHeadIncludingTheEndItself() throws Exception {
        AuditLog audit = start();
        long session = t.scheduleOnlineSession("Checkpointed", "QN-VP", List.of("QN25-HA-LONG"));
        var sessions = t.server.services().domain().sessions();
        sessions.mediaReportedLive(session);
        sessions.mediaReportedEnded(session);
        long endSeq = latestSeq("session.state");
        waitUntil(() -> audit.checkpoints().stream().anyMatch(c -> c.seq() >= endSeq), "a checkpoint after the session end");
        assertThat(audit.verify().valid()).isTrue();
    }

    @Test
    void theHeadIsCheckpointedOnScheduleToTheFileAndToSyslog() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            collector.setSoTimeout(30_000);
            AuditLog audit = start("--audit.checkpoint-interval-seconds=1",
                    "--audit.syslog=127.0.0.1:" + collector.getLocalPort());
            append(audit, 3);
            long head = t.count("audit_log");
            waitUntil(() -> audit.checkpoints().stream().anyMatch(c -> c.seq() == head), "the scheduled checkpoint");
            String message;
            do {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                collector.receive(packet);
                message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            } while (!message.contains("seq=" + head + " "));
            AuditCheckpoint written = audit.checkpoints().stream().filter(c -> c.seq() == head).findFirst().orElseThrow();
            assertThat(message).startsWith("<85>1 ").contains("audit-checkpoint").contains("mac=" + written.mac())
                    .contains("sig=" + written.signature());
        }
    }

    @Test
    void anAuditorVerifiesTheExportOfflineAndFindsATamperedLine() throws Exception {
        AuditLog audit = start();
        append(audit, 4);
        audit.checkpoint();
        TestServer.Response export = t.get("/api/v1/audit/export", t.adminToken());
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith(AuditExport.MEDIA_TYPE);
        TestServer.Response checkpoints = t.get("/api/v1/audit/checkpoints", t.adminToken());
        assertThat(checkpoints.status()).isEqualTo(200);
        assertThat(t.get("/api/v1/audit/export", null).status()).isEqualTo(401);

        Path exportFile = Files.writeString(dir.resolve("audit-export.jsonl"), export.body());
        Path checkpointFile = Files.writeString(dir.resolve("audit-checkpoints.jsonl"), checkpoints.body());
        Path keyFile = t.server.config().audit().keyFile();
        assertThat(verifyOffline(exportFile, checkpointFile, keyFile)).startsWith("0 VALID");
        // The export records who took it, and that entry is part of the export.
        assertThat(export.body()).contains("\"action\":\"audit.export\"");

        List<String> lines = new ArrayList<>(Files.readAllLines(exportFile));
        lines.set(2, lines.get(2).replace("\"actorUsername\":\"admin\"", "\"actorUsername\":\"nobody\""));
        Files.write(exportFile, lines);
        assertThat(verifyOffline(exportFile, checkpointFile, keyFile)).startsWith("1 BROKEN at entry 3");

        Files.write(exportFile, Files.readAllLines(dir.resolve("audit-export.jsonl")).subList(0, 1));
        Files.writeString(exportFile, export.body().lines().limit(2).reduce("", (a, b) -> a + b + "\n"));
        assertThat(verifyOffline(exportFile, checkpointFile, keyFile)).startsWith("1 BROKEN at entry 3")
                .contains("are missing");
    }

    @Test
    void theKeyAndCheckpointFilesAreOwnerOnly() throws Exception {
        start();
        Path key = t.server.config().audit().keyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.server.config().audit().checkpointFile())))
                .isEqualTo("rw-------");
    }

    /** A database of the unkeyed version (schema 12, plain SHA-256 chain) is converted once at the first keyed start. */
    @Test
    void anUnkeyedChainIsReMacedOnceAtUpgradeAndTheConversionIsLogged() throws Exception {
        assumeFalse(TestStore.postgresql(), "an audit log of V4 exists only in SQLite files: PostgreSQL starts at V25, keyed");
        Path db = dir.resolve("data").resolve("reception.db");
        Files.createDirectories(db.getParent());
        org.sqlite.SQLiteDataSource old = new org.sqlite.SQLiteDataSource();
        old.setUrl("jdbc:sqlite:" + db);
        org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").target("12").load().migrate();
        String prev = AuditChain.GENESIS;
        try (Connection c = old.getConnection()) {
            for (int seq = 1; seq <= 3; seq++) {
                AuditChain.Row row = new AuditChain.Row(seq, Instant.parse("2026-01-0" + seq + "T08:00:00Z").toString(), null,
                        "old-admin", "ADMIN", "10.0.0.9", "user.update", "user", "7", "{\"n\":" + seq + "}", prev, null);
                String hash = AuditChain.legacySha256(row);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (seq, at, actor_username, actor_role,"
                        + " remote_address, action, entity_type, entity_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                    Object[] values = {seq, row.at(), row.actorUsername(), row.actorRole(), row.remoteAddress(), row.action(),
                            row.entityType(), row.entityId(), row.detail(), prev, hash};
                    for (int i = 0; i < values.length; i++) {
                        ps.setObject(i + 1, values[i]);
                    }
                    ps.executeUpdate();
                }
                prev = hash;
            }
        }

        AuditLog audit = start();
        assertThat(audit.verify().valid()).isTrue();
        JsonNode rekey = t.get("/api/v1/audit?action=audit.rekey", t.adminToken()).json().get("entries");
        assertThat(rekey).hasSize(1);
        assertThat(rekey.get(0).get("seq").asLong()).isEqualTo(4);
        assertThat(rekey.get(0).get("detail").get("entries").asInt()).isEqualTo(3);
        assertThat(rekey.get(0).get("detail").get("legacyChainValid").asBoolean()).isTrue();
        assertThat(rekey.get(0).get("detail").get("legacyHead").asText()).isEqualTo(prev);
        try (Connection c = t.server.database().unpooledConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_log WHERE chain <> 'hmac-sha256'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }

        // A second start does not convert again, and the content of old rows stays as it was.
        t.close();
        audit = start();
        assertThat(t.get("/api/v1/audit?action=audit.rekey", t.adminToken()).json().get("entries")).hasSize(1);
        assertThat(audit.verify().valid()).isTrue();
        assertThat(t.get("/api/v1/audit?entityType=user&entityId=7", t.adminToken()).json().get("entries"))
                .extracting(e -> e.get("detail").get("n").asInt()).containsExactly(3, 2, 1);
    }

    private String verifyOffline(Path export, Path checkpoints, Path key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AuditVerify.run(new String[] {export.toString(), checkpoints.toString(), "--key-file", key.toString()},
                null, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return status + " " + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private long latestSeq(String action) {
        return t.get("/api/v1/audit?action=" + action + "&limit=1", t.adminToken()).json().get("entries").get(0).get("seq").asLong();
    }

    private void appendLine(String line) {
        try {
            Files.writeString(t.server.config().audit().checkpointFile(), line + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Drops the append-only triggers as an attacker with file access would, then changes rows. */
    private void tamper(String sql) throws SQLException {
        try (Connection c = t.server.database().unpooledConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER IF EXISTS audit_log_no_update" + (TestStore.postgresql() ? " ON audit_log" : ""));
            st.execute("DROP TRIGGER IF EXISTS audit_log_no_delete" + (TestStore.postgresql() ? " ON audit_log" : ""));
            st.executeUpdate(sql);
        }
    }

    /**
     * Renumbers the rows from {@code from} on and recomputes their links with plain SHA-256 from the
     * intact row before, the best anyone without the key can do.
     */
    private void rechainWithoutKey(long from) throws SQLException {
        try (Connection c = t.server.database().unpooledConnection()) {
            List<AuditChain.Row> rows = new ArrayList<>();
            String prev;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT hash FROM audit_log WHERE seq = " + (from - 1))) {
                rs.next();
                prev = rs.getString(1);
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM audit_log WHERE seq > " + from + " ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(new AuditChain.Row(rs.getLong("seq"), rs.getString("at"),
                            rs.getObject("actor_user_id") == null ? null : rs.getLong("actor_user_id"), rs.getString("actor_username"),
                            rs.getString("actor_role"), rs.getString("remote_address"), rs.getString("action"),
                            rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("detail"), null, null));
                }
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM audit_log WHERE seq > " + from);
            }
            long seq = from;
            for (AuditChain.Row r : rows) {
                AuditChain.Row renumbered = new AuditChain.Row(seq, r.at(), r.actorUserId(), r.actorUsername(), r.actorRole(),
                        r.remoteAddress(), r.action(), r.entityType(), r.entityId(), r.detail(), prev, null);
                String hash = AuditChain.legacySha256(renumbered);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (seq, at, actor_user_id, actor_username,"
                        + " actor_role, remote_address, action, entity_type, entity_id, detail, prev_hash, hash, chain)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'hmac-sha256')")) {
                    Object[] values = {seq, r.at(), r.actorUserId(), r.actorUsername(), r.actorRole(), r.remoteAddress(),
                            r.action(), r.entityType(), r.entityId(), r.detail(), prev, hash};
                    for (int i = 0; i < values.length; i++) {
                        ps.setObject(i + 1, values[i]);
                    }
                    ps.executeUpdate();
                }
                prev = hash;
                seq++;
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
