-- Issue 13: holiday-aware schedules and room messages.

-- What a recurring schedule does with an occurrence on a weekend or public holiday: hold it on the
-- next working day (MOVE) or not at all (SKIP). Existing schedules move, as the issue asks: a
-- reception announced for a day the office is closed helps nobody.
ALTER TABLE session_schedules ADD COLUMN on_non_working_day TEXT NOT NULL DEFAULT 'MOVE'
    CHECK (on_non_working_day IN ('MOVE', 'SKIP'));

-- Short texts between a room and the session's staff ("no sound", "the citizen is here", a question).
-- A room's message has reply_to null; a staff reply points at the message it answers and belongs to
-- the same room's thread. Kept with the session as it was said: append-only like the other histories (V16).
CREATE TABLE room_messages (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES reception_sessions (id),
    room_code      TEXT    NOT NULL REFERENCES rooms (code),
    reply_to       INTEGER REFERENCES room_messages (id),
    quick          TEXT,                          -- the quick button pressed, or null for free text
    body           TEXT    NOT NULL,
    author_user_id INTEGER,                       -- no FK: a deleted account must not erase what it said
    author_name    TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX room_messages_session ON room_messages (session_id, room_code, id);

-- A message turned into a petition draft: once per message.
CREATE TABLE room_message_petitions (
    message_id  INTEGER PRIMARY KEY REFERENCES room_messages (id),
    petition_id INTEGER NOT NULL REFERENCES petitions (id),
    created_at  TEXT    NOT NULL,
    created_by  INTEGER NOT NULL
);

CREATE TRIGGER room_messages_no_update BEFORE UPDATE ON room_messages
BEGIN
    SELECT RAISE(ABORT, 'room_messages is append-only');
END;

CREATE TRIGGER room_messages_no_delete BEFORE DELETE ON room_messages
BEGIN
    SELECT RAISE(ABORT, 'room_messages is append-only');
END;

CREATE TRIGGER room_message_petitions_no_update BEFORE UPDATE ON room_message_petitions
BEGIN
    SELECT RAISE(ABORT, 'room_message_petitions is append-only');
END;

CREATE TRIGGER room_message_petitions_no_delete BEFORE DELETE ON room_message_petitions
BEGIN
    SELECT RAISE(ABORT, 'room_message_petitions is append-only');
END;
