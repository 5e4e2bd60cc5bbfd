-- Commitments signed by chat (PostgreSQL): campaigns, immutable numbered text versions,
-- signatures, and the once-a-day reminder keys.
CREATE TABLE commitment_campaigns (
    id BIGSERIAL PRIMARY KEY,
    -- the root of the target subtree
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- first line of the text, for lists and reminders
    title TEXT NOT NULL,
    -- who must sign: 'member', 'leader' or 'everyone'
    signers TEXT NOT NULL,
    deadline_at BIGINT NOT NULL,
    -- the version members must sign now
    current_version BIGINT NOT NULL DEFAULT 1,
    -- reminders: ISO weekdays "1,4" (Mon=1), or every N days (0 = not used)
    remind_weekdays TEXT NOT NULL DEFAULT '',
    remind_every_days BIGINT NOT NULL DEFAULT 0,
    -- local hour (Asia/Ho_Chi_Minh), 8..20
    remind_hour BIGINT NOT NULL,
    created_by BIGINT REFERENCES members(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX commitment_campaigns_unit ON commitment_campaigns(unit_id);

CREATE TABLE commitment_versions (
    campaign_id BIGINT NOT NULL REFERENCES commitment_campaigns(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    -- sha256 (hex) of the exact text shown
    text_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

CREATE TABLE commitment_signatures (
    campaign_id BIGINT NOT NULL REFERENCES commitment_campaigns(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    text_hash TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (campaign_id, member_id, version)
);
CREATE INDEX commitment_signatures_member ON commitment_signatures(member_id);

CREATE TABLE commitment_reminders (
    campaign_id BIGINT NOT NULL REFERENCES commitment_campaigns(id) ON DELETE CASCADE,
    -- local date (Asia/Ho_Chi_Minh), YYYY-MM-DD: at most one reminder a day
    local_date TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, local_date)
);
-- Subtree prefix scans (path LIKE '/1/5/%') use this index in any collation.
CREATE INDEX units_path_prefix ON units(path text_pattern_ops);
