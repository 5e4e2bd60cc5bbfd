-- Zalo OA, continued.
-- The OA user's profile (OA API v3 /v3.0/oa/user/detail): the display name, a phone
-- number the user shared with the OA (for ZNS template reminders), and when the profile
-- was last asked for (a failure is retried at most once a day).
ALTER TABLE zalo_oa_users ADD COLUMN display_name TEXT;
ALTER TABLE zalo_oa_users ADD COLUMN phone TEXT;
ALTER TABLE zalo_oa_users ADD COLUMN profile_checked_at BIGINT;

-- Images the OA sends by URL (charts): served at /oa-image/<token>.png to whoever holds
-- the token (Zalo's servers), until it expires. Only the token's SHA-256 is kept.
CREATE TABLE zalo_oa_images (
    token_hash TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    data_base64 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX zalo_oa_images_expiry ON zalo_oa_images(expires_at);
