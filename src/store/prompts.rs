//! Pending prompts: what the bot last put to each person that a typed answer may answer
//! later (on Zalo every answer is typed). Written with the messages that ask, set-based
//! for bulk sends; a typed answer in Idle goes to the person's newest one.

use sqlx::Row;

use super::fanout::Audience;
use super::{Conn, StoreError};
use crate::core::conversation::{PendingPrompt, PromptFlow};

/// The newest prompt still open for `member_id`.
#[tracing::instrument(skip_all)]
pub async fn newest(
    conn: &mut Conn,
    member_id: i64,
    now: i64,
) -> Result<Option<PendingPrompt>, StoreError> {
    let rows = sqlx::query(
        "SELECT flow, object_id, version FROM pending_prompts
         WHERE member_id = $1 AND (expires_at IS NULL OR expires_at > $2)
         ORDER BY asked_at DESC, object_id DESC LIMIT 5",
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        // A flow this version no longer knows is skipped, not an error.
        if let Some(flow) = PromptFlow::parse(&r.try_get::<String, _>("flow")?) {
            return Ok(Some(PendingPrompt {
                flow,
                object_id: r.try_get("object_id")?,
                version: r.try_get("version")?,
            }));
        }
    }
    Ok(None)
}

/// Record that `prompt` was just put to `member_id` (a newer version replaces the older).
#[tracing::instrument(skip_all)]
pub async fn record(
    conn: &mut Conn,
    member_id: i64,
    prompt: &PendingPrompt,
    expires_at: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO pending_prompts (member_id, flow, object_id, version, asked_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (member_id, flow, object_id)
         DO UPDATE SET version = excluded.version, asked_at = excluded.asked_at,
                       expires_at = excluded.expires_at",
    )
    .bind(member_id)
    .bind(prompt.flow.as_str())
    .bind(prompt.object_id)
    .bind(prompt.version)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Record that `prompt` was just put to everyone in `audience`, in one statement (the
/// same choice of people as the messages that ask, see [`super::fanout::to_members`]).
#[tracing::instrument(skip_all)]
pub async fn record_for(
    conn: &mut Conn,
    audience: &Audience<'_>,
    prompt: &PendingPrompt,
    expires_at: Option<i64>,
    now: i64,
) -> Result<u64, StoreError> {
    let (members, binds) = audience.member_ids(6);
    let sql = format!(
        "INSERT INTO pending_prompts (member_id, flow, object_id, version, asked_at, expires_at)
         SELECT ids.id, $1, $2, $3, $4, $5 FROM ({members}) ids WHERE true
         ON CONFLICT (member_id, flow, object_id)
         DO UPDATE SET version = excluded.version, asked_at = excluded.asked_at,
                       expires_at = excluded.expires_at"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(prompt.flow.as_str())
        .bind(prompt.object_id)
        .bind(prompt.version)
        .bind(now)
        .bind(expires_at);
    for b in binds {
        q = b.bind(q);
    }
    Ok(q.execute(&mut *conn).await?.rows_affected())
}

/// The prompt was answered (or its object closed): nothing left to answer.
#[tracing::instrument(skip_all)]
pub async fn answered(
    conn: &mut Conn,
    member_id: Option<i64>,
    flow: PromptFlow,
    object_id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM pending_prompts
         WHERE flow = $1 AND object_id = $2 AND ($3 < 0 OR member_id = $3)",
    )
    .bind(flow.as_str())
    .bind(object_id)
    .bind(member_id.unwrap_or(-1))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
