-- Polls and surveys (`/khaosat`), issue 19: an officer asks 1-10 questions (single or
-- multiple choice, a number, a short text) of members of their subtree (all, chosen
-- units, or leaders only) by a deadline, named or anonymous. One set of answers per
-- person; a later one before the deadline replaces it.
CREATE TABLE polls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the author's unit (officers of its subtree and above see the results)
    unit_id INTEGER NOT NULL REFERENCES units(id),
    created_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    -- JSON: [{"text": "...", "kind": "single" | "multi" | "number" | "text", "options": [...]}]
    questions TEXT NOT NULL,
    -- 1: answers are never shown with a name
    anonymous INTEGER NOT NULL DEFAULT 0,
    -- who was asked: the members of this unit's subtree (narrowed below)
    target_unit_id INTEGER NOT NULL REFERENCES units(id),
    target_role TEXT,
    deadline_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX polls_unit ON polls(unit_id);

-- the chosen child units (none: the whole target subtree)
CREATE TABLE poll_units (
    poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (poll_id, unit_id)
);

-- one row per member asked, with their unit then (answers are counted under it)
CREATE TABLE poll_recipients (
    poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    asked_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, member_id)
);
CREATE INDEX poll_recipients_member ON poll_recipients(member_id);

-- answers saved half-way (JSON), until submitted
CREATE TABLE poll_drafts (
    poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, member_id)
);

-- one current set of answers per person; officers read them only counted (anonymous
-- polls) or with the name (named polls)
CREATE TABLE poll_responses (
    poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    submitted_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, member_id)
);

-- one row per answer (a multiple choice: one per option ticked)
CREATE TABLE poll_answers (
    poll_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    question INTEGER NOT NULL,
    choice INTEGER,
    num INTEGER,
    text TEXT,
    FOREIGN KEY (poll_id, member_id) REFERENCES poll_responses(poll_id, member_id) ON DELETE CASCADE
);
CREATE INDEX poll_answers_poll ON poll_answers(poll_id, member_id);
