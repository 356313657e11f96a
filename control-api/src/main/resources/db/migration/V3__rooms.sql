-- The room directory: a tree of any depth (province office, optional district tier, communes,
-- wards, special zones). Rooms are never deleted: a unit that ceases to exist gets valid_to, so
-- sessions, attendance and petitions of the past keep pointing at it.
CREATE TABLE rooms (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('PROVINCE', 'DISTRICT', 'COMMUNE', 'WARD', 'SPECIAL_ZONE')),
    parent_code TEXT REFERENCES rooms (code),
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to),
    CHECK (parent_code IS NULL OR parent_code <> code)
);
CREATE INDEX rooms_parent ON rooms (parent_code);

-- Mergers: a predecessor unit continued in each successor unit. Either side may be a unit of a
-- directory that is not loaded (a 2025 directory naming its 2024 predecessors), so no foreign key.
CREATE TABLE room_successions (
    predecessor_code TEXT NOT NULL,
    successor_code   TEXT NOT NULL,
    PRIMARY KEY (predecessor_code, successor_code)
);
CREATE INDEX room_successions_successor ON room_successions (successor_code);
