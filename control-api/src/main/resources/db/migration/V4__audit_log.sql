-- Append-only, hash-chained audit log. Each row's hash is SHA-256 over a canonical encoding of its
-- fields including prev_hash (see AuditLog), so changing or removing any row breaks the chain from
-- there on. detail is canonical JSON without personal data.
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at              TEXT    NOT NULL,
    actor_user_id   INTEGER REFERENCES users (id),
    actor_username  TEXT,
    actor_role      TEXT,
    remote_address  TEXT,
    action          TEXT    NOT NULL,
    entity_type     TEXT    NOT NULL,
    entity_id       TEXT,
    detail          TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
