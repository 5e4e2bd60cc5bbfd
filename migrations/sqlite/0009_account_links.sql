-- One-time codes that link a member's second chat account (Telegram <-> Zalo), SQLite.
CREATE TABLE link_codes (
    code TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX link_codes_member ON link_codes(member_id);
