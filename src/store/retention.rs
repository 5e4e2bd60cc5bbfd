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

/// A message still waiting this long after it was due goes nowhere: its channel has no
/// sender any more (a token removed), or it kept failing. It fails with a reason, which
/// the broadcast's report, the directive's report and the digest then count.
pub const STALE_SEND_MS: i64 = 3 * 24 * 3600 * 1000;

/// The watermark of `table` and how far the rows past it may be handled: `(from, upto)`,
/// `upto == from` when there is nothing to do. On the outbox, a row still waiting past
/// `stale` is failed (with the rest of its channel's stale rows) instead of holding the
/// walk back for good.
async fn walk(
    conn: &mut Conn,
    table: Walked,
    cutoff: i64,
    stale: Option<i64>,
) -> Result<(i64, i64), StoreError> {
    let (name, time, busy, key) = table.parts();
    let from: i64 = settings::get(conn, key)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, status, channel, {time} AS at FROM {name} WHERE id > $1 ORDER BY id LIMIT {BATCH}"
    )))
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let mut upto = from;
    let mut failed_channels: Vec<String> = vec![];
    for r in &rows {
        let status: String = r.try_get("status")?;
        let at: i64 = r.try_get("at")?;
        if at >= cutoff {
            break;
        }
        if busy.contains(&status.as_str()) {
            let channel: String = r.try_get("channel")?;
            match stale {
                Some(stale) if at < stale => {
                    if !failed_channels.contains(&channel) {
                        let n = fail_stale(conn, &channel, stale).await?;
                        tracing::warn!(
                            channel,
                            failed = n,
                            "messages waiting for days failed (no sender for this channel?)"
                        );
                        metrics::counter!("congdoan_stale_messages_failed_total", "channel" => channel.clone())
                            .increment(n);
                        failed_channels.push(channel);
                    }
                }
                _ => break,
            }
        }
        upto = r.try_get("id")?;
    }
    if upto > from {
        settings::set(conn, key, &upto.to_string()).await?;
    }
    Ok((from, upto))
}

/// Fail every message of `channel` still waiting since before `stale`.
async fn fail_stale(conn: &mut Conn, channel: &str, stale: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE outbox SET status = 'failed', error = 'not sent within 3 days (no sender for this channel?)'
         WHERE channel = $1 AND status IN ('pending', 'sending') AND created_at < $2",
    )
    .bind(channel)
    .bind(stale)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

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

        let (from, upto) = walk(&mut tx, Walked::Outbox, cutoff, Some(now - STALE_SEND_MS)).await?;
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
        let (from, upto) = walk(&mut tx, Walked::Inbox, cutoff, None).await?;
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
}
