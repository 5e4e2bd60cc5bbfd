//! How long the bot keeps what passed through it. Message texts are personal data (a tip's
//! words reach officers in the outbox too), so they are kept only as long as they serve:
//! the rows stay for delivery counts, the words go. Run by the scheduler, in batches.

use sqlx::Row;

use super::{Conn, Store, StoreError, settings};

/// Days a message's text is kept after it was queued, and an inbox row after it came.
pub const MESSAGE_RETENTION_DAYS: i64 = 30;
/// Rows handled per call, so one scheduler tick stays short however much has piled up.
const BATCH: i64 = 5_000;

/// What one call erased.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub outbox_texts: u64,
    pub inbox_rows: u64,
    pub conversations: u64,
}

/// The tables walked in id order, each from its own watermark: ids grow with time, so a
/// walk stops at the first row too young or still in use and never re-reads what it has
/// passed, however large the table.
#[derive(Clone, Copy)]
enum Walked {
    Outbox,
    Inbox,
}

impl Walked {
    /// (table, time column, statuses of rows still in use, watermark key): constants.
    fn parts(self) -> (&'static str, &'static str, [&'static str; 2], &'static str) {
        match self {
            Walked::Outbox => (
                "outbox",
                "created_at",
                ["pending", "sending"],
                "retention:outbox_erased_to",
            ),
            Walked::Inbox => (
                "inbox",
                "received_at",
                ["pending", "processing"],
                "retention:inbox_deleted_to",
            ),
        }
    }
}

/// The watermark of `table` and how far the rows past it may be handled: `(from, upto)`,
/// `upto == from` when there is nothing to do.
async fn walk(conn: &mut Conn, table: Walked, cutoff: i64) -> Result<(i64, i64), StoreError> {
    let (name, time, busy, key) = table.parts();
    let from: i64 = settings::get(conn, key)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, status, {time} AS at FROM {name} WHERE id > $1 ORDER BY id LIMIT {BATCH}"
    )))
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let mut upto = from;
    for r in &rows {
        let status: String = r.try_get("status")?;
        if r.try_get::<i64, _>("at")? >= cutoff || busy.contains(&status.as_str()) {
            break;
        }
        upto = r.try_get("id")?;
    }
    if upto > from {
        settings::set(conn, key, &upto.to_string()).await?;
    }
    Ok((from, upto))
}

/// A message to a channel that no sender serves (its token was removed) waits this long
/// after it was due, then fails with that reason: it will never go, and waiting would
/// keep its broadcast from finishing and the erasure of later texts from going on.
pub const ORPHAN_GRACE_MS: i64 = 3600 * 1000;

impl Store {
    /// Erase the text of finished messages queued more than 30 days ago (sent, failed,
    /// unreachable or cancelled: the row stays for counts), delete inbox rows older than
    /// that (their text was erased when processed; platforms redeliver within a day, so
    /// de-duplication needs far less), and drop conversations untouched for 30 days (an
    /// abandoned tip report keeps no words). At most a batch of each table per call.
    pub async fn erase_old_messages(&self, now: i64) -> Result<Erased, StoreError> {
        let cutoff = now - MESSAGE_RETENTION_DAYS * 24 * 3600 * 1000;
        let mut erased = Erased::default();
        let mut tx = self.begin().await?;

        let (from, upto) = walk(&mut tx, Walked::Outbox, cutoff).await?;
        if upto > from {
            erased.outbox_texts = sqlx::query(
                "UPDATE outbox SET payload = '' WHERE id > $1 AND id <= $2 AND payload <> ''",
            )
            .bind(from)
            .bind(upto)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        let (from, upto) = walk(&mut tx, Walked::Inbox, cutoff).await?;
        if upto > from {
            erased.inbox_rows = sqlx::query("DELETE FROM inbox WHERE id > $1 AND id <= $2")
                .bind(from)
                .bind(upto)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        // Only chats in the middle of something have a row: a small table.
        erased.conversations = sqlx::query("DELETE FROM conversations WHERE updated_at < $1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        if erased != Erased::default() {
            tracing::info!(
                outbox_texts = erased.outbox_texts,
                inbox_rows = erased.inbox_rows,
                conversations = erased.conversations,
                "old messages erased"
            );
        }
        Ok(erased)
    }

    /// Fail the messages waiting for a channel that has no sender here (`served`: the
    /// channels this bot sends on), once they are an hour past due. The broadcast's and
    /// the directive's reports and the digest count them as failed. Returns how many.
    pub async fn fail_orphaned_sends(&self, served: &[&str], now: i64) -> Result<u64, StoreError> {
        // Each known channel is looked up on the pending index (channel first).
        let channels: Vec<String> = crate::core::event::Channel::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        let mut failed = 0;
        for channel in channels.iter().filter(|c| !served.contains(&c.as_str())) {
            let n = sqlx::query(
                "UPDATE outbox SET status = 'failed', error = 'no sender for this channel (its token was removed?)'
                 WHERE channel = $1 AND status IN ('pending', 'sending') AND not_before < $2",
            )
            .bind(channel)
            .bind(now - ORPHAN_GRACE_MS)
            .execute(self.pool())
            .await?
            .rows_affected();
            if n > 0 {
                tracing::warn!(
                    channel,
                    failed = n,
                    "messages for a channel without sender failed"
                );
                metrics::counter!("congdoan_orphaned_messages_failed_total", "channel" => channel.clone())
                    .increment(n);
            }
            failed += n;
        }
        Ok(failed)
    }
}
