-- Officers' broadcasts (/guitin), PostgreSQL. One row per broadcast; its messages are
-- outbox rows carrying broadcast_id, so progress is a COUNT over the outbox.
CREATE TABLE broadcasts (
    id BIGSERIAL PRIMARY KEY,
    -- the root of the target subtree (the officer's unit or one of its children)
    unit_id BIGINT NOT NULL REFERENCES units(id),
    -- only members with this role (NULL: everyone)
    role TEXT,
    author_member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    -- where progress and the delivery report go
    author_channel TEXT NOT NULL,
    author_chat_id TEXT NOT NULL,
    author_lang TEXT NOT NULL,
    text TEXT NOT NULL,
    -- an attachment by platform file id: 'photo' or 'document', and its channel
    media_kind TEXT,
    media_file_id TEXT,
    media_channel TEXT,
    send_at BIGINT NOT NULL,
    -- scheduled, sending, cancelled, done
    status TEXT NOT NULL,
    total BIGINT NOT NULL DEFAULT 0,
    -- the officer's progress message (edited in place where the platform allows)
    progress_outbox_id BIGINT,
    progress_text TEXT,
    progress_at BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT
);
CREATE INDEX broadcasts_status ON broadcasts(status, send_at);

ALTER TABLE outbox ADD COLUMN broadcast_id BIGINT;
-- the platform's id of a sent message that will be edited later (progress messages)
ALTER TABLE outbox ADD COLUMN platform_message_id TEXT;
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);
