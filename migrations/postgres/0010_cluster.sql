-- Several instances: before processing an update, an instance checks that no earlier
-- update of the same chat is still pending (one chat's updates in order, cluster-wide).
CREATE INDEX inbox_chat_pending ON inbox(channel, chat_id, id) WHERE status = 'pending';
