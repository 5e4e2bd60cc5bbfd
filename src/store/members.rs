//! Members and the chat accounts linked to them.

use sqlx::Row;

use super::{Conn, StoreError};
use crate::core::conversation::MemberView;
use crate::core::domain::{Lang, Role};
use crate::core::event::Channel;

pub async fn by_identity(
    conn: &mut Conn,
    channel: &str,
    external_id: &str,
) -> Result<Option<MemberView>, StoreError> {
    let row = sqlx::query(
        "SELECT m.id, m.role, m.display_name, m.username, m.lang, m.joined_at, m.consent_at,
                m.unit_id, u.path AS unit_path, u.code AS unit_code, u.name AS unit_name
         FROM identities i
         JOIN members m ON m.id = i.member_id
         JOIN units u ON u.id = m.unit_id
         WHERE i.channel = $1 AND i.external_id = $2",
    )
    .bind(channel)
    .bind(external_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let id: i64 = r.try_get("id")?;
    let ids = sqlx::query(
        "SELECT channel, external_id FROM identities WHERE member_id = $1 ORDER BY channel",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut identities = Vec::new();
    for i in ids {
        if let Some(ch) = Channel::parse(&i.try_get::<String, _>("channel")?) {
            identities.push((ch, i.try_get("external_id")?));
        }
    }
    Ok(Some(MemberView {
        id,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        role: Role::parse(&r.try_get::<String, _>("role")?).unwrap_or(Role::Member),
        lang: Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default(),
        display_name: r.try_get("display_name")?,
        username: r.try_get("username")?,
        joined_at: r.try_get("joined_at")?,
        consent_at: r.try_get("consent_at")?,
        identities,
    }))
}

pub struct NewMember<'a> {
    pub unit_id: i64,
    pub role: Role,
    pub display_name: &'a str,
    pub username: Option<&'a str>,
    pub lang: Lang,
    pub invite_code: Option<&'a str>,
    pub channel: &'a str,
    pub external_id: &'a str,
    pub chat_id: &'a str,
}

pub async fn create(conn: &mut Conn, m: &NewMember<'_>, now: i64) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO members (unit_id, role, display_name, username, lang, consent_at, joined_at, invite_code)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
    )
    .bind(m.unit_id)
    .bind(m.role.as_str())
    .bind(m.display_name)
    .bind(m.username)
    .bind(m.lang.as_str())
    .bind(now)
    .bind(m.invite_code)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO identities (channel, external_id, chat_id, member_id, linked_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(m.channel)
    .bind(m.external_id)
    .bind(m.chat_id)
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn set_lang(conn: &mut Conn, member_id: i64, lang: Lang) -> Result<(), StoreError> {
    sqlx::query("UPDATE members SET lang = $1 WHERE id = $2")
        .bind(lang.as_str())
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Erase a member: their accounts, their row, and the delivered messages addressed to
/// them (which can hold their name). Pending messages stay so the goodbye is sent.
pub async fn delete(conn: &mut Conn, member_id: i64) -> Result<(), StoreError> {
    let chats = sqlx::query("SELECT channel, chat_id FROM identities WHERE member_id = $1")
        .bind(member_id)
        .fetch_all(&mut *conn)
        .await?;
    for c in chats {
        sqlx::query(
            "DELETE FROM outbox WHERE channel = $1 AND chat_id = $2 AND status <> 'pending'",
        )
        .bind(c.try_get::<String, _>("channel")?)
        .bind(c.try_get::<String, _>("chat_id")?)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM identities WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM members WHERE id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A chat that blocked the bot: its member is unreachable until they write again.
pub async fn mark_unreachable(
    conn: &mut Conn,
    channel: &str,
    chat_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE members SET unreachable_at = $1
         WHERE id IN (SELECT member_id FROM identities WHERE channel = $2 AND chat_id = $3)",
    )
    .bind(now)
    .bind(channel)
    .bind(chat_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn mark_reachable(conn: &mut Conn, member_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE members SET unreachable_at = NULL WHERE id = $1 AND unreachable_at IS NOT NULL",
    )
    .bind(member_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
