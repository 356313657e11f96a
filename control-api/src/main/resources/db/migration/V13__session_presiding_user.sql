-- The presiding official becomes an account (a HOST), so a duty report can count sessions per
-- leader; the name stays beside it as it read when the session was planned (an account renamed
-- later does not rewrite old sessions, and a free-text name from before this change still shows).
ALTER TABLE reception_sessions ADD COLUMN presiding_user_id INTEGER REFERENCES users (id);
ALTER TABLE session_schedules ADD COLUMN presiding_user_id INTEGER REFERENCES users (id);

-- Existing free text is linked to an account only when exactly one HOST account carries that
-- display name or username (trimmed, ASCII case folded); anything else stays text alone, for an
-- administrator to pick the account on the next edit rather than a guess counting for the wrong leader.
UPDATE reception_sessions SET presiding_user_id = (
    SELECT u.id FROM users u WHERE u.role = 'HOST'
      AND (lower(trim(u.display_name)) = lower(trim(reception_sessions.presiding_official))
           OR lower(u.username) = lower(trim(reception_sessions.presiding_official))))
WHERE (SELECT COUNT(*) FROM users u WHERE u.role = 'HOST'
      AND (lower(trim(u.display_name)) = lower(trim(reception_sessions.presiding_official))
           OR lower(u.username) = lower(trim(reception_sessions.presiding_official)))) = 1;

UPDATE session_schedules SET presiding_user_id = (
    SELECT u.id FROM users u WHERE u.role = 'HOST'
      AND (lower(trim(u.display_name)) = lower(trim(session_schedules.presiding_official))
           OR lower(u.username) = lower(trim(session_schedules.presiding_official))))
WHERE (SELECT COUNT(*) FROM users u WHERE u.role = 'HOST'
      AND (lower(trim(u.display_name)) = lower(trim(session_schedules.presiding_official))
           OR lower(u.username) = lower(trim(session_schedules.presiding_official)))) = 1;

CREATE INDEX reception_sessions_presiding ON reception_sessions (presiding_user_id);
