-- Reception sessions, their recurring schedules, invitations, room join tokens and the floor.
-- Applies after the room directory and users (V1..V9): rooms are referenced by code.

CREATE TABLE session_schedules (
    id                 INTEGER PRIMARY KEY,
    title              TEXT    NOT NULL,
    recurrence_json    TEXT    NOT NULL,          -- Recurrence as JSON (type + fields)
    start_time         TEXT    NOT NULL,          -- local time HH:MM in time_zone
    end_time           TEXT    NOT NULL,
    time_zone          TEXT    NOT NULL,
    valid_from         TEXT    NOT NULL,          -- first date considered (ISO date)
    valid_until        TEXT,                      -- last date considered, or open-ended
    horizon_days       INTEGER NOT NULL CHECK (horizon_days BETWEEN 1 AND 366),
    presiding_official TEXT    NOT NULL,
    host_room_code     TEXT    NOT NULL REFERENCES rooms (code),
    invitation_json    TEXT    NOT NULL,          -- Invitation as JSON (ALL | SUBTREE | LIST)
    mode               TEXT    NOT NULL CHECK (mode IN ('ONLINE', 'HYBRID')),
    recording          INTEGER NOT NULL CHECK (recording IN (0, 1)),
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at         TEXT    NOT NULL,
    created_by         INTEGER REFERENCES users (id)
);

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
    state              TEXT    NOT NULL CHECK (state IN ('SCHEDULED', 'LIVE', 'ENDED', 'ARCHIVED', 'CANCELLED', 'POSTPONED')),
    started_at         TEXT,
    ended_at           TEXT,
    floor_room_code    TEXT    REFERENCES rooms (code),
    schedule_id        INTEGER REFERENCES session_schedules (id),
    occurrence_date    TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    created_by         INTEGER REFERENCES users (id),
    CHECK (scheduled_end > scheduled_start),
    UNIQUE (schedule_id, occurrence_date)
);
CREATE INDEX reception_sessions_start ON reception_sessions (scheduled_start);
CREATE INDEX reception_sessions_state ON reception_sessions (state);

-- The rooms invited, resolved when the session is created or its invitation edited, so a report
-- on an old session still lists the rooms of the directory that was valid then.
CREATE TABLE session_invited_rooms (
    session_id INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code  TEXT    NOT NULL REFERENCES rooms (code),
    PRIMARY KEY (session_id, room_code)
) WITHOUT ROWID;

-- Append-only: every state change with who and why.
CREATE TABLE session_state_history (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES reception_sessions (id),
    from_state  TEXT,
    to_state    TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    reason      TEXT
);
CREATE INDEX session_state_history_session ON session_state_history (session_id);

-- Join tokens: only the SHA-256 of the token is stored, so a copy of the database admits nobody.
CREATE TABLE room_join_tokens (
    token_hash  TEXT    PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code   TEXT    NOT NULL REFERENCES rooms (code),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX room_join_tokens_session ON room_join_tokens (session_id, room_code);

-- Raised hands, in the order raised (rowid breaks ties of equal timestamps); a lowered or granted
-- hand leaves the queue.
CREATE TABLE session_hands (
    session_id INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code  TEXT    NOT NULL REFERENCES rooms (code),
    raised_at  TEXT    NOT NULL,
    PRIMARY KEY (session_id, room_code)
);
