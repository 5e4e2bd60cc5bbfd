-- Per-unit counters kept by triggers, so the dashboard and /tonghop sum about 10,000
-- unit rows instead of scanning a million members. The triggers run in the same
-- transaction as the change that moves a count (a join, a move, a role change, a
-- blocked chat, a signature, a «Đã nắm»), so a count never goes stale; the tests check
-- every story's counters against a full recount (store::tallies::drift).
-- Counts are of each unit's own members; a subtree's figure is the sum over its units.

CREATE TABLE unit_tallies (
    unit_id INTEGER NOT NULL,
    role TEXT NOT NULL,
    members INTEGER NOT NULL DEFAULT 0,
    -- not marked unreachable and with at least one chat identity
    reachable INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, role)
);

-- Signatures of each version by the signers' unit and role (a campaign counts only the
-- role it asks, and only its current version).
CREATE TABLE signature_tallies (
    campaign_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    role TEXT NOT NULL,
    signed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, version, unit_id, role)
);

CREATE TABLE ack_tallies (
    kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    asked INTEGER NOT NULL DEFAULT 0,
    acked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, object_id, unit_id)
);

-- A member's move or removal finds their counters by unit.
CREATE INDEX signature_tallies_unit ON signature_tallies(unit_id, role);
CREATE INDEX ack_tallies_unit ON ack_tallies(unit_id);

INSERT INTO unit_tallies (unit_id, role, members, reachable)
SELECT m.unit_id, m.role, COUNT(*),
       SUM(CASE WHEN m.unreachable_at IS NULL
                 AND EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id) THEN 1 ELSE 0 END)
FROM members m GROUP BY m.unit_id, m.role;

INSERT INTO signature_tallies (campaign_id, version, unit_id, role, signed)
SELECT s.campaign_id, s.version, m.unit_id, m.role, COUNT(*)
FROM commitment_signatures s JOIN members m ON m.id = s.member_id
GROUP BY s.campaign_id, s.version, m.unit_id, m.role;

INSERT INTO ack_tallies (kind, object_id, unit_id, asked, acked)
SELECT a.kind, a.object_id, m.unit_id, COUNT(*), COUNT(a.acked_at)
FROM acknowledgements a JOIN members m ON m.id = a.member_id
GROUP BY a.kind, a.object_id, m.unit_id;

-- Members: a join, a removal (BEFORE, while its identities, signatures and «Đã nắm» rows
-- still exist; their own triggers see no member when a cascade deletes them), a move, a
-- role change, unreachable set or cleared.
CREATE TRIGGER members_tally_insert AFTER INSERT ON members BEGIN
    INSERT INTO unit_tallies (unit_id, role) VALUES (NEW.unit_id, NEW.role)
        ON CONFLICT DO NOTHING;
    UPDATE unit_tallies SET members = members + 1,
        reachable = reachable + (CASE WHEN NEW.unreachable_at IS NULL AND EXISTS
            (SELECT 1 FROM identities i WHERE i.member_id = NEW.id) THEN 1 ELSE 0 END)
    WHERE unit_id = NEW.unit_id AND role = NEW.role;
END;

CREATE TRIGGER members_tally_delete BEFORE DELETE ON members BEGIN
    UPDATE unit_tallies SET members = members - 1,
        reachable = reachable - (CASE WHEN OLD.unreachable_at IS NULL AND EXISTS
            (SELECT 1 FROM identities i WHERE i.member_id = OLD.id) THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND role = OLD.role;
    UPDATE signature_tallies SET signed = signed - 1
    WHERE unit_id = OLD.unit_id AND role = OLD.role AND EXISTS
        (SELECT 1 FROM commitment_signatures s WHERE s.member_id = OLD.id
           AND s.campaign_id = signature_tallies.campaign_id AND s.version = signature_tallies.version);
    UPDATE ack_tallies SET asked = asked - 1,
        acked = acked - (SELECT COUNT(a.acked_at) FROM acknowledgements a WHERE a.member_id = OLD.id
           AND a.kind = ack_tallies.kind AND a.object_id = ack_tallies.object_id)
    WHERE unit_id = OLD.unit_id AND EXISTS
        (SELECT 1 FROM acknowledgements a WHERE a.member_id = OLD.id
           AND a.kind = ack_tallies.kind AND a.object_id = ack_tallies.object_id);
END;

CREATE TRIGGER members_tally_update AFTER UPDATE OF unit_id, role, unreachable_at ON members
WHEN OLD.unit_id <> NEW.unit_id OR OLD.role <> NEW.role
  OR (OLD.unreachable_at IS NULL) <> (NEW.unreachable_at IS NULL)
BEGIN
    INSERT INTO unit_tallies (unit_id, role) VALUES (NEW.unit_id, NEW.role)
        ON CONFLICT DO NOTHING;
    UPDATE unit_tallies SET members = members - 1,
        reachable = reachable - (CASE WHEN OLD.unreachable_at IS NULL AND EXISTS
            (SELECT 1 FROM identities i WHERE i.member_id = OLD.id) THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND role = OLD.role;
    UPDATE unit_tallies SET members = members + 1,
        reachable = reachable + (CASE WHEN NEW.unreachable_at IS NULL AND EXISTS
            (SELECT 1 FROM identities i WHERE i.member_id = NEW.id) THEN 1 ELSE 0 END)
    WHERE unit_id = NEW.unit_id AND role = NEW.role;
    -- Signatures and «Đã nắm» follow a member who moves or changes role.
    INSERT INTO signature_tallies (campaign_id, version, unit_id, role)
        SELECT s.campaign_id, s.version, NEW.unit_id, NEW.role
        FROM commitment_signatures s WHERE s.member_id = NEW.id
        ON CONFLICT DO NOTHING;
    UPDATE signature_tallies SET signed = signed - 1
    WHERE unit_id = OLD.unit_id AND role = OLD.role AND EXISTS
        (SELECT 1 FROM commitment_signatures s WHERE s.member_id = OLD.id
           AND s.campaign_id = signature_tallies.campaign_id AND s.version = signature_tallies.version);
    UPDATE signature_tallies SET signed = signed + 1
    WHERE unit_id = NEW.unit_id AND role = NEW.role AND EXISTS
        (SELECT 1 FROM commitment_signatures s WHERE s.member_id = NEW.id
           AND s.campaign_id = signature_tallies.campaign_id AND s.version = signature_tallies.version);
    INSERT INTO ack_tallies (kind, object_id, unit_id)
        SELECT a.kind, a.object_id, NEW.unit_id FROM acknowledgements a WHERE a.member_id = NEW.id
        ON CONFLICT DO NOTHING;
    UPDATE ack_tallies SET asked = asked - 1,
        acked = acked - (SELECT COUNT(a.acked_at) FROM acknowledgements a WHERE a.member_id = OLD.id
           AND a.kind = ack_tallies.kind AND a.object_id = ack_tallies.object_id)
    WHERE unit_id = OLD.unit_id AND EXISTS
        (SELECT 1 FROM acknowledgements a WHERE a.member_id = OLD.id
           AND a.kind = ack_tallies.kind AND a.object_id = ack_tallies.object_id);
    UPDATE ack_tallies SET asked = asked + 1,
        acked = acked + (SELECT COUNT(a.acked_at) FROM acknowledgements a WHERE a.member_id = NEW.id
           AND a.kind = ack_tallies.kind AND a.object_id = ack_tallies.object_id)
    WHERE unit_id = NEW.unit_id AND EXISTS
        (SELECT 1 FROM acknowledgements a WHERE a.member_id = NEW.id
           AND a.kind = ack_tallies.kind AND a.object_id = ack_tallies.object_id);
END;

-- Identities: a member becomes reachable with their first chat and stops being
-- reachable when their last one goes.
CREATE TRIGGER identities_tally_insert AFTER INSERT ON identities BEGIN
    UPDATE unit_tallies SET reachable = reachable + 1
    WHERE unit_id = (SELECT m.unit_id FROM members m WHERE m.id = NEW.member_id)
      AND role = (SELECT m.role FROM members m WHERE m.id = NEW.member_id)
      AND (SELECT m.unreachable_at FROM members m WHERE m.id = NEW.member_id) IS NULL
      AND (SELECT COUNT(*) FROM identities i WHERE i.member_id = NEW.member_id) = 1;
END;

CREATE TRIGGER identities_tally_delete AFTER DELETE ON identities BEGIN
    UPDATE unit_tallies SET reachable = reachable - 1
    WHERE unit_id = (SELECT m.unit_id FROM members m WHERE m.id = OLD.member_id)
      AND role = (SELECT m.role FROM members m WHERE m.id = OLD.member_id)
      AND (SELECT m.unreachable_at FROM members m WHERE m.id = OLD.member_id) IS NULL
      AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.member_id = OLD.member_id);
END;

CREATE TRIGGER identities_tally_update AFTER UPDATE OF member_id ON identities
WHEN OLD.member_id <> NEW.member_id
BEGIN
    UPDATE unit_tallies SET reachable = reachable - 1
    WHERE unit_id = (SELECT m.unit_id FROM members m WHERE m.id = OLD.member_id)
      AND role = (SELECT m.role FROM members m WHERE m.id = OLD.member_id)
      AND (SELECT m.unreachable_at FROM members m WHERE m.id = OLD.member_id) IS NULL
      AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.member_id = OLD.member_id);
    UPDATE unit_tallies SET reachable = reachable + 1
    WHERE unit_id = (SELECT m.unit_id FROM members m WHERE m.id = NEW.member_id)
      AND role = (SELECT m.role FROM members m WHERE m.id = NEW.member_id)
      AND (SELECT m.unreachable_at FROM members m WHERE m.id = NEW.member_id) IS NULL
      AND (SELECT COUNT(*) FROM identities i WHERE i.member_id = NEW.member_id) = 1;
END;

CREATE TRIGGER signatures_tally_insert AFTER INSERT ON commitment_signatures BEGIN
    INSERT INTO signature_tallies (campaign_id, version, unit_id, role)
        SELECT NEW.campaign_id, NEW.version, m.unit_id, m.role FROM members m
        WHERE m.id = NEW.member_id
        ON CONFLICT DO NOTHING;
    UPDATE signature_tallies SET signed = signed + 1
    WHERE campaign_id = NEW.campaign_id AND version = NEW.version
      AND unit_id = (SELECT m.unit_id FROM members m WHERE m.id = NEW.member_id)
      AND role = (SELECT m.role FROM members m WHERE m.id = NEW.member_id);
END;

CREATE TRIGGER signatures_tally_delete AFTER DELETE ON commitment_signatures BEGIN
    UPDATE signature_tallies SET signed = signed - 1
    WHERE campaign_id = OLD.campaign_id AND version = OLD.version
      AND unit_id = (SELECT m.unit_id FROM members m WHERE m.id = OLD.member_id)
      AND role = (SELECT m.role FROM members m WHERE m.id = OLD.member_id);
END;

CREATE TRIGGER acks_tally_insert AFTER INSERT ON acknowledgements BEGIN
    INSERT INTO ack_tallies (kind, object_id, unit_id)
        SELECT NEW.kind, NEW.object_id, m.unit_id FROM members m WHERE m.id = NEW.member_id
        ON CONFLICT DO NOTHING;
    UPDATE ack_tallies SET asked = asked + 1,
        acked = acked + (CASE WHEN NEW.acked_at IS NULL THEN 0 ELSE 1 END)
    WHERE kind = NEW.kind AND object_id = NEW.object_id
      AND unit_id = (SELECT m.unit_id FROM members m WHERE m.id = NEW.member_id);
END;

CREATE TRIGGER acks_tally_update AFTER UPDATE OF acked_at ON acknowledgements
WHEN (OLD.acked_at IS NULL) <> (NEW.acked_at IS NULL)
BEGIN
    UPDATE ack_tallies SET acked = acked + (CASE WHEN NEW.acked_at IS NULL THEN -1 ELSE 1 END)
    WHERE kind = NEW.kind AND object_id = NEW.object_id
      AND unit_id = (SELECT m.unit_id FROM members m WHERE m.id = NEW.member_id);
END;

CREATE TRIGGER acks_tally_delete AFTER DELETE ON acknowledgements BEGIN
    UPDATE ack_tallies SET asked = asked - 1,
        acked = acked - (CASE WHEN OLD.acked_at IS NULL THEN 0 ELSE 1 END)
    WHERE kind = OLD.kind AND object_id = OLD.object_id
      AND unit_id = (SELECT m.unit_id FROM members m WHERE m.id = OLD.member_id);
END;
