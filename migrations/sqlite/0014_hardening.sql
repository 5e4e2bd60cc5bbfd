-- An update that failed waits before its next try (1 s, 2 s, 4 s, …); after the last it
-- is parked as 'failed' for an operator (`congdoan-bot inbox parked|retry`).
ALTER TABLE inbox ADD COLUMN retry_at INTEGER NOT NULL DEFAULT 0;
-- When the person sent it, by the platform's clock (the inbound limit judges that).
ALTER TABLE inbox ADD COLUMN sent_at INTEGER;

-- What the bot last put to each person that a typed "1" may answer later (a commitment
-- to sign, at one version). A typed answer reaches the newest one, and signs exactly
-- the version that was shown.
CREATE TABLE pending_prompts (
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    flow TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    asked_at INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (member_id, flow, object_id)
);
CREATE INDEX pending_prompts_newest ON pending_prompts(member_id, asked_at);

-- Every export of tips is a read of their contents: who, when, which unit, how many.
CREATE TABLE tip_exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    tips INTEGER NOT NULL,
    at INTEGER NOT NULL
);
