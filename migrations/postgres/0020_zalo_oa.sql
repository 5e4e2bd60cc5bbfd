-- Zalo Official Account (OA Open API v3).
-- The OA's token pair. A refresh token can be used once: the new pair replaces the old
-- in one statement, right after Zalo hands it over (compare-and-swap on the old one).
-- `seed` is a hash of ZALO_OA_REFRESH_TOKEN as configured: a new one from the operator
-- replaces the stored pair, the same one does not.
CREATE TABLE zalo_oa_tokens (
    id BIGINT PRIMARY KEY,
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    access_expires_at BIGINT NOT NULL,
    seed TEXT NOT NULL,
    refreshed_at BIGINT,
    -- the last refresh that failed (its error), for operators
    failed_at BIGINT,
    failure TEXT
);

-- Each OA user's last interaction (Zalo's 48-hour window for free "tin tư vấn") and
-- whether they unfollowed the OA (unreachable there until they follow again).
CREATE TABLE zalo_oa_users (
    user_id TEXT PRIMARY KEY,
    last_inbound_at BIGINT NOT NULL,
    followed BIGINT NOT NULL DEFAULT 1,
    unfollowed_at BIGINT
);

-- Paid sends outside the free window (ZALO_OA_PAID=on), per month (YYYY-MM, UTC+7).
CREATE TABLE zalo_oa_paid (
    month TEXT PRIMARY KEY,
    sent BIGINT NOT NULL
);

-- Messages waiting for the member to write again ('outside_window'), by chat.
CREATE INDEX outbox_outside_window ON outbox(chat_id) WHERE status = 'outside_window';
