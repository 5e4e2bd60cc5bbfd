-- "Đã nắm": a directive or a broadcast may ask its members to confirm they have read and
-- understood it. One row per member asked (written with the messages, set-based); the
-- confirmation fills in acked_at and the channel it came from, once.
ALTER TABLE directives ADD COLUMN ack_required BIGINT NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN ack_required BIGINT NOT NULL DEFAULT 0;
-- Those who have not confirmed are reminded every so many days (0: never), until the
-- deadline.
ALTER TABLE directives ADD COLUMN ack_remind_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE directives ADD COLUMN ack_deadline_at BIGINT;
ALTER TABLE broadcasts ADD COLUMN ack_remind_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN ack_deadline_at BIGINT;

CREATE TABLE acknowledgements (
    -- 'directive' or 'broadcast'; object_id is the directive's or the broadcast's id.
    kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    asked_at BIGINT NOT NULL,
    acked_at BIGINT,
    channel TEXT,
    PRIMARY KEY (kind, object_id, member_id)
);
CREATE INDEX acknowledgements_member ON acknowledgements(member_id);

-- One reminder per (directive or broadcast, local date): the key is taken in the
-- transaction that queues it.
CREATE TABLE ack_reminders (
    kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    local_date TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (kind, object_id, local_date)
);
