-- Petitions followed to the end (issue 13): the handling agencies the administrator keeps, each step
-- after acceptance with its legal basis and deadline, links between cases of the same citizen, and
-- the keyed hash that lets a secretary find a citizen's earlier petitions by exact ID-card number.

-- Handling agencies outside the room directory (a department, the provincial inspectorate): kept by
-- the administrator so that a petition names an agency from a list, never free text. An agency that
-- stops handling cases is deactivated, never deleted: earlier steps still name it.
CREATE TABLE agencies (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    room_code  TEXT    REFERENCES rooms (code),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    updated_at TEXT    NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users (id)
);

-- The date of the decision (complaint) or conclusion (denunciation): the notice deadline runs from it.
ALTER TABLE petitions ADD COLUMN decided_on TEXT;

-- Each step of a petition after acceptance (assigned, transferred, in progress, dialogue held,
-- decided, notified, closed, withdrawn): dated, by whom, with the article it follows and the deadline
-- then due. Append-only like the other histories (V16): a step recorded in error is corrected by a
-- later step, never by rewriting this one (Decree 55/2022).
CREATE TABLE petition_steps (
    id               INTEGER PRIMARY KEY,
    petition_id      INTEGER NOT NULL REFERENCES petitions (id),
    step             TEXT    NOT NULL,
    effective_on     TEXT    NOT NULL,
    legal_basis      TEXT    NOT NULL,
    agency_id        INTEGER REFERENCES agencies (id),
    agency_room_code TEXT    REFERENCES rooms (code),
    agency_name      TEXT,
    session_id       INTEGER REFERENCES reception_sessions (id),
    decision_number  TEXT,
    signer           TEXT,
    outcome          TEXT CHECK (outcome IN ('UPHELD', 'PARTLY_UPHELD', 'REJECTED')),
    handling         TEXT,
    notice_method    TEXT,
    note             TEXT,
    due_on           TEXT,
    due_basis        TEXT,
    at               TEXT    NOT NULL,
    actor            INTEGER NOT NULL REFERENCES users (id),
    actor_name       TEXT    NOT NULL
);
CREATE INDEX petition_steps_petition ON petition_steps (petition_id);

CREATE TRIGGER petition_steps_no_update BEFORE UPDATE ON petition_steps
BEGIN
    SELECT RAISE(ABORT, 'petition_steps is append-only');
END;

CREATE TRIGGER petition_steps_no_delete BEFORE DELETE ON petition_steps
BEGIN
    SELECT RAISE(ABORT, 'petition_steps is append-only');
END;

-- Cases of the same citizen: a second-round complaint and its first round (LKN Art. 33, 37), a
-- repeated petition, a prolonged case, a group case. Append-only: a link is evidence of what the
-- secretary found when registering.
CREATE TABLE petition_links (
    id          INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions (id),
    linked_id   INTEGER NOT NULL REFERENCES petitions (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('SECOND_ROUND', 'REPEAT', 'PROLONGED', 'GROUP')),
    created_at  TEXT    NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users (id),
    UNIQUE (petition_id, linked_id, kind),
    CHECK (petition_id <> linked_id)
);
CREATE INDEX petition_links_linked ON petition_links (linked_id);

CREATE TRIGGER petition_links_no_update BEFORE UPDATE ON petition_links
BEGIN
    SELECT RAISE(ABORT, 'petition_links is append-only');
END;

CREATE TRIGGER petition_links_no_delete BEFORE DELETE ON petition_links
BEGIN
    SELECT RAISE(ABORT, 'petition_links is append-only');
END;

-- HMAC-SHA256 (key in data/keys/case-history.key, outside the database) of the normalised ID-card
-- number, beside the protected value: an exact number finds its petitions, while the column alone
-- cannot be read back nor brute-forced without the key. Rows written before V20 are hashed at start.
ALTER TABLE petitioners ADD COLUMN id_hash TEXT;
CREATE INDEX petitioners_id_hash ON petitioners (id_hash);
