-- Bearer tokens of signed-in users. Only the SHA-256 of a token is stored: a copy of the database
-- does not let anyone sign in. A token is valid while not revoked and before expires_at.
CREATE TABLE auth_tokens (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

ALTER TABLE users ADD COLUMN updated_at TEXT;
