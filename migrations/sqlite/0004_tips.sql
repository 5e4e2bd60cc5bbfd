-- Incident tips from worker-housing groups (SQLite). The reporter's identity is
-- kept only to relay status changes back through the bot; it never leaves the bot.
CREATE TABLE tips (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- unguessable, easy to read over the phone; what the reporter follows with /theodoi
    receipt_code TEXT NOT NULL UNIQUE,
    -- the reporter's unit when the tip was made (routing starts here)
    unit_id INTEGER NOT NULL REFERENCES units(id),
    -- the unit whose officers must act now (changes on escalation)
    handling_unit_id INTEGER NOT NULL REFERENCES units(id),
    -- theft, drugs, fight, fire, stranger, vice, labour, other
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    location_text TEXT,
    latitude REAL,
    longitude REAL,
    -- when it happened, as the reporter said it
    happened_text TEXT,
    -- 1 = anonymous: officers never see who reported it
    anonymous INTEGER NOT NULL,
    -- NULL once the reporter deleted their data
    reporter_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    -- new, acknowledged, resolved
    status TEXT NOT NULL,
    -- escalate to the parent unit if not acknowledged by then (NULL: no more escalation)
    escalate_at INTEGER,
    created_at INTEGER NOT NULL,
    acknowledged_at INTEGER,
    resolved_at INTEGER,
    resolution_note TEXT
);
CREATE INDEX tips_handling ON tips(handling_unit_id, status);
CREATE INDEX tips_escalate ON tips(escalate_at);
CREATE INDEX tips_reporter ON tips(reporter_member_id);

-- Photos by platform file id (only resendable on the channel they came from).
CREATE TABLE tip_photos (
    tip_id INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    channel TEXT NOT NULL,
    file_id TEXT NOT NULL,
    PRIMARY KEY (tip_id, seq)
);

-- Every hop and status change: created, routed, acknowledged, escalated, noted, resolved.
CREATE TABLE tip_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tip_id INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- the officer who acted (NULL for the bot's own escalations)
    actor_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    from_unit_id INTEGER REFERENCES units(id),
    to_unit_id INTEGER REFERENCES units(id),
    note TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX tip_events_tip ON tip_events(tip_id, id);

-- Audit log: who read a tip's detail, when (sensitive data).
CREATE TABLE tip_reads (
    tip_id INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    at INTEGER NOT NULL
);
CREATE INDEX tip_reads_tip ON tip_reads(tip_id);

-- Which units handle which categories (a unit with officers and no row handles all),
-- and how long before an unacknowledged tip escalates.
CREATE TABLE tip_routes (
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    handles INTEGER NOT NULL,
    -- also tell the parent unit's officers at once (fire, crime)
    notify_parent INTEGER NOT NULL DEFAULT 0,
    deadline_minutes INTEGER,
    PRIMARY KEY (unit_id, category)
);
