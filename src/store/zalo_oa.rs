//! What the Zalo Official Account channel keeps: the OA's token pair (rotated on every
//! refresh, a refresh token being good for one use), each OA user's last interaction
//! (Zalo's 48-hour window) and follow state, the month's paid sends, and the messages
//! held outside the window until the member writes again.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::outbox::{OutboxRow, PRIORITY_REPLY};
use super::{Conn, Store, StoreError};
use crate::core::domain::Lang;
use crate::core::event::Outbound;

pub const CHANNEL: &str = "zalo_oa";
/// Status of an outbox row held until its recipient writes to the OA again.
pub const OUTSIDE_WINDOW: &str = "outside_window";
/// Status of an outbox row not sent on the OA because the member got it (or a copy of
/// it) on another linked account.
pub const ELSEWHERE: &str = "elsewhere";
/// The "you have N new messages" notice goes before the released messages.
const PRIORITY_NOTICE: i64 = PRIORITY_REPLY - 1;

/// The stored token pair.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// UTC epoch ms; 0 when there is no access token yet.
    pub access_expires_at: i64,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_expires_at", &self.access_expires_at)
            .finish_non_exhaustive()
    }
}

/// An OA user as the sender sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OaUser {
    pub last_inbound_at: i64,
    pub followed: bool,
}

fn seed_of(refresh_token: &str) -> String {
    let d = Sha256::digest(format!("congdoan-zalo-oa-seed:{}", refresh_token.trim()).as_bytes());
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// At start: take the configured first refresh token when there is no stored pair,
    /// or when the operator configured a new one (it differs from the one the stored
    /// pair grew from). The same one again keeps the rotated pair. `Ok(false)` when
    /// there is neither a stored pair nor a configured token.
    pub async fn zalo_oa_seed_tokens(
        &self,
        configured: Option<&str>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let stored: Option<String> = sqlx::query("SELECT seed FROM zalo_oa_tokens WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("seed"))
            .transpose()?;
        let configured = configured.map(str::trim).filter(|t| !t.is_empty());
        let ok = match (stored, configured) {
            (Some(seed), Some(token)) if seed != seed_of(token) => {
                sqlx::query(
                    "UPDATE zalo_oa_tokens SET access_token = '', refresh_token = $1,
                            access_expires_at = 0, seed = $2, refreshed_at = $3,
                            failed_at = NULL, failure = NULL
                     WHERE id = 1",
                )
                .bind(token)
                .bind(seed_of(token))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tracing::info!("zalo oa: a new ZALO_OA_REFRESH_TOKEN replaces the stored pair");
                true
            }
            (Some(_), _) => true,
            (None, Some(token)) => {
                sqlx::query(
                    "INSERT INTO zalo_oa_tokens (id, access_token, refresh_token, access_expires_at, seed, refreshed_at)
                     VALUES (1, '', $1, 0, $2, $3)",
                )
                .bind(token)
                .bind(seed_of(token))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                true
            }
            (None, None) => false,
        };
        tx.commit().await?;
        Ok(ok)
    }

    pub async fn zalo_oa_tokens(&self) -> Result<Option<Tokens>, StoreError> {
        let row = sqlx::query(
            "SELECT access_token, refresh_token, access_expires_at FROM zalo_oa_tokens WHERE id = 1",
        )
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Tokens {
                access_token: r.try_get("access_token")?,
                refresh_token: r.try_get("refresh_token")?,
                access_expires_at: r.try_get("access_expires_at")?,
            })
        })
        .transpose()
    }

    /// Replace the pair grown from `spent` by `new`, in one statement: `false` when the
    /// stored refresh token is not `spent` any more (someone else refreshed).
    pub async fn zalo_oa_swap_tokens(
        &self,
        spent: &str,
        new: &Tokens,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE zalo_oa_tokens SET access_token = $1, refresh_token = $2,
                    access_expires_at = $3, refreshed_at = $4, failed_at = NULL, failure = NULL
             WHERE id = 1 AND refresh_token = $5",
        )
        .bind(&new.access_token)
        .bind(&new.refresh_token)
        .bind(new.access_expires_at)
        .bind(now)
        .bind(spent)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Note a refresh that failed (shown to operators in the log; kept for them).
    pub async fn zalo_oa_refresh_failed(&self, error: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE zalo_oa_tokens SET failed_at = $1, failure = $2 WHERE id = 1")
            .bind(now)
            .bind(error.chars().take(300).collect::<String>())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn zalo_oa_user(&self, user_id: &str) -> Result<Option<OaUser>, StoreError> {
        let row =
            sqlx::query("SELECT last_inbound_at, followed FROM zalo_oa_users WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| {
            Ok(OaUser {
                last_inbound_at: r.try_get("last_inbound_at")?,
                followed: r.try_get::<i64, _>("followed")? != 0,
            })
        })
        .transpose()
    }

    /// Forget the OA users who are not members (never joined, or deleted their data
    /// with `/xoadulieu`) and have not written for 7 days: past that, nothing may be sent
    /// to them anyway. (Not at `/xoadulieu` itself: its goodbye needs their window.)
    pub async fn zalo_oa_sweep(&self, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "DELETE FROM zalo_oa_users
             WHERE last_inbound_at < $1
               AND NOT EXISTS (SELECT 1 FROM identities i
                               WHERE i.channel = $2 AND i.chat_id = zalo_oa_users.user_id)",
        )
        .bind(now - crate::channels::zalo_oa::PAID_WINDOW_MS)
        .bind(CHANNEL)
        .execute(self.pool())
        .await?
        .rows_affected())
    }

    /// Take one of this month's paid sends; `false` when the cap is reached.
    pub async fn zalo_oa_reserve_paid(&self, month: &str, cap: u64) -> Result<bool, StoreError> {
        let cap = i64::try_from(cap).unwrap_or(i64::MAX);
        if cap <= 0 {
            return Ok(false);
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO zalo_oa_paid (month, sent) VALUES ($1, 0) ON CONFLICT (month) DO NOTHING",
        )
        .bind(month)
        .execute(&mut *tx)
        .await?;
        let n =
            sqlx::query("UPDATE zalo_oa_paid SET sent = sent + 1 WHERE month = $1 AND sent < $2")
                .bind(month)
                .bind(cap)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Give back a paid send that did not go out.
    pub async fn zalo_oa_release_paid(&self, month: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE zalo_oa_paid SET sent = sent - 1 WHERE month = $1 AND sent > 0")
            .bind(month)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn zalo_oa_paid_sent(&self, month: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT sent FROM zalo_oa_paid WHERE month = $1")
                .bind(month)
                .fetch_optional(self.pool())
                .await?
                .map(|r| r.try_get::<i64, _>("sent"))
                .transpose()?
                .unwrap_or(0),
        )
    }
}

/// The user wrote (or followed): their 48-hour window starts again at `at`, they follow
/// the OA, and messages held for them go back to the queue behind a "you have N new
/// messages" notice in their language. Returns how many were released.
pub async fn interacted(
    conn: &mut Conn,
    notices: &dyn crate::core::notices::Notices,
    user_id: &str,
    at: i64,
    now: i64,
) -> Result<i64, StoreError> {
    sqlx::query(
        "INSERT INTO zalo_oa_users (user_id, last_inbound_at, followed, unfollowed_at)
         VALUES ($1, $2, 1, NULL)
         ON CONFLICT (user_id) DO UPDATE SET
             last_inbound_at = CASE WHEN zalo_oa_users.last_inbound_at > $2
                                    THEN zalo_oa_users.last_inbound_at ELSE $2 END,
             -- an older event (a replayed follow) does not undo a later unfollow
             followed = CASE WHEN zalo_oa_users.unfollowed_at > $2
                             THEN zalo_oa_users.followed ELSE 1 END,
             unfollowed_at = CASE WHEN zalo_oa_users.unfollowed_at > $2
                                  THEN zalo_oa_users.unfollowed_at ELSE NULL END",
    )
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let member = sqlx::query(
        "SELECT m.id, m.lang FROM identities i JOIN members m ON m.id = i.member_id
         WHERE i.channel = $1 AND i.chat_id = $2",
    )
    .bind(CHANNEL)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let lang = match &member {
        Some(r) => Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default(),
        None => Lang::default(),
    };
    if let Some(r) = &member {
        // Following again makes them reachable (writing does too, in the processor).
        super::members::mark_reachable(conn, r.try_get("id")?).await?;
    }
    // Held so long that their text was erased (after 30 days, `retention`): they fail
    // with that reason instead of being announced.
    sqlx::query(
        "UPDATE outbox SET status = 'failed',
                error = 'zalo oa: held outside the 48-hour window longer than texts are kept'
         WHERE channel = $1 AND chat_id = $2 AND status = $3 AND payload = ''",
    )
    .bind(CHANNEL)
    .bind(user_id)
    .bind(OUTSIDE_WINDOW)
    .execute(&mut *conn)
    .await?;
    let waiting: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE channel = $1 AND chat_id = $2 AND status = $3",
    )
    .bind(CHANNEL)
    .bind(user_id)
    .bind(OUTSIDE_WINDOW)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    if waiting == 0 {
        return Ok(0);
    }
    let notice = Outbound::Message {
        text: notices.text(
            lang,
            &crate::core::notices::Notice::ZaloOaWaiting { count: waiting },
        ),
        buttons: vec![],
    };
    super::outbox::enqueue(conn, CHANNEL, user_id, &notice, PRIORITY_NOTICE, now).await?;
    // In the order they were queued (same priority: the claim orders by id).
    sqlx::query(
        "UPDATE outbox SET status = 'pending', priority = $1, not_before = $2, claimed_at = NULL,
                error = NULL
         WHERE channel = $3 AND chat_id = $4 AND status = $5",
    )
    .bind(PRIORITY_REPLY)
    .bind(now)
    .bind(CHANNEL)
    .bind(user_id)
    .bind(OUTSIDE_WINDOW)
    .execute(&mut *conn)
    .await?;
    Ok(waiting)
}

/// The user unfollowed the OA: unreachable there until they follow again. The member
/// is marked unreachable only when the OA is their only account (elsewhere they still
/// are reachable).
pub async fn unfollowed(conn: &mut Conn, user_id: &str, at: i64) -> Result<(), StoreError> {
    // An unfollow older than their last message or follow (a replay) changes nothing.
    let applied = sqlx::query(
        "INSERT INTO zalo_oa_users (user_id, last_inbound_at, followed, unfollowed_at)
         VALUES ($1, 0, 0, $2)
         ON CONFLICT (user_id) DO UPDATE SET followed = 0, unfollowed_at = $2
         WHERE zalo_oa_users.last_inbound_at <= $2",
    )
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if applied == 0 {
        return Ok(());
    }
    mark_unreachable_here(conn, user_id, at).await
}

/// The OA said the user is not reachable (-213, or unfollowed): member-wide only when
/// the OA is the member's only account.
pub async fn mark_unreachable_here(
    conn: &mut Conn,
    user_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE zalo_oa_users SET followed = 0 WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE members SET unreachable_at = $1
         WHERE id IN (SELECT member_id FROM identities WHERE channel = $2 AND chat_id = $3)
           AND NOT EXISTS (SELECT 1 FROM identities o
                           WHERE o.member_id = members.id AND o.channel NOT IN ($2, 'console'))",
    )
    .bind(now)
    .bind(CHANNEL)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A message the OA may not send now (outside the 48-hour window, no paid sending).
/// When the member has another linked account, they get it there: a broadcast or a
/// directive already went to every account (this row is then `elsewhere`); any other
/// text is queued there. Otherwise it waits (`outside_window`) for them to write, not
/// counted as an attempt.
pub async fn hold(
    conn: &mut Conn,
    row: &OutboxRow,
    reason: &str,
    now: i64,
) -> Result<(), StoreError> {
    // They wrote while this message was in flight: it goes out now after all.
    let wrote_since = sqlx::query(
        "SELECT 1 AS x FROM zalo_oa_users u, outbox o
         WHERE u.user_id = $1 AND o.id = $2 AND u.followed = 1
           AND u.last_inbound_at >= COALESCE(o.claimed_at, $3)",
    )
    .bind(&row.chat_id)
    .bind(row.id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?
    .is_some();
    if wrote_since {
        sqlx::query(
            "UPDATE outbox SET status = 'pending', not_before = $1, claimed_at = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(row.id)
        .execute(&mut *conn)
        .await?;
        return Ok(());
    }
    let other = sqlx::query(
        "SELECT o.channel, o.chat_id FROM identities i
         JOIN identities o ON o.member_id = i.member_id
         WHERE i.channel = $1 AND i.chat_id = $2 AND o.channel NOT IN ($1, 'console')
         ORDER BY o.channel LIMIT 1",
    )
    .bind(CHANNEL)
    .bind(&row.chat_id)
    .fetch_optional(&mut *conn)
    .await?;
    let mut moved_to = None;
    if let Some(o) = other {
        let channel: String = o.try_get("channel")?;
        let chat_id: String = o.try_get("chat_id")?;
        let tags = sqlx::query("SELECT broadcast_id, directive_id FROM outbox WHERE id = $1")
            .bind(row.id)
            .fetch_one(&mut *conn)
            .await?;
        let broadcast: Option<i64> = tags.try_get("broadcast_id")?;
        let directive: Option<i64> = tags.try_get("directive_id")?;
        let copy_exists = match (broadcast, directive) {
            (None, None) => false,
            _ => sqlx::query(
                "SELECT 1 AS x FROM outbox
                 WHERE channel = $1 AND chat_id = $2 AND id <> $3
                   AND ((broadcast_id IS NOT NULL AND broadcast_id = $4)
                        OR (directive_id IS NOT NULL AND directive_id = $5))
                 LIMIT 1",
            )
            .bind(&channel)
            .bind(&chat_id)
            .bind(row.id)
            .bind(broadcast.unwrap_or(-1))
            .bind(directive.unwrap_or(-1))
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
        };
        if copy_exists {
            moved_to = Some(channel);
        } else if let Some(body @ (Outbound::Message { .. } | Outbound::Progress { .. })) =
            row.body()
        {
            let text = match body {
                Outbound::Message { text, .. } | Outbound::Progress { text, .. } => text,
                _ => String::new(),
            };
            let copy = Outbound::Message {
                text,
                buttons: vec![],
            };
            super::outbox::enqueue(conn, &channel, &chat_id, &copy, row.priority, now).await?;
            moved_to = Some(channel);
        }
    }
    match moved_to {
        Some(channel) => {
            sqlx::query(
                "UPDATE outbox SET status = $1, error = $2, claimed_at = NULL WHERE id = $3",
            )
            .bind(ELSEWHERE)
            .bind(format!("outside the zalo oa window; sent on {channel}"))
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE outbox SET status = $1, error = $2, claimed_at = NULL WHERE id = $3",
            )
            .bind(OUTSIDE_WINDOW)
            .bind(reason.chars().take(300).collect::<String>())
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A user's profile is asked for again, after a failure or an empty answer, at most
/// this often.
pub const PROFILE_RETRY_MS: i64 = 24 * 3_600_000;

/// Where a ZNS template reminder goes: the member's phone (as the OA user shared it, or
/// set by the union), their name, and the commitment it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZnsTarget {
    pub phone: String,
    pub name: String,
    pub title: String,
    pub deadline_at: i64,
}

/// An image the OA serves by token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaImage {
    pub content_type: String,
    pub data_base64: String,
}

impl Store {
    /// OA users whose display name is still unknown and due to be asked for: never
    /// asked, or (members only, having written within 7 days) asked more than a day ago.
    pub async fn zalo_oa_profiles_due(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.user_id FROM zalo_oa_users u
             WHERE (u.display_name IS NULL OR u.display_name = '') AND u.followed = 1
               AND (u.profile_checked_at IS NULL
                    OR (u.profile_checked_at <= $1 AND u.last_inbound_at >= $2
                        AND EXISTS (SELECT 1 FROM identities i
                                    WHERE i.channel = $3 AND i.chat_id = u.user_id)))
             ORDER BY u.last_inbound_at DESC LIMIT $4",
        )
        .bind(now - PROFILE_RETRY_MS)
        .bind(now - crate::channels::zalo_oa::PAID_WINDOW_MS)
        .bind(CHANNEL)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>("user_id")?))
            .collect()
    }

    /// Record what the profile call gave (`None`: it failed or said nothing): the name
    /// and phone are kept for the OA user, and a member with this OA account and no
    /// name yet takes the name.
    pub async fn zalo_oa_profile_checked(
        &self,
        user_id: &str,
        name: Option<&str>,
        phone: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE zalo_oa_users SET profile_checked_at = $1,
                    display_name = COALESCE($2, display_name), phone = COALESCE($3, phone)
             WHERE user_id = $4",
        )
        .bind(now)
        .bind(name)
        .bind(phone)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if let Some(name) = name {
            sqlx::query(
                "UPDATE members SET display_name = $1
                 WHERE display_name = ''
                   AND id IN (SELECT member_id FROM identities WHERE channel = $2 AND chat_id = $3)",
            )
            .bind(name)
            .bind(CHANNEL)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Set (or clear) the phone number ZNS reminders go to for this OA user (the profile
    /// call fills it when the user shared it with the OA).
    pub async fn zalo_oa_set_phone(
        &self,
        user_id: &str,
        phone: Option<&crate::channels::zalo_oa::ZnsPhone>,
    ) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("UPDATE zalo_oa_users SET phone = $1 WHERE user_id = $2")
                .bind(phone.map(|p| p.as_str().to_string()))
                .bind(user_id)
                .execute(self.pool())
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// The ZNS reminder's recipient for a request to sign `campaign_id` sent to OA user
    /// `user_id`: only once the campaign's reminders have begun (its announcement is
    /// not a reminder), only a member whose OA account is their only one (elsewhere they
    /// get it anyway) and who has a phone number.
    pub async fn zalo_oa_zns_target(
        &self,
        user_id: &str,
        campaign_id: i64,
    ) -> Result<Option<ZnsTarget>, StoreError> {
        let row = sqlx::query(
            "SELECT u.phone, m.display_name, c.title, c.deadline_at
             FROM zalo_oa_users u
             JOIN identities i ON i.channel = $1 AND i.chat_id = u.user_id
             JOIN members m ON m.id = i.member_id
             JOIN commitment_campaigns c ON c.id = $2
             WHERE u.user_id = $3 AND u.phone IS NOT NULL AND u.phone <> ''
               -- a reminder, not the announcement (no reminder has gone out before it)
               AND EXISTS (SELECT 1 FROM commitment_reminders r WHERE r.campaign_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM identities o
                               WHERE o.member_id = m.id AND o.channel NOT IN ($1, 'console'))",
        )
        .bind(CHANNEL)
        .bind(campaign_id)
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(ZnsTarget {
                phone: r.try_get("phone")?,
                name: r.try_get("display_name")?,
                title: r.try_get("title")?,
                deadline_at: r.try_get("deadline_at")?,
            })
        })
        .transpose()
    }

    /// Keep an image to serve by token until `expires_at`; `token_hash` is the SHA-256
    /// of the token in the URL.
    pub async fn zalo_oa_put_image(
        &self,
        token_hash: &str,
        image: &OaImage,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO zalo_oa_images (token_hash, content_type, data_base64, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(&image.content_type)
        .bind(&image.data_base64)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The image of this token hash, if it has not expired.
    pub async fn zalo_oa_image(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<OaImage>, StoreError> {
        let row = sqlx::query(
            "SELECT content_type, data_base64 FROM zalo_oa_images
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(OaImage {
                content_type: r.try_get("content_type")?,
                data_base64: r.try_get("data_base64")?,
            })
        })
        .transpose()
    }

    /// Drop the images whose tokens expired.
    pub async fn zalo_oa_sweep_images(&self, now: i64) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM zalo_oa_images WHERE expires_at <= $1")
                .bind(now)
                .execute(self.pool())
                .await?
                .rows_affected(),
        )
    }
}

/// The display name the OA's profile call gave for `user_id`, if any (an OA event
/// carries no name: the processor fills it in before a newcomer joins).
pub async fn display_name(conn: &mut Conn, user_id: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT display_name FROM zalo_oa_users
         WHERE user_id = $1 AND display_name IS NOT NULL AND display_name <> ''",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("display_name")).transpose()?)
}

/// `/xoadulieu`: forget the OA profile (name, phone) of the member's OA accounts; the
/// profile is not asked for again (it is asked for only for members and newcomers).
pub async fn forget_profile(conn: &mut Conn, member_id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE zalo_oa_users SET display_name = NULL, phone = NULL, profile_checked_at = $1
         WHERE user_id IN (SELECT chat_id FROM identities WHERE member_id = $2 AND channel = $3)",
    )
    .bind(now)
    .bind(member_id)
    .bind(CHANNEL)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
