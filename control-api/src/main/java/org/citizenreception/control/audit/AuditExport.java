package org.citizenreception.control.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The export format of the audit log: JSON Lines, one row per line, oldest first, every field as
 * stored — {@code detail} as the exact JSON text that was MACed (a string, so re-formatting a
 * number can never break a MAC). An auditor verifies a file with {@link AuditVerify}.
 */
public final class AuditExport {
    public static final String MEDIA_TYPE = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditExport() {
    }

    public static String line(AuditChain.Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", row.seq());
        m.put("at", row.at());
        m.put("actorUserId", row.actorUserId());
        m.put("actorUsername", row.actorUsername());
        m.put("actorRole", row.actorRole());
        m.put("remoteAddress", row.remoteAddress());
        m.put("action", row.action());
        m.put("entityType", row.entityType());
        m.put("entityId", row.entityId());
        m.put("detail", row.detail());
        m.put("prevMac", row.prevMac());
        m.put("mac", row.mac());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the line that is not a row
     */
    public static AuditChain.Row parse(String line, long lineNumber) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.path("seq").canConvertToLong() || !n.path("mac").isTextual() || !n.path("prevMac").isTextual()) {
                throw new IllegalArgumentException("line " + lineNumber + " is not an audit row");
            }
            return new AuditChain.Row(n.get("seq").asLong(), text(n, "at"),
                    n.path("actorUserId").isNull() || n.path("actorUserId").isMissingNode() ? null : n.get("actorUserId").asLong(),
                    text(n, "actorUsername"), text(n, "actorRole"), text(n, "remoteAddress"), text(n, "action"),
                    text(n, "entityType"), text(n, "entityId"), text(n, "detail"), text(n, "prevMac"), text(n, "mac"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("line " + lineNumber + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads an export lazily, so a log of millions of rows verifies in constant memory. */
    public static Iterator<AuditChain.Row> read(BufferedReader in) {
        return new Iterator<>() {
            String next;
            long number;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null) {
                        String line = in.readLine();
                        if (line == null) {
                            return false;
                        }
                        number++;
                        if (!line.isBlank()) {
                            next = line;
                        }
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public AuditChain.Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return parse(line, number);
            }
        };
    }

    static BufferedReader open(Path file) throws IOException {
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
