-- A broadcast to several chosen child units: each one's subtree gets it. No rows: the
-- whole subtree of broadcasts.unit_id.
CREATE TABLE broadcast_units (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (broadcast_id, unit_id)
);
