-- Foundation schema (SQLite). Times are UTC epoch milliseconds (INTEGER) so the same
-- queries work through sqlx's Any driver on both backends.
CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- materialised path of ids, "/1/5/23/": a subtree is one prefix scan
    path TEXT NOT NULL,
    depth INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    username TEXT,
    lang TEXT NOT NULL,
    consent_at INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    invite_code TEXT,
    unreachable_at INTEGER
);
CREATE INDEX members_unit ON members(unit_id, role);

CREATE TABLE identities (
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (channel, external_id)
);
CREATE INDEX identities_member ON identities(member_id);
CREATE INDEX identities_chat ON identities(channel, chat_id);

CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    -- the normalised event; emptied once processed (data minimisation)
    payload TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    received_at INTEGER NOT NULL,
    processed_at INTEGER,
    UNIQUE (channel, update_id)
);
CREATE INDEX inbox_pending ON inbox(status, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL,
    claimed_at INTEGER,
    error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbox_pending ON outbox(channel, status, priority, id);

CREATE TABLE conversations (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
