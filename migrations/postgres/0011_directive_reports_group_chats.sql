-- A directive's messages carry its id, so the author can be told who it did not reach
-- (over a Zalo quota, blocked the bot, failed) once every message has been tried.
ALTER TABLE outbox ADD COLUMN directive_id BIGINT;
CREATE INDEX outbox_directive ON outbox(directive_id, status);
ALTER TABLE directives ADD COLUMN author_channel TEXT;
ALTER TABLE directives ADD COLUMN author_chat_id TEXT;
ALTER TABLE directives ADD COLUMN author_lang TEXT;
ALTER TABLE directives ADD COLUMN reported_at BIGINT;
-- Directives published before this migration have nothing to report.
UPDATE directives SET reported_at = published_at;
CREATE INDEX directives_unreported ON directives(id) WHERE reported_at IS NULL;

-- Messages to a group chat keep the platform's group limit (Telegram: 20 a minute).
-- Telegram's group ids are negative; Zalo's are opaque, so the row says it.
ALTER TABLE outbox ADD COLUMN in_group BIGINT NOT NULL DEFAULT 0;
