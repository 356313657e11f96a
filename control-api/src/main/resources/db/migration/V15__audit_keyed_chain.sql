-- The audit chain becomes keyed: prev_hash and hash now hold HMAC-SHA256 values under a key kept
-- outside the database (see AuditKey, AuditChain). chain says which scheme a row was written with;
-- rows of V4 are 'sha256' until the server converts the whole chain once at its first start with a
-- key (recorded as an audit.rekey entry). The only update ever allowed is that one-way conversion,
-- which changes nothing but the two MAC columns and chain.
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT 'sha256';

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.chain = 'sha256' AND NEW.chain = 'hmac-sha256'
          AND NEW.seq = OLD.seq AND NEW.at IS OLD.at AND NEW.actor_user_id IS OLD.actor_user_id
          AND NEW.actor_username IS OLD.actor_username AND NEW.actor_role IS OLD.actor_role
          AND NEW.remote_address IS OLD.remote_address AND NEW.action IS OLD.action
          AND NEW.entity_type IS OLD.entity_type AND NEW.entity_id IS OLD.entity_id AND NEW.detail IS OLD.detail)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
