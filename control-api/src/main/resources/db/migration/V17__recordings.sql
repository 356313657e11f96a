-- Recordings of sessions (issue 12; Law 136/2025/QH15: online receptions are kept long-term).
-- One row per file: each part of each stage slot as recorded, the composed program and its
-- chapters, the session record (PDF/A). A file is sealed when it will not change again: its SHA-256 is stored here and written
-- to the audit log, so a later change to the file is detectable (GET .../recordings/{id}/verify).
-- Rows are never deleted: disposal after the retention period keeps the row with disposed_at set.
CREATE TABLE recordings (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES reception_sessions (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('SLOT', 'PROGRAM', 'CHAPTERS', 'RECORD')),
    file_name      TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    started_at     TEXT    NOT NULL,          -- ISO instant of the file's first media
    ended_at       TEXT    NOT NULL,
    duration_ms    INTEGER NOT NULL CHECK (duration_ms >= 0),
    size_bytes     INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256         TEXT    NOT NULL,
    sealed_at      TEXT    NOT NULL,
    interrupted    INTEGER NOT NULL DEFAULT 0 CHECK (interrupted IN (0, 1)),  -- recovered after a crash
    disposed_at    TEXT,
    disposed_by    INTEGER REFERENCES users (id),
    UNIQUE (session_id, file_name)
);
CREATE INDEX recordings_by_session ON recordings (session_id);
