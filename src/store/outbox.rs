//! The outbox: one row per outgoing message. Senders claim rows, send them under the
//! platform's limits and record the result; a crash leaves rows 'sending' that go back
//! to 'pending' once their lease runs out.

use sqlx::Row;

use super::{Backend, Conn, Store, StoreError};
use crate::core::event::Outbound;

/// Replies to a person come before bulk sends.
pub const PRIORITY_REPLY: i64 = 0;
pub const PRIORITY_BULK: i64 = 10;

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    pub chat_id: String,
    pub payload: String,
    pub attempts: i64,
    pub priority: i64,
    /// A group chat: the platform's per-group limit applies.
    pub in_group: bool,
}

impl OutboxRow {
    pub fn body(&self) -> Option<Outbound> {
        serde_json::from_str(&self.payload).ok()
    }
}

pub async fn enqueue(
    conn: &mut Conn,
    channel: &str,
    chat_id: &str,
    body: &Outbound,
    priority: i64,
    now: i64,
) -> Result<i64, StoreError> {
    enqueue_to(conn, channel, chat_id, false, body, priority, now).await
}

/// `enqueue` to a chat that may be a group (`in_group`).
pub async fn enqueue_to(
    conn: &mut Conn,
    channel: &str,
    chat_id: &str,
    in_group: bool,
    body: &Outbound,
    priority: i64,
    now: i64,
) -> Result<i64, StoreError> {
    if chat_id.is_empty() {
        // Nobody to send to (an author who deleted their data): nothing is queued.
        return Ok(0);
    }
    let payload = serde_json::to_string(body).unwrap_or_default();
    let id: i64 = sqlx::query(
        "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at, in_group)
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $6) RETURNING id",
    )
    .bind(channel)
    .bind(chat_id)
    .bind(payload)
    .bind(priority)
    .bind(now)
    .bind(i64::from(in_group))
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    Ok(id)
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The person blocked the bot or left: not an error, they are unreachable.
    Unreachable(String),
    /// Gave up (bad request, or too many attempts).
    Failed(String),
    /// Try again at `not_before` (429 retry_after, 5xx, timeout).
    Retry {
        not_before: i64,
        error: String,
    },
    /// Not tried: the platform held the whole channel back (a quota, flood control).
    /// Back to the queue for `not_before`, without counting an attempt.
    Deferred {
        not_before: i64,
        error: String,
    },
    /// Zalo OA: outside the member's 48-hour window (and no paid sending). Held until
    /// they write, or sent on their other account (see `zalo_oa::hold`); not an attempt.
    OutsideWindow(String),
}

impl Store {
    /// Claim up to `limit` due rows of one channel, replies first.
    pub async fn outbox_claim(
        &self,
        channel: &str,
        limit: i64,
        now: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let sql = match self.backend() {
            Backend::Postgres => {
                "UPDATE outbox SET status = 'sending', claimed_at = $1
                 WHERE id IN (SELECT id FROM outbox
                              WHERE channel = $2 AND status = 'pending' AND not_before <= $1
                              ORDER BY priority, id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING id, channel, chat_id, payload, attempts, priority, in_group"
            }
            // One instance per SQLite file: the write lock is the only claim needed.
            Backend::Sqlite => {
                "UPDATE outbox SET status = 'sending', claimed_at = $1
                 WHERE id IN (SELECT id FROM outbox
                              WHERE channel = $2 AND status = 'pending' AND not_before <= $1
                              ORDER BY priority, id LIMIT $3)
                 RETURNING id, channel, chat_id, payload, attempts, priority, in_group"
            }
        };
        let rows = sqlx::query(sql)
            .bind(now)
            .bind(channel)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        let mut out = rows
            .into_iter()
            .map(|r| {
                Ok(OutboxRow {
                    id: r.try_get("id")?,
                    channel: r.try_get("channel")?,
                    chat_id: r.try_get("chat_id")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                    priority: r.try_get("priority")?,
                    in_group: r.try_get::<i64, _>("in_group")? != 0,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by_key(|r| (r.priority, r.id));
        Ok(out)
    }

    pub async fn outbox_record(
        &self,
        row: &OutboxRow,
        result: &Delivery,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        record(&mut tx, row, result, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Record many results in one transaction: every "sent" in one UPDATE, the rest
    /// row by row (they are few).
    pub async fn outbox_record_batch(
        &self,
        results: &[(OutboxRow, Delivery, i64)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let sent: Vec<i64> = results
            .iter()
            .filter(|(_, d, _)| *d == Delivery::Sent)
            .map(|(r, _, _)| r.id)
            .collect();
        let now = results.iter().map(|(_, _, at)| *at).max().unwrap_or(0);
        for chunk in sent.chunks(500) {
            let list = (0..chunk.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, error = NULL
                 WHERE id IN ({list})"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *tx).await?;
        }
        for (row, result, at) in results.iter().filter(|(_, d, _)| *d != Delivery::Sent) {
            record(&mut tx, row, result, *at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Put a claimed row back untouched (its chat was over its own limit).
    pub async fn outbox_release(&self, id: i64, not_before: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET status = 'pending', not_before = $1, claimed_at = NULL WHERE id = $2")
            .bind(not_before)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Rows of one channel left 'sending' by a crashed sender go back to 'pending'.
    pub async fn outbox_requeue_stale(
        &self,
        channel: &str,
        claimed_before: i64,
    ) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE outbox SET status = 'pending', claimed_at = NULL
             WHERE channel = $1 AND status = 'sending' AND claimed_at < $2",
        )
        .bind(channel)
        .bind(claimed_before)
        .execute(self.pool())
        .await?
        .rows_affected())
    }

    /// Group chats that got a message since `since`, or may have (claimed by a sender
    /// that died before writing down the result): a new sender starts their per-group
    /// pace from there.
    pub async fn outbox_recent_groups(
        &self,
        channel: &str,
        since: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT chat_id FROM outbox
             WHERE in_group = 1 AND channel = $1
               AND ((status = 'sent' AND sent_at >= $2) OR (status = 'sending' AND claimed_at >= $2))",
        )
        .bind(channel)
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| r.try_get("chat_id").map_err(StoreError::from))
            .collect()
    }

    /// Keep the platform's id of a sent message (one that will be edited later).
    pub async fn outbox_set_message_id(&self, id: i64, message_id: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET platform_message_id = $1 WHERE id = $2")
            .bind(message_id)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn outbox_message_id(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query("SELECT platform_message_id FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?
                .map(|r| r.try_get::<Option<String>, _>("platform_message_id"))
                .transpose()?
                .flatten(),
        )
    }

    pub async fn outbox_pending_count(&self, channel: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM outbox WHERE channel = $1 AND status IN ('pending', 'sending')",
        )
        .bind(channel)
        .fetch_one(self.pool())
        .await?
        .try_get("n")?)
    }
}

async fn record(
    tx: &mut super::Conn,
    row: &OutboxRow,
    result: &Delivery,
    now: i64,
) -> Result<(), StoreError> {
    match result {
        Delivery::Sent => {
            sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, error = NULL WHERE id = $2")
                    .bind(now)
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
        }
        Delivery::Unreachable(e) => {
            sqlx::query("UPDATE outbox SET status = 'unreachable', attempts = attempts + 1, error = $1 WHERE id = $2")
                    .bind(e)
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
            if row.channel == super::zalo_oa::CHANNEL {
                // Unreachable on the OA only (unfollowed): not on their other accounts.
                super::zalo_oa::mark_unreachable_here(tx, &row.chat_id, now).await?;
            } else {
                super::members::mark_unreachable(tx, &row.channel, &row.chat_id, now).await?;
            }
        }
        Delivery::Failed(e) => {
            sqlx::query("UPDATE outbox SET status = 'failed', attempts = attempts + 1, error = $1 WHERE id = $2")
                    .bind(e)
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
        }
        Delivery::Retry { not_before, error } => {
            sqlx::query(
                    "UPDATE outbox SET status = 'pending', attempts = attempts + 1, not_before = $1, error = $2, claimed_at = NULL
                     WHERE id = $3",
                )
                .bind(*not_before)
                .bind(error)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
        }
        Delivery::OutsideWindow(reason) => {
            super::zalo_oa::hold(tx, row, reason, now).await?;
        }
        Delivery::Deferred { not_before, error } => {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', not_before = $1, error = $2, claimed_at = NULL
                 WHERE id = $3",
            )
            .bind(*not_before)
            .bind(error)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}
