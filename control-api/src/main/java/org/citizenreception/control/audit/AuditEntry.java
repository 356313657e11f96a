package org.citizenreception.control.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One audit log row as stored. {@code actorUserId} and friends are null for actions of the system
 * itself (the room directory imported at first start).
 */
public record AuditEntry(long seq, String at, Long actorUserId, String actorUsername, String actorRole,
                         String remoteAddress, String action, String entityType, String entityId,
                         JsonNode detail, String prevHash, String hash) {
}
