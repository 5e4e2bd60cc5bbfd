//! The durable inbox: every update is stored here before the platform is told we have
//! it (before the polling offset moves, before a webhook answers 200). Idempotent on
//! (channel, update_id).

use sqlx::Row;

use super::{Backend, Conn, Store, StoreError, cluster};
use crate::core::event::InboundEvent;

#[derive(Debug, Clone)]
pub struct InboxRow {
    pub id: i64,
    pub channel: String,
    pub update_id: String,
    pub chat_id: String,
    pub payload: Option<String>,
    pub attempts: i64,
    /// When we stored it.
    pub received_at: i64,
    /// When the person sent it, by the platform's clock, when the platform says.
    pub sent_at: Option<i64>,
}

/// A parked update as an operator sees it: no message content.
#[derive(Debug, Clone)]
pub struct ParkedRow {
    pub id: i64,
    pub channel: String,
    pub received_at: i64,
    pub attempts: i64,
    pub error: Option<String>,
}

/// After this many failed attempts an update is parked as 'failed' for an operator.
pub const MAX_ATTEMPTS: i64 = 5;

impl Store {
    /// Store an update; `false` when it was already there (a redelivery).
    pub async fn inbox_insert(&self, ev: &InboundEvent) -> Result<bool, StoreError> {
        let payload = serde_json::to_string(ev).unwrap_or_default();
        let n = sqlx::query(
            "INSERT INTO inbox (channel, update_id, chat_id, payload, status, received_at, sent_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $6)
             ON CONFLICT (channel, update_id) DO NOTHING",
        )
        .bind(ev.channel.as_str())
        .bind(&ev.update_id)
        .bind(&ev.chat_id)
        .bind(payload)
        .bind(crate::core::time::now_ms())
        .bind(ev.sent_at)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Store a batch in one transaction (one fsync for a whole getUpdates answer).
    pub async fn inbox_insert_all(&self, events: &[InboundEvent]) -> Result<usize, StoreError> {
        let now = crate::core::time::now_ms();
        let mut tx = self.begin().await?;
        let mut new = 0;
        for ev in events {
            let payload = serde_json::to_string(ev).unwrap_or_default();
            new += sqlx::query(
                "INSERT INTO inbox (channel, update_id, chat_id, payload, status, received_at, sent_at)
                 VALUES ($1, $2, $3, $4, 'pending', $5, $6)
                 ON CONFLICT (channel, update_id) DO NOTHING",
            )
            .bind(ev.channel.as_str())
            .bind(&ev.update_id)
            .bind(&ev.chat_id)
            .bind(payload)
            .bind(now)
            .bind(ev.sent_at)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// The oldest pending updates that are due (a failed one waits for its retry time),
    /// in arrival order.
    pub async fn inbox_pending(&self, limit: i64, now: i64) -> Result<Vec<InboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, channel, update_id, chat_id, payload, attempts, received_at, sent_at
             FROM inbox WHERE status = 'pending' AND retry_at <= $2 ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(InboxRow {
                    id: r.try_get("id")?,
                    channel: r.try_get("channel")?,
                    update_id: r.try_get("update_id")?,
                    chat_id: r.try_get("chat_id")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                    received_at: r.try_get("received_at")?,
                    sent_at: r.try_get("sent_at")?,
                })
            })
            .collect()
    }

    /// Updates parked after their last failed attempt, oldest first.
    pub async fn inbox_parked(&self, limit: i64) -> Result<Vec<ParkedRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, channel, received_at, attempts, error FROM inbox
             WHERE status = 'failed' ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ParkedRow {
                    id: r.try_get("id")?,
                    channel: r.try_get("channel")?,
                    received_at: r.try_get("received_at")?,
                    attempts: r.try_get("attempts")?,
                    error: r.try_get("error")?,
                })
            })
            .collect()
    }

    /// Queue a parked update again (its tries start over). `false` when `id` is not a
    /// parked update that still has its content.
    pub async fn inbox_retry(&self, id: i64) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE inbox SET status = 'pending', attempts = 0, retry_at = 0, error = NULL
             WHERE id = $1 AND status = 'failed' AND payload IS NOT NULL",
        )
        .bind(id)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub async fn inbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows =
            sqlx::query("SELECT status, COUNT(*) AS n FROM inbox GROUP BY status ORDER BY status")
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }
}

/// Take an update for processing inside the caller's transaction. `false` when it is
/// not ours to process now: no longer pending (another worker, or an earlier run, did
/// it), or, with several instances on PostgreSQL, being processed elsewhere, or behind
/// an earlier update of the same chat (one chat's updates are handled in order, one at
/// a time, cluster-wide: the chat's transaction lock is held until commit).
pub async fn claim(conn: &mut Conn, backend: Backend, row: &InboxRow) -> Result<bool, StoreError> {
    if backend == Backend::Postgres {
        let free = sqlx::query(
            "SELECT id FROM inbox WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED",
        )
        .bind(row.id)
        .fetch_optional(&mut *conn)
        .await?;
        if free.is_none() {
            return Ok(false);
        }
        if !cluster::try_lock_for_tx(conn, cluster::chat_key(&row.channel, &row.chat_id)).await? {
            return Ok(false);
        }
        let earlier = sqlx::query(
            "SELECT id FROM inbox WHERE channel = $1 AND chat_id = $2 AND status = 'pending' AND id < $3 LIMIT 1",
        )
        .bind(&row.channel)
        .bind(&row.chat_id)
        .bind(row.id)
        .fetch_optional(&mut *conn)
        .await?;
        if earlier.is_some() {
            return Ok(false);
        }
    }
    let n =
        sqlx::query("UPDATE inbox SET status = 'processing' WHERE id = $1 AND status = 'pending'")
            .bind(row.id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    Ok(n == 1)
}

/// Mark done and drop the payload: the message text is personal data we no longer need.
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE inbox SET status = $1, error = $2, processed_at = $3, payload = NULL WHERE id = $4",
    )
    .bind(status)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The stored event of an update (kept for parked ones), if it still has one.
pub async fn payload_of(conn: &mut Conn, id: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT payload FROM inbox WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get("payload")?,
        None => None,
    })
}

/// Count a failed attempt outside the (rolled back) processing transaction: the update
/// is tried again at `retry_at`, or, after [`MAX_ATTEMPTS`], parked as 'failed' (its
/// payload kept, so an operator can retry it). Returns whether it was parked now.
pub async fn failed_attempt(
    conn: &mut Conn,
    id: i64,
    error: &str,
    retry_at: i64,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "UPDATE inbox SET attempts = attempts + 1, error = $1, retry_at = $2,
             status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
         WHERE id = $4 AND status = 'pending'
         RETURNING status",
    )
    .bind(error)
    .bind(retry_at)
    .bind(MAX_ATTEMPTS)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get::<String, _>("status")? == "failed",
        None => false,
    })
}
