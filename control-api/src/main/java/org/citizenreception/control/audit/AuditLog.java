package org.citizenreception.control.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.user.Principal;

/**
 * Appends entries to the hash-chained audit log and verifies the chain.
 *
 * <p>Each entry's hash is SHA-256 over {@link #canonical canonical bytes}: every field in a fixed
 * order, each written as its UTF-8 byte length, a colon and the bytes (or {@code ~} for null), so no
 * two different entries encode alike. The previous entry's hash is one of the fields, so the chain
 * breaks at the first altered, inserted or removed row. The first entry's previous hash is 64 zeros.
 *
 * <p>Appending reads the last hash and inserts in the caller's write transaction; the single SQLite
 * writer ({@link Transactions}) makes that read-then-insert safe. (A PostgreSQL store needs a lock
 * on the log's head row for the same guarantee.)
 */
public final class AuditLog {
    public static final String GENESIS_HASH = "0".repeat(64);
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

    public AuditLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Records in its own transaction, or joins the one open on this thread. */
    public AuditEntry record(Principal actor, String remoteAddress, String action, String entityType,
                             String entityId, Map<String, ?> detail) {
        return Transactions.inTransaction(database,
                c -> record(c, actor, remoteAddress, action, entityType, entityId, detail));
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
        String prevHash = GENESIS_HASH;
        try (PreparedStatement last = c.prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
             ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                seq = rs.getLong(1) + 1;
                prevHash = rs.getString(2);
            }
        }
        Long userId = actor == null || actor.userId() <= 0 ? null : actor.userId();
        String username = actor == null ? null : actor.username();
        String role = actor == null ? null : actor.role().name();
        String at = clock.instant().toString();
        String hash = hash(seq, at, userId, username, role, remoteAddress, action, entityType, entityId, detailJson, prevHash);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_log (seq, at, actor_user_id, actor_username,"
                + " actor_role, remote_address, action, entity_type, entity_id, detail, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            insert.setString(11, prevHash);
            insert.setString(12, hash);
            insert.executeUpdate();
        }
        return new AuditEntry(seq, at, userId, username, role, remoteAddress, action, entityType, entityId,
                parse(detailJson), prevHash, hash);
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
        // fraction digits; comparing julianday values avoids depending on that.
        filter.from().ifPresent(f -> {
            sql.append(" AND julianday(at) >= julianday(?)");
            args.add(f.toString());
        });
        filter.to().ifPresent(t -> {
            sql.append(" AND julianday(at) < julianday(?)");
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

    /** The outcome of {@link #verify()}: valid, or the first sequence number at which the chain breaks. */
    public record Verification(boolean valid, long entries, Long firstBrokenSeq, String problem) {
    }

    /** Walks the whole chain in order, recomputing every hash. */
    public Verification verify() {
        return Transactions.read(database, c -> {
            long count = 0;
            long expectedSeq = 1;
            String prev = GENESIS_HASH;
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_log ORDER BY seq");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    count++;
                    long seq = rs.getLong("seq");
                    Long userId = rs.getObject("actor_user_id") == null ? null : rs.getLong("actor_user_id");
                    String problem = null;
                    if (seq != expectedSeq) {
                        problem = "entry " + expectedSeq + " is missing";
                        seq = expectedSeq;
                    } else if (!prev.equals(rs.getString("prev_hash"))) {
                        problem = "previous hash does not match entry " + (seq - 1);
                    } else if (!hash(seq, rs.getString("at"), userId, rs.getString("actor_username"), rs.getString("actor_role"),
                            rs.getString("remote_address"), rs.getString("action"), rs.getString("entity_type"),
                            rs.getString("entity_id"), rs.getString("detail"), rs.getString("prev_hash"))
                            .equals(rs.getString("hash"))) {
                        problem = "content does not match its hash";
                    }
                    if (problem != null) {
                        return new Verification(false, count, seq, problem);
                    }
                    prev = rs.getString("hash");
                    expectedSeq++;
                }
            }
            return new Verification(true, count, null, null);
        });
    }

    static String hash(long seq, String at, Long userId, String username, String role, String remote, String action,
                       String entityType, String entityId, String detailJson, String prevHash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical(Long.toString(seq), at,
                    userId == null ? null : userId.toString(), username, role, remote, action, entityType, entityId,
                    detailJson, prevHash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
