-- Attendance: every endpoint connect/disconnect the media bridge reports (append-only), the
-- officials each room says are present, and its citizen head count.

CREATE TABLE attendance_events (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code   TEXT    NOT NULL REFERENCES rooms (code),
    endpoint_id TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('CONNECT', 'DISCONNECT')),
    at          TEXT    NOT NULL,
    reason      TEXT
);
CREATE INDEX attendance_events_session ON attendance_events (session_id, room_code);

CREATE TABLE attendance_officials (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code   TEXT    NOT NULL REFERENCES rooms (code),
    name        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    entered_at  TEXT    NOT NULL,
    entered_by  TEXT    NOT NULL,
    removed_at  TEXT,                 -- a correction marks the row removed; it is never deleted
    removed_by  TEXT
);
CREATE INDEX attendance_officials_session ON attendance_officials (session_id, room_code);

CREATE TABLE attendance_headcounts (
    session_id  INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code   TEXT    NOT NULL REFERENCES rooms (code),
    citizens    INTEGER NOT NULL CHECK (citizens >= 0),
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL,
    PRIMARY KEY (session_id, room_code)
) WITHOUT ROWID;
