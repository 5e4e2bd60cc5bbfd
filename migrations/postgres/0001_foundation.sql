-- Foundation schema (PostgreSQL). Times are UTC epoch milliseconds (BIGINT) so the same
-- queries work through sqlx's Any driver on both backends.
CREATE TABLE units (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    parent_id BIGINT REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- materialised path of ids, "/1/5/23/": a subtree is one prefix scan
    path TEXT NOT NULL,
    depth BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE members (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    username TEXT,
    lang TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    joined_at BIGINT NOT NULL,
    invite_code TEXT,
    unreachable_at BIGINT
);
CREATE INDEX members_unit ON members(unit_id, role);

CREATE TABLE identities (
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (channel, external_id)
);
CREATE INDEX identities_member ON identities(member_id);
CREATE INDEX identities_chat ON identities(channel, chat_id);

CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    max_uses BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE inbox (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    -- the normalised event; emptied once processed (data minimisation)
    payload TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    received_at BIGINT NOT NULL,
    processed_at BIGINT,
    UNIQUE (channel, update_id)
);
CREATE INDEX inbox_pending ON inbox(status, id);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    priority BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    not_before BIGINT NOT NULL,
    claimed_at BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_pending ON outbox(channel, status, priority, id);

CREATE TABLE conversations (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
