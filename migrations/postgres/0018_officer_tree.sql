-- Officers run their own part of the tree from chat (issue 17).
-- A closed unit is kept for history and reports but no longer offered or joined.
ALTER TABLE units ADD COLUMN closed_at BIGINT;
-- Who made an invite in chat (NULL: the command line); a revoked invite also expires at
-- once, so every existing check of a code refuses it.
ALTER TABLE invites ADD COLUMN created_by BIGINT REFERENCES members(id) ON DELETE SET NULL;
ALTER TABLE invites ADD COLUMN revoked_at BIGINT;
CREATE INDEX invites_unit ON invites(unit_id);

-- Every officer action on the tree: who, what, when, on which unit or member. No message
-- contents. The actor and the member are ids (a deleted person leaves NULL behind).
CREATE TABLE officer_audit (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    other_unit_id BIGINT REFERENCES units(id),
    member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX officer_audit_unit ON officer_audit(unit_id, at);
CREATE INDEX officer_audit_other ON officer_audit(other_unit_id);
CREATE INDEX officer_audit_actor ON officer_audit(actor_member_id);
CREATE INDEX officer_audit_member ON officer_audit(member_id);
