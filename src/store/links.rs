//! One-time codes that link a member's second chat account (Telegram <-> Zalo): one
//! member, one unit, one set of signatures, whichever app they write from.

use sqlx::Row;

use super::{Conn, StoreError};
use crate::core::conversation::LinkStatus;
use crate::core::domain::LinkCode;

pub async fn create(
    conn: &mut Conn,
    member_id: i64,
    code: &LinkCode,
    now: i64,
) -> Result<(), StoreError> {
    // One live code per member: asking again replaces the old one.
    sqlx::query("DELETE FROM link_codes WHERE member_id = $1 AND used_at IS NULL")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO link_codes (code, member_id, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(code.as_str())
    .bind(member_id)
    .bind(now + LinkCode::VALID_MS)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn status(conn: &mut Conn, code: &LinkCode, now: i64) -> Result<LinkStatus, StoreError> {
    let row = sqlx::query(
        "SELECT l.member_id, l.expires_at, l.used_at, m.display_name, u.name AS unit_name
         FROM link_codes l JOIN members m ON m.id = l.member_id JOIN units u ON u.id = m.unit_id
         WHERE l.code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(LinkStatus::Unknown);
    };
    if r.try_get::<Option<i64>, _>("used_at")?.is_some() {
        return Ok(LinkStatus::Used);
    }
    if r.try_get::<i64, _>("expires_at")? <= now {
        return Ok(LinkStatus::Expired);
    }
    Ok(LinkStatus::Valid {
        member_id: r.try_get("member_id")?,
        name: r.try_get("display_name")?,
        unit_name: r.try_get("unit_name")?,
    })
}

/// Use the code (once) and add the account to its member. Returns the member's id, or
/// `None` if the code was taken or expired a moment ago.
pub async fn consume(
    conn: &mut Conn,
    code: &LinkCode,
    channel: &str,
    external_id: &str,
    chat_id: &str,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "UPDATE link_codes SET used_at = $1
         WHERE code = $2 AND used_at IS NULL AND expires_at > $1 RETURNING member_id",
    )
    .bind(now)
    .bind(code.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let member_id: i64 = r.try_get("member_id")?;
    sqlx::query(
        "INSERT INTO identities (channel, external_id, chat_id, member_id, linked_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(channel)
    .bind(external_id)
    .bind(chat_id)
    .bind(member_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Some(member_id))
}
