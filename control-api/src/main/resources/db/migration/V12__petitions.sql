-- The reception register (LTCD Art. 25(2)). Nothing here is ever deleted or overwritten without a
-- trace: each change of a petition appends a full snapshot to petition_versions, statuses and
-- annotations are append-only (Decree 55/2022: no silent alteration).

-- Gapless register numbers per year: the counter row is incremented inside the transaction that
-- inserts the petition, so a rolled-back insert gives its number back.
CREATE TABLE register_counters (
    year        INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE petitions (
    id                 INTEGER PRIMARY KEY,
    register_number    TEXT    NOT NULL UNIQUE,
    session_id         INTEGER NOT NULL REFERENCES reception_sessions (id),
    origin_room_code   TEXT    REFERENCES rooms (code),
    kind               TEXT    NOT NULL CHECK (kind IN ('COMPLAINT', 'DENUNCIATION', 'RECOMMENDATION', 'REFLECTION')),
    complaint_round    INTEGER CHECK (complaint_round IN (1, 2)),
    head_count         INTEGER NOT NULL CHECK (head_count >= 1),
    summary            TEXT    NOT NULL,
    requests           TEXT    NOT NULL DEFAULT '',
    prior_handling     TEXT    NOT NULL DEFAULT '',
    handler_agency     TEXT    NOT NULL DEFAULT '',
    complex            INTEGER NOT NULL DEFAULT 0 CHECK (complex IN (0, 1)),
    especially_complex INTEGER NOT NULL DEFAULT 0 CHECK (especially_complex IN (0, 1)),
    remote_area        INTEGER NOT NULL DEFAULT 0 CHECK (remote_area IN (0, 1)),
    status             TEXT    NOT NULL,
    received_on        TEXT    NOT NULL,
    accepted_on        TEXT,
    split_from_id      INTEGER REFERENCES petitions (id),
    next_due_on        TEXT,              -- earliest open deadline, for overdue counts
    version            INTEGER NOT NULL,
    created_at         TEXT    NOT NULL,
    created_by         INTEGER NOT NULL REFERENCES users (id),
    updated_at         TEXT    NOT NULL,
    updated_by         INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX petitions_session ON petitions (session_id);
CREATE INDEX petitions_kind_status ON petitions (kind, status);

-- The petitioners of the current version (the history of earlier ones is in petition_versions).
CREATE TABLE petitioners (
    petition_id    INTEGER NOT NULL REFERENCES petitions (id),
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    id_number      TEXT    NOT NULL DEFAULT '',
    address        TEXT    NOT NULL,
    representative INTEGER NOT NULL CHECK (representative IN (0, 1)),
    PRIMARY KEY (petition_id, position)
) WITHOUT ROWID;

CREATE TABLE petition_versions (
    petition_id   INTEGER NOT NULL REFERENCES petitions (id),
    version       INTEGER NOT NULL,
    snapshot_json TEXT    NOT NULL,
    changed_at    TEXT    NOT NULL,
    changed_by    INTEGER NOT NULL REFERENCES users (id),
    change        TEXT    NOT NULL,       -- create | update | status | annotate | extend | split
    PRIMARY KEY (petition_id, version)
) WITHOUT ROWID;

CREATE TABLE petition_status_history (
    id           INTEGER PRIMARY KEY,
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    from_status  TEXT,
    to_status    TEXT    NOT NULL,
    effective_on TEXT    NOT NULL,
    reason       TEXT,
    at           TEXT    NOT NULL,
    actor        INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX petition_status_history_petition ON petition_status_history (petition_id);

CREATE TABLE petition_annotations (
    id          INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions (id),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    author_name TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    text        TEXT    NOT NULL
);
CREATE INDEX petition_annotations_petition ON petition_annotations (petition_id);

CREATE TABLE petition_extensions (
    id                 INTEGER PRIMARY KEY,
    petition_id        INTEGER NOT NULL REFERENCES petitions (id),
    deadline_kind      TEXT    NOT NULL,
    days               INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
    decision_reference TEXT    NOT NULL,
    decided_on         TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    created_by         INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX petition_extensions_petition ON petition_extensions (petition_id);
