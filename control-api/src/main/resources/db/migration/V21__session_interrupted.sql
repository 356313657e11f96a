-- A session that was LIVE when the server process died becomes INTERRUPTED at the next start
-- (never stuck LIVE, never silently ENDED); its host resumes it or ends it. SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt with the new state allowed.
--
-- Flyway runs this in one transaction, where PRAGMA foreign_keys cannot be switched off. Deferring
-- the checks instead lets the parent rows be away for a moment: dropping the old table counts the
-- child rows (attendance, petitions, tokens, recordings) as violations, and re-inserting each parent
-- row clears its children's count again before COMMIT checks that none is left.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE reception_sessions_v21_copy AS SELECT * FROM reception_sessions;
DROP TABLE reception_sessions;

CREATE TABLE reception_sessions (
    id                 INTEGER PRIMARY KEY,
    title              TEXT    NOT NULL,
    scheduled_start    TEXT    NOT NULL,          -- ISO instant (UTC)
    scheduled_end      TEXT    NOT NULL,
    presiding_official TEXT    NOT NULL,
    host_room_code     TEXT    NOT NULL REFERENCES rooms (code),
    invitation_json    TEXT    NOT NULL,
    mode               TEXT    NOT NULL CHECK (mode IN ('ONLINE', 'HYBRID')),
    recording          INTEGER NOT NULL CHECK (recording IN (0, 1)),
    state              TEXT    NOT NULL CHECK (state IN ('SCHEDULED', 'LIVE', 'INTERRUPTED', 'ENDED', 'ARCHIVED', 'CANCELLED', 'POSTPONED')),
    started_at         TEXT,
    ended_at           TEXT,
    floor_room_code    TEXT    REFERENCES rooms (code),
    schedule_id        INTEGER REFERENCES session_schedules (id),
    occurrence_date    TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    presiding_user_id  INTEGER REFERENCES users (id),
    CHECK (scheduled_end > scheduled_start),
    UNIQUE (schedule_id, occurrence_date)
);

INSERT INTO reception_sessions (id, title, scheduled_start, scheduled_end, presiding_official, host_room_code, invitation_json,
                                mode, recording, state, started_at, ended_at, floor_room_code, schedule_id, occurrence_date,
                                version, created_at, created_by, presiding_user_id)
SELECT id, title, scheduled_start, scheduled_end, presiding_official, host_room_code, invitation_json,
       mode, recording, state, started_at, ended_at, floor_room_code, schedule_id, occurrence_date,
       version, created_at, created_by, presiding_user_id
FROM reception_sessions_v21_copy;
DROP TABLE reception_sessions_v21_copy;

CREATE INDEX reception_sessions_start ON reception_sessions (scheduled_start);
CREATE INDEX reception_sessions_state ON reception_sessions (state);
CREATE INDEX reception_sessions_presiding ON reception_sessions (presiding_user_id);
