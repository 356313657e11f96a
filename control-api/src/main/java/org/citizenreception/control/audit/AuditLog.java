package org.citizenreception.control.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends entries to the keyed audit chain, checkpoints its head and verifies both.
 *
 * <p>Each entry carries an HMAC-SHA256 under the {@link AuditKey} (kept outside the database) over
 * its fields and the previous entry's MAC (see {@link AuditChain}): whoever holds only the database
 * file cannot alter, insert or remove a row and re-chain the rest. The head is checkpointed outside
 * the database ({@link AuditCheckpoints}) on a schedule and at every session end, so cutting off the
 * tail is detected too.
 *
 * <p>Appending reads the last MAC and inserts in the caller's write transaction; the single writer
 * ({@link Transactions}) makes that read-then-insert safe: on SQLite the file's only writer, on
 * PostgreSQL one writer per instance whose transactions hold an advisory lock that the writers of all
 * instances on the database take turns on (see {@code Database}), so no two appends interleave.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    public static final String GENESIS_HASH = AuditChain.GENESIS;
    /** The {@code chain} column of rows MACed under the key; rows of schema V4 say {@code sha256}. */
    static final String KEYED_CHAIN = "hmac-sha256";
    static final String LEGACY_CHAIN = "sha256";
    /** The system's identity for the one-time upgrade of an unkeyed chain. */
    private static final Principal SYSTEM = null;
    /**
     * Keys that would put personal data into the log. A detail naming one is a programming error:
     * audit entries identify people by account id, and petitioners not at all.
     */
    private static final Set<String> FORBIDDEN_KEYS = Set.of("password", "passwordhash", "token", "secret",
            "idnumber", "citizenid", "nationalid", "petitionername", "address", "phone", "email", "dateofbirth");

    /** Canonical JSON: sorted keys, ISO dates, no whitespace, so the stored text is its own canonical form. */
    static final ObjectMapper CANONICAL = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final Database database;
    private final Clock clock;
    private final AuditKey key;
    private final AuditCheckpoints checkpoints;

    /**
     * Opens the log and converts a chain written before keys (schema V4, plain SHA-256) to the keyed
     * chain, once, recording the conversion as an entry of its own.
     */
    public AuditLog(Database database, Clock clock, AuditKey key, AuditCheckpoints checkpoints) {
        this.database = database;
        this.clock = clock;
        this.key = key;
        this.checkpoints = checkpoints;
        upgradeLegacyChain();
    }

    /** Records in its own transaction, or joins the one open on this thread. */
    public AuditEntry record(Principal actor, String remoteAddress, String action, String entityType,
                             String entityId, Map<String, ?> detail) {
        return Transactions.inTransaction(database,
                c -> record(c, actor, remoteAddress, action, entityType, entityId, detail));
    }

    /** Runs {@code work} in a write transaction of the log's database (for {@link BatchedAuditRecorder}). */
    <T> T inTransaction(org.citizenreception.control.store.SqlWork<T> work) {
        return Transactions.inTransaction(database, work);
    }

    /**
     * Records inside the caller's open write transaction on {@code c}: the entry commits or rolls back
     * with the caller's change.
     *
     * @param actor  who acted; null for the system itself
     * @param action a stable verb such as {@code user.create}, {@code room.import}
     * @param detail what changed, without personal data (see {@link #FORBIDDEN_KEYS})
     * @throws IllegalArgumentException when {@code detail} names a personal-data key
     */
    public AuditEntry record(Connection c, Principal actor, String remoteAddress, String action, String entityType,
                             String entityId, Map<String, ?> detail) throws SQLException {
        requireText(action, "action");
        requireText(entityType, "entityType");
        Map<String, ?> safeDetail = detail == null ? Map.of() : detail;
        rejectPersonalData(safeDetail);
        String detailJson;
        try {
            detailJson = CANONICAL.writeValueAsString(safeDetail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serialisable: " + e.getOriginalMessage(), e);
        }
        long seq = 1;
        String prevMac = GENESIS_HASH;
        try (PreparedStatement last = c.prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
             ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                seq = rs.getLong(1) + 1;
                prevMac = rs.getString(2);
            }
        }
        Long userId = actor == null || actor.userId() <= 0 ? null : actor.userId();
        String username = actor == null ? null : actor.username();
        String role = actor == null ? null : actor.role().name();
        String at = clock.instant().toString();
        String mac = AuditChain.mac(key, new AuditChain.Row(seq, at, userId, username, role, remoteAddress, action,
                entityType, entityId, detailJson, prevMac, null));
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_log (seq, at, actor_user_id, actor_username,"
                + " actor_role, remote_address, action, entity_type, entity_id, detail, prev_hash, hash, chain)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            insert.setString(2, at);
            if (userId == null) {
                insert.setNull(3, Types.INTEGER);
            } else {
                insert.setLong(3, userId);
            }
            insert.setString(4, username);
            insert.setString(5, role);
            insert.setString(6, remoteAddress);
            insert.setString(7, action);
            insert.setString(8, entityType);
            insert.setString(9, entityId);
            insert.setString(10, detailJson);
            insert.setString(11, prevMac);
            insert.setString(12, mac);
            insert.setString(13, KEYED_CHAIN);
            insert.executeUpdate();
        }
        return new AuditEntry(seq, at, userId, username, role, remoteAddress, action, entityType, entityId,
                parse(detailJson), prevMac, mac);
    }

    /**
     * What a page of the log is narrowed to; an empty field does not narrow. {@code action} matches a
     * whole verb ({@code user.update}) or, ending in a dot, a family ({@code petition.}); times are
     * half-open, {@code [from, to)}, so consecutive day filters never show an entry twice.
     */
    public record Filter(Optional<String> entityType, Optional<String> entityId, Optional<String> actorUsername,
                         Optional<String> action, Optional<java.time.Instant> from, Optional<java.time.Instant> to) {
        public static Filter entity(Optional<String> entityType, Optional<String> entityId) {
            return new Filter(entityType, entityId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** A page of entries, newest first, optionally for one entity type and id, older than {@code beforeSeq}. */
    public List<AuditEntry> list(Optional<String> entityType, Optional<String> entityId, Optional<Long> beforeSeq, int limit) {
        return list(Filter.entity(entityType, entityId), beforeSeq, limit);
    }

    /** A page of entries matching {@code filter}, newest first, older than {@code beforeSeq}. */
    public List<AuditEntry> list(Filter filter, Optional<Long> beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter.entityType().ifPresent(t -> {
            sql.append(" AND entity_type = ?");
            args.add(t);
        });
        filter.entityId().ifPresent(id -> {
            sql.append(" AND entity_id = ?");
            args.add(id);
        });
        filter.actorUsername().ifPresent(u -> {
            sql.append(" AND actor_username = ?");
            args.add(u);
        });
        filter.action().ifPresent(a -> {
            if (a.endsWith(".")) {
                // substr, not LIKE: an action may contain '_' and LIKE would read it as a wildcard.
                sql.append(" AND substr(action, 1, ?) = ?");
                args.add(a.length());
            } else {
                sql.append(" AND action = ?");
            }
            args.add(a);
        });
        // "at" is stored as Instant.toString(), which sorts as text only when both sides have the same
        // fraction digits; comparing them as instants avoids depending on that.
        filter.from().ifPresent(f -> {
            sql.append(" AND ").append(database.dialect().instant("at")).append(" >= ").append(database.dialect().instant("?"));
            args.add(f.toString());
        });
        filter.to().ifPresent(t -> {
            sql.append(" AND ").append(database.dialect().instant("at")).append(" < ").append(database.dialect().instant("?"));
            args.add(t.toString());
        });
        beforeSeq.ifPresent(s -> {
            sql.append(" AND seq < ?");
            args.add(s);
        });
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(entry(rs));
                    }
                }
                return entries;
            }
        });
    }

    /**
     * Walks the whole chain in order recomputing every MAC, then holds it against the checkpoints
     * written outside the database: a row altered, a row removed, the chain recomputed without the
     * key, the tail cut off — each is reported with the first sequence number that is wrong.
     */
    public AuditChain.Verification verify() {
        List<AuditCheckpoint> written;
        try {
            written = checkpoints.readAll();
        } catch (IllegalArgumentException e) {
            return new AuditChain.Verification(false, 0, null, "the checkpoint file is damaged: " + e.getMessage(), null);
        }
        return Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_log ORDER BY seq");
                 ResultSet rs = ps.executeQuery()) {
                return AuditChain.verify(key, rows(rs), written);
            }
        });
    }

    /** The checkpoints written so far, oldest first (what an auditor takes with an export). */
    public List<AuditCheckpoint> checkpoints() {
        return checkpoints.readAll();
    }

    /**
     * Writes the current head to the checkpoint file (and syslog), unless it was the last one
     * written; called on a schedule and when a session ends.
     */
    public Optional<AuditCheckpoint> checkpoint() {
        Optional<AuditChain.Row> head = Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.<AuditChain.Row>empty();
            }
        });
        return head.flatMap(h -> checkpoints.append(h.seq(), h.mac()));
    }

    /** Hands every row, oldest first, exactly as MACed, to {@code sink} (the export). */
    public void export(Consumer<AuditChain.Row> sink) {
        Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_log ORDER BY seq");
                 ResultSet rs = ps.executeQuery()) {
                Iterator<AuditChain.Row> rows = rows(rs);
                while (rows.hasNext()) {
                    sink.accept(rows.next());
                }
                return null;
            }
        });
    }

    /**
     * Converts a chain written before the audit key existed (plain SHA-256, schema V4) to MACs, once.
     * The old chain is checked first and what was found goes into the entry recording the
     * conversion, so a chain that was already broken is not silently laundered. A log that already
     * holds keyed rows is never converted again (the V15 trigger allows only the one-way change of
     * {@code chain}); old rows left among keyed ones fail verification instead.
     */
    private void upgradeLegacyChain() {
        Transactions.inTransaction(database, c -> {
            long legacy;
            long keyed;
            try (PreparedStatement ps = c.prepareStatement("SELECT SUM(CASE WHEN chain = ? THEN 1 ELSE 0 END), SUM(CASE WHEN chain = ? THEN 1 ELSE 0 END) FROM audit_log")) {
                ps.setString(1, LEGACY_CHAIN);
                ps.setString(2, KEYED_CHAIN);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    legacy = rs.getLong(1);
                    keyed = rs.getLong(2);
                }
            }
            if (legacy == 0) {
                return null;
            }
            if (keyed > 0) {
                log.error("the audit log holds {} unkeyed entries among keyed ones; they are not converted and verification"
                        + " reports them", legacy);
                return null;
            }
            List<AuditChain.Row> old = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_log ORDER BY seq");
                 ResultSet rs = ps.executeQuery()) {
                rows(rs).forEachRemaining(old::add);
            }
            Long firstBroken = null;
            String prev = GENESIS_HASH;
            String prevMac = GENESIS_HASH;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE audit_log SET prev_hash = ?, hash = ?, chain = ? WHERE seq = ?")) {
                for (int i = 0; i < old.size(); i++) {
                    AuditChain.Row row = old.get(i);
                    if (firstBroken == null && (row.seq() != i + 1 || !prev.equals(row.prevMac())
                            || !AuditChain.legacySha256(row).equals(row.mac()))) {
                        firstBroken = (long) (i + 1);
                    }
                    prev = row.mac();
                    AuditChain.Row keyedRow = new AuditChain.Row(row.seq(), row.at(), row.actorUserId(), row.actorUsername(),
                            row.actorRole(), row.remoteAddress(), row.action(), row.entityType(), row.entityId(),
                            row.detail(), prevMac, null);
                    String mac = AuditChain.mac(key, keyedRow);
                    update.setString(1, prevMac);
                    update.setString(2, mac);
                    update.setString(3, KEYED_CHAIN);
                    update.setLong(4, row.seq());
                    update.executeUpdate();
                    prevMac = mac;
                }
            }
            Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("entries", old.size());
            detail.put("legacyHead", old.get(old.size() - 1).mac());
            detail.put("legacyChainValid", firstBroken == null);
            if (firstBroken != null) {
                detail.put("legacyFirstBrokenSeq", firstBroken);
                log.error("the unkeyed audit chain was already broken at entry {} before its conversion to MACs", firstBroken);
            }
            record(c, SYSTEM, null, "audit.rekey", "audit", null, detail);
            log.info("audit log: {} entries of the unkeyed chain re-MACed under the audit key", old.size());
            return null;
        });
        checkpoint();
    }

    private static Iterator<AuditChain.Row> rows(ResultSet rs) {
        return new Iterator<>() {
            Boolean ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    try {
                        ahead = rs.next();
                    } catch (SQLException e) {
                        throw new org.citizenreception.control.store.StoreException("reading the audit log failed", e);
                    }
                }
                return ahead;
            }

            @Override
            public AuditChain.Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = null;
                try {
                    return row(rs);
                } catch (SQLException e) {
                    throw new org.citizenreception.control.store.StoreException("reading the audit log failed", e);
                }
            }
        };
    }

    private static AuditChain.Row row(ResultSet rs) throws SQLException {
        return new AuditChain.Row(rs.getLong("seq"), rs.getString("at"),
                rs.getObject("actor_user_id") == null ? null : rs.getLong("actor_user_id"),
                rs.getString("actor_username"), rs.getString("actor_role"), rs.getString("remote_address"),
                rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"),
                rs.getString("detail"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getString("at"),
                rs.getObject("actor_user_id") == null ? null : rs.getLong("actor_user_id"),
                rs.getString("actor_username"), rs.getString("actor_role"), rs.getString("remote_address"),
                rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"),
                parse(rs.getString("detail")), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return CANONICAL.readTree(json);
        } catch (JsonProcessingException e) {
            return CANONICAL.getNodeFactory().textNode(json);
        }
    }

    private static void rejectPersonalData(Map<String, ?> detail) {
        for (Map.Entry<String, ?> e : detail.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
            if (FORBIDDEN_KEYS.contains(key)) {
                throw new IllegalArgumentException("audit detail must not carry personal data or secrets: key '" + e.getKey() + "'");
            }
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> n = (Map<String, ?>) nested;
                rejectPersonalData(n);
            }
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
