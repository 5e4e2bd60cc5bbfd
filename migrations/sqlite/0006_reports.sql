-- How often a unit's officers get the digest ('weekly' when no row), and the digests
-- sent: one row per unit and period, taken in the transaction that queues the digest.
CREATE TABLE digest_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
    every TEXT NOT NULL
);

CREATE TABLE digests_sent (
    unit_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, period)
);
