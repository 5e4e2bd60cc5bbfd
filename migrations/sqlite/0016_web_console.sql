-- The officers' web console (issue 18). No passwords: `/web` in chat creates a one-time
-- login link (single use, 10 minutes); opening it creates a session. Only SHA-256
-- hashes of the link token and of the session id are stored, so a copy of the database
-- opens no console.
CREATE TABLE web_logins (
    token_hash TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX web_logins_member ON web_logins(member_id);

-- A browser session: idle expiry moved forward on each use; `/web thoat` deletes all of
-- an officer's rows. The CSRF token is bound to the session.
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_member ON web_sessions(member_id);
