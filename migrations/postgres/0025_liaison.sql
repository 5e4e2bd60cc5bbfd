-- The police liaison (PostgreSQL) (cán bộ công an phụ trách địa bàn), issue 21: a member row with role
-- 'liaison' in the unit that invited them (never counted as a union member). The
-- categories of tips the unit shares with them, the monthly summaries sent (once per unit
-- and month), and the warnings they write for the unit's housing-group leaders, which go
-- out only once one of the unit's officers approves.
CREATE TABLE liaison_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    -- comma-separated tip categories ("theft,fight,drugs"); no row: the defaults
    categories TEXT NOT NULL,
    updated_by BIGINT REFERENCES members(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE liaison_summaries (
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    -- the month summarised, "2026-11"
    month TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month)
);
CREATE TABLE liaison_warnings (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    author_member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    -- 'pending', 'approved', 'rejected'
    status TEXT NOT NULL DEFAULT 'pending',
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES members(id) ON DELETE SET NULL,
    decided_at BIGINT,
    recipients BIGINT
);
CREATE INDEX liaison_warnings_unit ON liaison_warnings(unit_id, status);
