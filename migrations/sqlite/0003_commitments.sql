-- Commitments signed by chat (SQLite): campaigns, immutable numbered text versions,
-- signatures, and the once-a-day reminder keys.
CREATE TABLE commitment_campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the root of the target subtree
    unit_id INTEGER NOT NULL REFERENCES units(id),
    -- first line of the text, for lists and reminders
    title TEXT NOT NULL,
    -- who must sign: 'member', 'leader' or 'everyone'
    signers TEXT NOT NULL,
    deadline_at INTEGER NOT NULL,
    -- the version members must sign now
    current_version INTEGER NOT NULL DEFAULT 1,
    -- reminders: ISO weekdays "1,4" (Mon=1), or every N days (0 = not used)
    remind_weekdays TEXT NOT NULL DEFAULT '',
    remind_every_days INTEGER NOT NULL DEFAULT 0,
    -- local hour (Asia/Ho_Chi_Minh), 8..20
    remind_hour INTEGER NOT NULL,
    created_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX commitment_campaigns_unit ON commitment_campaigns(unit_id);

CREATE TABLE commitment_versions (
    campaign_id INTEGER NOT NULL REFERENCES commitment_campaigns(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    -- sha256 (hex) of the exact text shown
    text_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

CREATE TABLE commitment_signatures (
    campaign_id INTEGER NOT NULL REFERENCES commitment_campaigns(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (campaign_id, member_id, version)
);
CREATE INDEX commitment_signatures_member ON commitment_signatures(member_id);

CREATE TABLE commitment_reminders (
    campaign_id INTEGER NOT NULL REFERENCES commitment_campaigns(id) ON DELETE CASCADE,
    -- local date (Asia/Ho_Chi_Minh), YYYY-MM-DD: at most one reminder a day
    local_date TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    recipients INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, local_date)
);
