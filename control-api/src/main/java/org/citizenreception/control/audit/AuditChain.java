package org.citizenreception.control.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The audit chain's rules, independent of where the rows come from (the database or an exported
 * file), so the server's {@code /audit/verify} and the offline {@link AuditVerify} give the same
 * answer.
 *
 * <p>Each row's MAC is HMAC-SHA256 under the {@link AuditKey} over its {@link #canonical canonical
 * bytes}: every field in a fixed order, length-prefixed, the previous row's MAC included. Without the
 * key nobody can recompute a MAC, so an altered, inserted or removed row breaks the chain at that row
 * even when whoever altered it recomputed every later row with plain SHA-256. Cutting rows off the
 * tail leaves a valid shorter chain: {@link AuditCheckpoint checkpoints} kept outside the database
 * catch that.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** One stored row, its detail as the exact canonical JSON text that was MACed. */
    public record Row(long seq, String at, Long actorUserId, String actorUsername, String actorRole,
                      String remoteAddress, String action, String entityType, String entityId, String detail,
                      String prevMac, String mac) {
        byte[] canonical() {
            return AuditChain.canonical(Long.toString(seq), at, actorUserId == null ? null : actorUserId.toString(),
                    actorUsername, actorRole, remoteAddress, action, entityType, entityId, detail, prevMac);
        }
    }

    /** The outcome of a walk: valid, or the first sequence number at which the log is broken and why. */
    public record Verification(boolean valid, long entries, Long firstBrokenSeq, String problem,
                               Long checkpointedHeadSeq) {
    }

    /** The MAC a row with these fields and this previous MAC must carry. */
    public static String mac(AuditKey key, Row row) {
        return HexFormat.of().formatHex(key.mac(row.canonical()));
    }

    /**
     * The plain SHA-256 of the chain before keys (schema V4); only to check and convert an old
     * chain once at upgrade.
     */
    static String legacySha256(Row row) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(row.canonical()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Walks {@code rows} (in sequence order) recomputing every MAC, then holds the chain against the
     * checkpoints: each checkpoint's signature must verify, and the row it names must exist with the
     * MAC it recorded. The first problem found is reported.
     */
    public static Verification verify(AuditKey key, Iterator<Row> rows, List<AuditCheckpoint> checkpoints) {
        long count = 0;
        long expectedSeq = 1;
        String prev = GENESIS;
        java.util.Map<Long, String> macBySeq = new java.util.HashMap<>();
        java.util.Set<Long> wanted = new java.util.HashSet<>();
        for (AuditCheckpoint cp : checkpoints) {
            wanted.add(cp.seq());
        }
        while (rows.hasNext()) {
            Row row = rows.next();
            count++;
            String problem = null;
            long seq = row.seq();
            if (seq != expectedSeq) {
                problem = seq > expectedSeq ? "entry " + expectedSeq + " is missing" : "entry " + seq + " is out of order";
                seq = expectedSeq;
            } else if (!prev.equals(row.prevMac())) {
                problem = "its previous MAC does not match entry " + (seq - 1);
            } else if (!mac(key, row).equals(row.mac())) {
                problem = "its content does not match its MAC (altered, or written without the audit key)";
            }
            if (problem != null) {
                return new Verification(false, count, seq, "entry " + seq + ": " + problem, null);
            }
            if (wanted.contains(seq)) {
                macBySeq.put(seq, row.mac());
            }
            prev = row.mac();
            expectedSeq++;
        }
        long lastSeq = expectedSeq - 1;
        Long highest = null;
        for (AuditCheckpoint cp : checkpoints) {
            if (!cp.signatureValid(key)) {
                return new Verification(false, count, null, "checkpoint of " + cp.at() + " for entry " + cp.seq()
                        + " has a wrong signature (forged or altered)", cp.seq());
            }
            if (cp.seq() > lastSeq) {
                return new Verification(false, count, lastSeq + 1, "the log ends at entry " + lastSeq
                        + " but the checkpoint of " + cp.at() + " recorded head " + cp.seq()
                        + ": entries " + (lastSeq + 1) + ".." + cp.seq() + " are missing", cp.seq());
            }
            if (!cp.mac().equals(macBySeq.get(cp.seq()))) {
                return new Verification(false, count, cp.seq(), "entry " + cp.seq()
                        + " does not match the head checkpointed at " + cp.at(), cp.seq());
            }
            highest = highest == null ? cp.seq() : Math.max(highest, cp.seq());
        }
        return new Verification(true, count, null, null, highest);
    }

    /** Length-prefixed fields: {@code 5:hello}, {@code ~} for null; unambiguous for any content. */
    static byte[] canonical(String... fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            if (f == null) {
                sb.append('~');
            } else {
                sb.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f);
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Lower-case hex comparison in constant time, for MACs. */
    static boolean sameMac(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
                b.getBytes(StandardCharsets.US_ASCII));
    }
}
