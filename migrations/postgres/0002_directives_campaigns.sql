-- Directives published down the tree, and campaign dates with their reminders (PostgreSQL).
CREATE TABLE directives (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    author_member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- the parsed facts (citations, actions, dates) as JSON
    facts TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE TABLE directive_targets (
    directive_id BIGINT NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (directive_id, unit_id)
);
-- Who a directive was sent to: /chithi lists these.
CREATE TABLE directive_receipts (
    directive_id BIGINT NOT NULL REFERENCES directives(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (directive_id, member_id)
);
CREATE INDEX directive_receipts_member ON directive_receipts(member_id, directive_id);

CREATE TABLE campaigns (
    id BIGSERIAL PRIMARY KEY,
    -- the root of the target subtree
    unit_id BIGINT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    -- 'once' (day/month/year) or 'yearly' (day/month, solar)
    recurrence TEXT NOT NULL,
    day BIGINT NOT NULL,
    month BIGINT NOT NULL,
    year BIGINT,
    -- days before the date, JSON list, e.g. [7,1,0]
    remind_days TEXT NOT NULL,
    -- local hour (Asia/Ho_Chi_Minh) at which reminders go out
    remind_hour BIGINT NOT NULL,
    directive_id BIGINT REFERENCES directives(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX campaigns_unit ON campaigns(unit_id);
-- One row per reminder sent: the key makes "sent once" hold across restarts and instances.
CREATE TABLE campaign_reminders (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    days_before BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, occurrence, days_before)
);
