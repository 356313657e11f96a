/**
 * The audit log: who did what, when, from where. Append-only and hash-chained so that altering or
 * removing a row is detectable ({@link org.citizenreception.control.audit.AuditLog#verify()}).
 *
 * <p>Every service that changes data records here, inside the same transaction as the change
 * ({@code AuditLog.record(Connection, ...)}), so a change and its audit entry commit or roll back
 * together. Details never carry personal data (names, ID numbers, addresses of petitioners):
 * an entry names the entity by id and says what changed, not what the data was.
 */
package org.citizenreception.control.audit;
