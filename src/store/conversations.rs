//! Conversation state per (channel, chat), as a versioned JSON value.

use sqlx::Row;

use super::{Conn, StoreError};
use crate::core::conversation::{Conversation, STATE_VERSION};

pub async fn load(
    conn: &mut Conn,
    channel: &str,
    chat_id: &str,
) -> Result<Conversation, StoreError> {
    let row =
        sqlx::query("SELECT version, state FROM conversations WHERE channel = $1 AND chat_id = $2")
            .bind(channel)
            .bind(chat_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        Some(r) => Conversation::decode(r.try_get("version")?, &r.try_get::<String, _>("state")?),
        None => Conversation::default(),
    })
}

/// Store the conversation, or delete the row when there is nothing to keep.
pub async fn save(
    conn: &mut Conn,
    channel: &str,
    chat_id: &str,
    conv: &Conversation,
    now: i64,
) -> Result<(), StoreError> {
    if conv.is_empty() {
        sqlx::query("DELETE FROM conversations WHERE channel = $1 AND chat_id = $2")
            .bind(channel)
            .bind(chat_id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO conversations (channel, chat_id, version, state, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (channel, chat_id) DO UPDATE
         SET version = excluded.version, state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(channel)
    .bind(chat_id)
    .bind(STATE_VERSION)
    .bind(conv.encode())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
