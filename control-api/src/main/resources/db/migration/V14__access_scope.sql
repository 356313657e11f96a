-- Object-level access: every account belongs to a unit of the room directory (its area is the
-- unit and every room below it), a session has its presiding host account and its assigned
-- secretaries. Existing accounts get the province root (their reach so far); an operator's unit
-- is its room.
ALTER TABLE users ADD COLUMN unit_code TEXT REFERENCES rooms (code);
UPDATE users SET unit_code = COALESCE(room_code, (SELECT code FROM rooms WHERE parent_code IS NULL ORDER BY code LIMIT 1));

-- The host account presiding the session is V13's reception_sessions.presiding_user_id (null: not
-- yet chosen; the first host of the hosting room's area to take it live becomes its host, so nobody
-- else can take over).

CREATE TABLE session_secretaries (
    session_id INTEGER NOT NULL REFERENCES reception_sessions (id),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;
CREATE INDEX session_secretaries_user ON session_secretaries (user_id);
