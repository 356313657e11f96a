-- History tables are append-only, like audit_log (V4): a row, once written, is the record of what
-- happened and no code path changes or removes it. The triggers turn a programming error or a
-- hand-edited UPDATE/DELETE into an error instead of a silent rewrite of history; whoever holds the
-- database file can still drop them, which the keyed audit chain (V15) detects for audited changes.

-- petition_versions: every saved version of a petition: nothing a secretary typed is ever lost.
CREATE TRIGGER petition_versions_no_update BEFORE UPDATE ON petition_versions
BEGIN
    SELECT RAISE(ABORT, 'petition_versions is append-only');
END;

CREATE TRIGGER petition_versions_no_delete BEFORE DELETE ON petition_versions
BEGIN
    SELECT RAISE(ABORT, 'petition_versions is append-only');
END;

-- petition_status_history: each step of a petition with its legal deadline.
CREATE TRIGGER petition_status_history_no_update BEFORE UPDATE ON petition_status_history
BEGIN
    SELECT RAISE(ABORT, 'petition_status_history is append-only');
END;

CREATE TRIGGER petition_status_history_no_delete BEFORE DELETE ON petition_status_history
BEGIN
    SELECT RAISE(ABORT, 'petition_status_history is append-only');
END;

-- petition_annotations: what secretaries noted during the session.
CREATE TRIGGER petition_annotations_no_update BEFORE UPDATE ON petition_annotations
BEGIN
    SELECT RAISE(ABORT, 'petition_annotations is append-only');
END;

CREATE TRIGGER petition_annotations_no_delete BEFORE DELETE ON petition_annotations
BEGIN
    SELECT RAISE(ABORT, 'petition_annotations is append-only');
END;

-- petition_extensions: deadline extensions with the decision that granted them.
CREATE TRIGGER petition_extensions_no_update BEFORE UPDATE ON petition_extensions
BEGIN
    SELECT RAISE(ABORT, 'petition_extensions is append-only');
END;

CREATE TRIGGER petition_extensions_no_delete BEFORE DELETE ON petition_extensions
BEGIN
    SELECT RAISE(ABORT, 'petition_extensions is append-only');
END;

-- session_state_history: when a session went live and ended, and who moved it.
CREATE TRIGGER session_state_history_no_update BEFORE UPDATE ON session_state_history
BEGIN
    SELECT RAISE(ABORT, 'session_state_history is append-only');
END;

CREATE TRIGGER session_state_history_no_delete BEFORE DELETE ON session_state_history
BEGIN
    SELECT RAISE(ABORT, 'session_state_history is append-only');
END;

-- attendance_events: each connection and disconnection of a room.
CREATE TRIGGER attendance_events_no_update BEFORE UPDATE ON attendance_events
BEGIN
    SELECT RAISE(ABORT, 'attendance_events is append-only');
END;

CREATE TRIGGER attendance_events_no_delete BEFORE DELETE ON attendance_events
BEGIN
    SELECT RAISE(ABORT, 'attendance_events is append-only');
END;
