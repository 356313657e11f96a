package org.citizenreception.control.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signed head of the audit chain at one moment: its sequence number and MAC, when, and a MAC of
 * those three under the audit key, so a checkpoint line cannot be written or moved without the key.
 * Kept outside the database (see {@link AuditCheckpoints}); a chain shorter than a checkpoint, or
 * with another MAC at its sequence number, was cut or re-chained.
 */
public record AuditCheckpoint(long seq, String mac, String at, String signature) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static AuditCheckpoint signed(AuditKey key, long seq, String mac, String at) {
        return new AuditCheckpoint(seq, mac, at, sign(key, seq, mac, at));
    }

    public boolean signatureValid(AuditKey key) {
        return AuditChain.sameMac(signature, sign(key, seq, mac, at));
    }

    private static String sign(AuditKey key, long seq, String mac, String at) {
        return HexFormat.of().formatHex(key.mac(AuditChain.canonical("audit-checkpoint", Long.toString(seq), mac, at)));
    }

    /** One JSON line: {@code {"seq":..,"mac":"..","at":"..","sig":".."}}. */
    public String toJsonLine() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("seq", seq);
        line.put("mac", mac);
        line.put("at", at);
        line.put("sig", signature);
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The syslog form: the same fields as key=value, no JSON quoting for collectors that index words. */
    public String toSyslogText() {
        return "audit-checkpoint seq=" + seq + " mac=" + mac + " at=" + at + " sig=" + signature;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    public static AuditCheckpoint parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.path("seq").canConvertToLong() || !n.path("mac").isTextual() || !n.path("at").isTextual()
                    || !n.path("sig").isTextual()) {
                throw new IllegalArgumentException("expected {\"seq\":n,\"mac\":\"..\",\"at\":\"..\",\"sig\":\"..\"}");
            }
            return new AuditCheckpoint(n.get("seq").asLong(), n.get("mac").asText(), n.get("at").asText(), n.get("sig").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
