-- The digest counts each unit's failed sends of the period: failed rows are few, the
-- outbox is large, so index only those.
CREATE INDEX outbox_failed ON outbox(created_at) WHERE status = 'failed';

-- A sender taking over reads which groups got a message in the last minute, to keep
-- their 20-a-minute limit across the handover: group messages are few, so index those.
CREATE INDEX outbox_group_recent ON outbox(channel, sent_at) WHERE in_group = 1;
