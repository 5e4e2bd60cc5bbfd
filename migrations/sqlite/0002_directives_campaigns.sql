-- Directives published down the tree, and campaign dates with their reminders (SQLite).
CREATE TABLE directives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    author_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- the parsed facts (citations, actions, dates) as JSON
    facts TEXT NOT NULL,
    published_at INTEGER NOT NULL
);
CREATE TABLE directive_targets (
    directive_id INTEGER NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (directive_id, unit_id)
);
-- Who a directive was sent to: /chithi lists these.
CREATE TABLE directive_receipts (
    directive_id INTEGER NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (directive_id, member_id)
);
CREATE INDEX directive_receipts_member ON directive_receipts(member_id, directive_id);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the root of the target subtree
    unit_id INTEGER NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    -- 'once' (day/month/year) or 'yearly' (day/month, solar)
    recurrence TEXT NOT NULL,
    day INTEGER NOT NULL,
    month INTEGER NOT NULL,
    year INTEGER,
    -- days before the date, JSON list, e.g. [7,1,0]
    remind_days TEXT NOT NULL,
    -- local hour (Asia/Ho_Chi_Minh) at which reminders go out
    remind_hour INTEGER NOT NULL,
    directive_id INTEGER REFERENCES directives(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX campaigns_unit ON campaigns(unit_id);
-- One row per reminder sent: the key makes "sent once" hold across restarts and instances.
CREATE TABLE campaign_reminders (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    days_before INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    recipients INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, occurrence, days_before)
);
