-- Per-unit counters kept by triggers, so the dashboard and /tonghop sum about 10,000
-- unit rows instead of scanning a million members. The triggers run in the same
-- transaction as the change that moves a count (a join, a move, a role change, a
-- blocked chat, a signature, a «Đã nắm»), so a count never goes stale; the tests check
-- every story's counters against a full recount (store::tallies::drift).
-- Counts are of each unit's own members; a subtree's figure is the sum over its units.

CREATE TABLE unit_tallies (
    unit_id BIGINT NOT NULL,
    role TEXT NOT NULL,
    members BIGINT NOT NULL DEFAULT 0,
    -- not marked unreachable and with at least one chat identity
    reachable BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, role)
);

-- Signatures of each version by the signers' unit and role (a campaign counts only the
-- role it asks, and only its current version).
CREATE TABLE signature_tallies (
    campaign_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    role TEXT NOT NULL,
    signed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, version, unit_id, role)
);

CREATE TABLE ack_tallies (
    kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    asked BIGINT NOT NULL DEFAULT 0,
    acked BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, object_id, unit_id)
);

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

-- PostgreSQL counts per statement, over its transition tables: one grouped upsert per
-- statement, not one update of the same counter row per member (a 100,000-member
-- insert into one unit would otherwise pile 100,000 versions of one row into a single
-- transaction). `tally_add_*` take (key…, delta) rows and add them in.

-- A removal alone is counted per row and BEFORE the row goes, while its identities,
-- signatures and «Đã nắm» rows still exist; their own triggers find no member when a
-- cascade deletes them afterwards.
CREATE FUNCTION members_tally_delete() RETURNS trigger AS $$
BEGIN
    UPDATE unit_tallies SET members = members - 1,
        reachable = reachable - (CASE WHEN OLD.unreachable_at IS NULL AND EXISTS
            (SELECT 1 FROM identities i WHERE i.member_id = OLD.id) THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND role = OLD.role;
    UPDATE signature_tallies t SET signed = t.signed - 1
    FROM commitment_signatures s
    WHERE s.member_id = OLD.id AND s.campaign_id = t.campaign_id AND s.version = t.version
      AND t.unit_id = OLD.unit_id AND t.role = OLD.role;
    UPDATE ack_tallies t SET asked = t.asked - 1,
        acked = t.acked - (CASE WHEN a.acked_at IS NULL THEN 0 ELSE 1 END)
    FROM acknowledgements a
    WHERE a.member_id = OLD.id AND a.kind = t.kind AND a.object_id = t.object_id
      AND t.unit_id = OLD.unit_id;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER members_tally_delete BEFORE DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION members_tally_delete();

CREATE FUNCTION members_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO unit_tallies AS t (unit_id, role, members, reachable)
        SELECT n.unit_id, n.role, COUNT(*),
               SUM(CASE WHEN n.unreachable_at IS NULL AND EXISTS
                   (SELECT 1 FROM identities i WHERE i.member_id = n.id) THEN 1 ELSE 0 END)
        FROM new_rows n GROUP BY n.unit_id, n.role
        ON CONFLICT (unit_id, role) DO UPDATE
            SET members = t.members + EXCLUDED.members, reachable = t.reachable + EXCLUDED.reachable;
        RETURN NULL;
    END IF;
    -- UPDATE: a move, a role change, unreachable set or cleared. Signatures and «Đã
    -- nắm» follow a member who moves (and signatures one who changes role).
    WITH changed AS (
        SELECT o.id, o.unit_id AS old_unit, o.role AS old_role, o.unreachable_at AS old_unr,
               n.unit_id AS new_unit, n.role AS new_role, n.unreachable_at AS new_unr,
               EXISTS (SELECT 1 FROM identities i WHERE i.member_id = o.id) AS has_chat
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.unit_id <> n.unit_id OR o.role <> n.role
           OR (o.unreachable_at IS NULL) <> (n.unreachable_at IS NULL)
    ), delta AS (
        SELECT old_unit AS unit_id, old_role AS role, -1 AS members,
               -(CASE WHEN old_unr IS NULL AND has_chat THEN 1 ELSE 0 END) AS reachable
        FROM changed
        UNION ALL
        SELECT new_unit, new_role, 1, CASE WHEN new_unr IS NULL AND has_chat THEN 1 ELSE 0 END
        FROM changed
    )
    INSERT INTO unit_tallies AS t (unit_id, role, members, reachable)
    SELECT unit_id, role, SUM(members), SUM(reachable) FROM delta GROUP BY unit_id, role
    ON CONFLICT (unit_id, role) DO UPDATE
        SET members = t.members + EXCLUDED.members, reachable = t.reachable + EXCLUDED.reachable;

    WITH moved AS (
        SELECT o.id, o.unit_id AS old_unit, o.role AS old_role,
               n.unit_id AS new_unit, n.role AS new_role
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.unit_id <> n.unit_id OR o.role <> n.role
    ), delta AS (
        SELECT s.campaign_id, s.version, m.old_unit AS unit_id, m.old_role AS role, -1 AS signed
        FROM moved m JOIN commitment_signatures s ON s.member_id = m.id
        UNION ALL
        SELECT s.campaign_id, s.version, m.new_unit, m.new_role, 1
        FROM moved m JOIN commitment_signatures s ON s.member_id = m.id
    )
    INSERT INTO signature_tallies AS t (campaign_id, version, unit_id, role, signed)
    SELECT campaign_id, version, unit_id, role, SUM(signed) FROM delta
    GROUP BY campaign_id, version, unit_id, role
    ON CONFLICT (campaign_id, version, unit_id, role) DO UPDATE SET signed = t.signed + EXCLUDED.signed;

    WITH moved AS (
        SELECT o.id, o.unit_id AS old_unit, n.unit_id AS new_unit
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.unit_id <> n.unit_id
    ), delta AS (
        SELECT a.kind, a.object_id, m.old_unit AS unit_id, -1 AS asked,
               -(CASE WHEN a.acked_at IS NULL THEN 0 ELSE 1 END) AS acked
        FROM moved m JOIN acknowledgements a ON a.member_id = m.id
        UNION ALL
        SELECT a.kind, a.object_id, m.new_unit, 1, CASE WHEN a.acked_at IS NULL THEN 0 ELSE 1 END
        FROM moved m JOIN acknowledgements a ON a.member_id = m.id
    )
    INSERT INTO ack_tallies AS t (kind, object_id, unit_id, asked, acked)
    SELECT kind, object_id, unit_id, SUM(asked), SUM(acked) FROM delta
    GROUP BY kind, object_id, unit_id
    ON CONFLICT (kind, object_id, unit_id) DO UPDATE
        SET asked = t.asked + EXCLUDED.asked, acked = t.acked + EXCLUDED.acked;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER members_tally_insert AFTER INSERT ON members
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION members_tally();
CREATE TRIGGER members_tally_update AFTER UPDATE ON members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION members_tally();

-- A member becomes reachable with their first chat and stops being reachable when their
-- last one goes: each touched member's count before the statement is the count after it
-- less the rows it added plus the rows it removed.
CREATE FUNCTION identities_tally() RETURNS trigger AS $$
DECLARE
    ids BIGINT[];
    ds BIGINT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(member_id), array_agg(1::BIGINT) INTO ids, ds FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(member_id), array_agg(-1::BIGINT) INTO ids, ds FROM old_rows;
    ELSE
        SELECT array_agg(x.member_id), array_agg(x.d) INTO ids, ds FROM (
            SELECT member_id, 1::BIGINT AS d FROM new_rows
            UNION ALL SELECT member_id, -1::BIGINT FROM old_rows) x;
    END IF;
    IF ids IS NULL THEN
        RETURN NULL;
    END IF;
    WITH delta AS (
        SELECT t.member_id, SUM(t.d) AS d
        FROM unnest(ids, ds) AS t(member_id, d)
        GROUP BY t.member_id
    ), flips AS (
        SELECT m.unit_id, m.role,
               SUM((CASE WHEN c.after_n > 0 THEN 1 ELSE 0 END)
                   - (CASE WHEN c.after_n - c.d > 0 THEN 1 ELSE 0 END)) AS n
        FROM (SELECT d.member_id, d.d,
                     (SELECT COUNT(*) FROM identities i WHERE i.member_id = d.member_id) AS after_n
              FROM delta d) c
        JOIN members m ON m.id = c.member_id
        WHERE m.unreachable_at IS NULL
        GROUP BY m.unit_id, m.role
    )
    UPDATE unit_tallies t SET reachable = t.reachable + f.n
    FROM flips f WHERE t.unit_id = f.unit_id AND t.role = f.role AND f.n <> 0;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER identities_tally_insert AFTER INSERT ON identities
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION identities_tally();
CREATE TRIGGER identities_tally_delete AFTER DELETE ON identities
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION identities_tally();
CREATE TRIGGER identities_tally_update AFTER UPDATE ON identities
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION identities_tally();

-- A signature counts in its signer's unit and role; one deleted by a member's removal
-- was already taken away there (no member row is found now).
CREATE FUNCTION signatures_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO signature_tallies AS t (campaign_id, version, unit_id, role, signed)
        SELECT n.campaign_id, n.version, m.unit_id, m.role, COUNT(*)
        FROM new_rows n JOIN members m ON m.id = n.member_id
        GROUP BY n.campaign_id, n.version, m.unit_id, m.role
        ON CONFLICT (campaign_id, version, unit_id, role) DO UPDATE SET signed = t.signed + EXCLUDED.signed;
    ELSE
        INSERT INTO signature_tallies AS t (campaign_id, version, unit_id, role, signed)
        SELECT o.campaign_id, o.version, m.unit_id, m.role, -COUNT(*)
        FROM old_rows o JOIN members m ON m.id = o.member_id
        GROUP BY o.campaign_id, o.version, m.unit_id, m.role
        ON CONFLICT (campaign_id, version, unit_id, role) DO UPDATE SET signed = t.signed + EXCLUDED.signed;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER signatures_tally_insert AFTER INSERT ON commitment_signatures
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION signatures_tally();
CREATE TRIGGER signatures_tally_delete AFTER DELETE ON commitment_signatures
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION signatures_tally();

CREATE FUNCTION acks_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ack_tallies AS t (kind, object_id, unit_id, asked, acked)
        SELECT n.kind, n.object_id, m.unit_id, COUNT(*), COUNT(n.acked_at)
        FROM new_rows n JOIN members m ON m.id = n.member_id
        GROUP BY n.kind, n.object_id, m.unit_id
        ON CONFLICT (kind, object_id, unit_id) DO UPDATE
            SET asked = t.asked + EXCLUDED.asked, acked = t.acked + EXCLUDED.acked;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ack_tallies AS t (kind, object_id, unit_id, asked, acked)
        SELECT o.kind, o.object_id, m.unit_id, -COUNT(*), -COUNT(o.acked_at)
        FROM old_rows o JOIN members m ON m.id = o.member_id
        GROUP BY o.kind, o.object_id, m.unit_id
        ON CONFLICT (kind, object_id, unit_id) DO UPDATE
            SET asked = t.asked + EXCLUDED.asked, acked = t.acked + EXCLUDED.acked;
    ELSE
        INSERT INTO ack_tallies AS t (kind, object_id, unit_id, asked, acked)
        SELECT n.kind, n.object_id, m.unit_id, 0, COUNT(n.acked_at) - COUNT(o.acked_at)
        FROM old_rows o
        JOIN new_rows n ON n.kind = o.kind AND n.object_id = o.object_id AND n.member_id = o.member_id
        JOIN members m ON m.id = n.member_id
        GROUP BY n.kind, n.object_id, m.unit_id
        ON CONFLICT (kind, object_id, unit_id) DO UPDATE SET acked = t.acked + EXCLUDED.acked;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER acks_tally_insert AFTER INSERT ON acknowledgements
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION acks_tally();
CREATE TRIGGER acks_tally_delete AFTER DELETE ON acknowledgements
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION acks_tally();
CREATE TRIGGER acks_tally_update AFTER UPDATE ON acknowledgements
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION acks_tally();
