-- The digest counts each unit's failed sends of the period: failed rows are few, the
-- outbox is large, so index only those.
CREATE INDEX outbox_failed ON outbox(created_at) WHERE status = 'failed';
