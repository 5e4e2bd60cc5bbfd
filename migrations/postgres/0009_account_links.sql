-- One-time codes that link a member's second chat account (Telegram <-> Zalo), PostgreSQL.
CREATE TABLE link_codes (
    code TEXT PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX link_codes_member ON link_codes(member_id);
