-- Report requests up the tree (PostgreSQL), issue 21: an officer asks the units below for a
-- report by a deadline; each target unit's officers (a housing group: its leader) fill
-- it item by item and submit; one current report per unit, older ones kept.
CREATE TABLE report_requests (
    id BIGSERIAL PRIMARY KEY,
    -- the unit that asks (its officers see the compiled result)
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_by BIGINT REFERENCES members(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    -- JSON: [{"label": "...", "kind": "number" | "yes_no" | "text"}], 1..10 items
    items TEXT NOT NULL,
    deadline_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    -- the request from the level above this one passes down (its result goes back up)
    parent_request_id BIGINT REFERENCES report_requests(id)
);
CREATE INDEX report_requests_unit ON report_requests(unit_id);
CREATE INDEX report_requests_parent ON report_requests(parent_request_id);
-- the scheduler looks for deadlines in the next days and the last week
CREATE INDEX report_requests_deadline ON report_requests(deadline_at);

CREATE TABLE report_targets (
    request_id BIGINT NOT NULL REFERENCES report_requests(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- 'pending', 'submitted', or 'returned' (sent back for completion)
    status TEXT NOT NULL DEFAULT 'pending',
    -- the requester's note when sent back
    note TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, unit_id)
);
CREATE INDEX report_targets_unit ON report_targets(unit_id);

-- Every submission is kept; the unit's current report is the one not superseded.
CREATE TABLE report_submissions (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES report_requests(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    submitted_at BIGINT NOT NULL,
    superseded_at BIGINT
);
CREATE INDEX report_submissions_request ON report_submissions(request_id, unit_id);
-- One current report per unit, whatever two officers submit at the same moment (the
-- second transaction fails and its update is tried again, superseding the first).
CREATE UNIQUE INDEX report_submissions_current ON report_submissions(request_id, unit_id)
    WHERE superseded_at IS NULL;

-- One row per answered item: numbers and yes/no (1/0) in num, short texts in text.
CREATE TABLE report_answers (
    submission_id BIGINT NOT NULL REFERENCES report_submissions(id) ON DELETE CASCADE,
    item BIGINT NOT NULL,
    num BIGINT,
    text TEXT,
    PRIMARY KEY (submission_id, item)
);

-- A report filled half-way, per unit: any of the unit's officers can continue it.
CREATE TABLE report_drafts (
    request_id BIGINT NOT NULL REFERENCES report_requests(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- JSON: one answer (or null) per item
    answers TEXT NOT NULL,
    updated_by BIGINT REFERENCES members(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, unit_id)
);

-- Once-only keys of reminders ('d3', 'd1', 'd0') and of the overdue list ('overdue').
CREATE TABLE report_reminders (
    request_id BIGINT NOT NULL REFERENCES report_requests(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (request_id, kind)
);
