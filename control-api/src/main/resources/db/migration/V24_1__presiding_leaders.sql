-- Issue 13 (with V24): the presiding official is a person, either a HOST account (V13) or an entry
-- of the leaders list the administrator keeps, so a duty report counts sessions per person (LTCD
-- Art. 12(5), 15(2)(d), 18) instead of per spelling of a typed name.
CREATE TABLE leaders (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    position      TEXT    NOT NULL DEFAULT '',   -- e.g. Chủ tịch UBND tỉnh
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT    NOT NULL,
    filed_from    TEXT                           -- 'typed name' when made from free text (this migration, older clients), else null
);
CREATE UNIQUE INDEX leaders_name ON leaders (name);

ALTER TABLE reception_sessions ADD COLUMN presiding_leader_id INTEGER REFERENCES leaders (id);
ALTER TABLE session_schedules ADD COLUMN presiding_leader_id INTEGER REFERENCES leaders (id);

-- Free text that V13 could not link to an account becomes one leader entry per distinct trimmed
-- name; each session keeps the name as it was announced beside the link.
INSERT INTO leaders (name, created_at, filed_from)
SELECT DISTINCT trim(presiding_official), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'typed name'
FROM (SELECT presiding_official FROM reception_sessions WHERE presiding_user_id IS NULL
      UNION SELECT presiding_official FROM session_schedules WHERE presiding_user_id IS NULL)
WHERE trim(presiding_official) <> '';

UPDATE reception_sessions SET presiding_leader_id = (SELECT l.id FROM leaders l WHERE l.name = trim(reception_sessions.presiding_official))
WHERE presiding_user_id IS NULL;
UPDATE session_schedules SET presiding_leader_id = (SELECT l.id FROM leaders l WHERE l.name = trim(session_schedules.presiding_official))
WHERE presiding_user_id IS NULL;
CREATE INDEX reception_sessions_presiding_leader ON reception_sessions (presiding_leader_id);
