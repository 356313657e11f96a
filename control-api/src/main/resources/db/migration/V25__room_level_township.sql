-- Townships (thị trấn) are their own level in the 2024 directory, as the law of the time had them,
-- not communes: the consoles, the join-links sheet and the reports name them "Thị trấn". SQLite
-- cannot change a CHECK constraint in place, so the rooms table is rebuilt with TOWNSHIP allowed.
--
-- As in V21: Flyway runs this in one transaction, where PRAGMA foreign_keys cannot be switched off.
-- Deferring the checks lets the rooms be away for a moment (sessions, invitations, attendance,
-- petitions, users and tokens point at them, and rooms at their parents); re-inserting every room
-- clears those counts before COMMIT checks that none is left.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE rooms_v25_copy AS SELECT * FROM rooms;
DROP TABLE rooms;

CREATE TABLE rooms (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('PROVINCE', 'DISTRICT', 'COMMUNE', 'WARD', 'SPECIAL_ZONE', 'TOWNSHIP')),
    parent_code TEXT REFERENCES rooms (code),
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to),
    CHECK (parent_code IS NULL OR parent_code <> code)
);

INSERT INTO rooms (code, name, level, parent_code, valid_from, valid_to, created_at, updated_at)
SELECT code, name, level, parent_code, valid_from, valid_to, created_at, updated_at FROM rooms_v25_copy;
DROP TABLE rooms_v25_copy;

CREATE INDEX rooms_parent ON rooms (parent_code);

-- A township of the 2024 directory imported before this version was stored as a commune; its name
-- says what it was.
UPDATE rooms SET level = 'TOWNSHIP' WHERE level = 'COMMUNE' AND name LIKE 'Thị trấn %';
