//! Members and the chat accounts linked to them.

use sqlx::Row;

use super::{Conn, StoreError};
use crate::core::conversation::MemberView;
use crate::core::domain::{Lang, Role};
use crate::core::event::Channel;
use crate::core::text::esc;

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
    let who = sqlx::query("SELECT display_name FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await?;
    let name: Option<String> = who.map(|r| r.try_get("display_name")).transpose()?;
    let chats = sqlx::query("SELECT channel, chat_id FROM identities WHERE member_id = $1")
        .bind(member_id)
        .fetch_all(&mut *conn)
        .await?;
    for c in chats {
        let channel: String = c.try_get("channel")?;
        let chat: String = c.try_get("chat_id")?;
        // Every message to them, sent or still to go (the rest of a running broadcast
        // too), except the answers queued right now (the confirmation of this deletion).
        sqlx::query(
            "DELETE FROM outbox WHERE channel = $1 AND chat_id = $2
               AND (status <> 'pending' OR priority <> $3)",
        )
        .bind(&channel)
        .bind(&chat)
        .bind(super::outbox::PRIORITY_REPLY)
        .execute(&mut *conn)
        .await?;
        // What they sent us, parked updates included (those keep the whole message).
        sqlx::query(
            "DELETE FROM inbox WHERE channel = $1 AND chat_id = $2 AND status <> 'processing'",
        )
        .bind(&channel)
        .bind(&chat)
        .execute(&mut *conn)
        .await?;
        // Half-written conversations on every linked chat (a tip's words, place, photos).
        sqlx::query("DELETE FROM conversations WHERE channel = $1 AND chat_id = $2")
            .bind(&channel)
            .bind(&chat)
            .execute(&mut *conn)
            .await?;
    }
    // Where the bot would answer them as an author: the documents and broadcasts stay
    // (they belong to the union), the way to reach the person goes.
    sqlx::query(
        "UPDATE broadcasts SET author_channel = '', author_chat_id = '', author_member_id = NULL
         WHERE author_member_id = $1",
    )
    .bind(member_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE directives SET author_channel = NULL, author_chat_id = NULL, author_member_id = NULL
         WHERE author_member_id = $1",
    )
    .bind(member_id)
    .execute(&mut *conn)
    .await?;
    // Messages to others that name them: alerts of tips they reported under their name
    // (found by the tip's receipt code) and lists of who has not signed. The name is
    // replaced in the copies the bot keeps; texts older than 30 days are erased anyway.
    if let Some(name) = name.filter(|n| n.chars().count() >= 2) {
        let in_payload = |s: &str| {
            let json = serde_json::to_string(s).unwrap_or_default();
            json.trim_matches('"').to_string()
        };
        let removed = in_payload("[đã xoá]");
        for form in [in_payload(&esc(&name)), in_payload(&name)] {
            sqlx::query(
                "UPDATE outbox SET payload = REPLACE(payload, $1, $2)
                 WHERE payload LIKE $3 AND id > $4",
            )
            .bind(&form)
            .bind(&removed)
            // `%` or `_` in a name only widen the LIKE; REPLACE then takes the exact text.
            .bind(format!("%{form}%"))
            .bind(erased_up_to(conn).await?)
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query("DELETE FROM acknowledgements WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM pending_prompts WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    // The OA profile (name, phone) of their OA accounts.
    super::zalo_oa::forget_profile(conn, member_id, crate::core::time::now_ms()).await?;
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

/// Outbox rows up to this id have no text any more (see `retention`).
async fn erased_up_to(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(super::settings::get(conn, "retention:outbox_erased_to")
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
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

/// What `/dulieu` lists beyond the profile: signatures, tips reported and «Đã nắm»
/// confirmations, newest first
/// (at most 50 of each; the rest is counted in the export an officer can make).
#[tracing::instrument(skip_all)]
pub async fn my_data(
    conn: &mut Conn,
    member_id: i64,
) -> Result<crate::core::conversation::MyData, StoreError> {
    let signatures = sqlx::query(
        "SELECT c.title, s.version, s.signed_at, s.channel FROM commitment_signatures s
         JOIN commitment_campaigns c ON c.id = s.campaign_id
         WHERE s.member_id = $1 ORDER BY s.signed_at DESC LIMIT 50",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("title")?,
            r.try_get("version")?,
            r.try_get("signed_at")?,
            r.try_get::<Option<String>, _>("channel")?
                .unwrap_or_default(),
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let tips = sqlx::query(
        "SELECT receipt_code, created_at, status FROM tips
         WHERE reporter_member_id = $1 ORDER BY created_at DESC LIMIT 50",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let status: String = r.try_get("status")?;
        Ok((
            r.try_get("receipt_code")?,
            r.try_get("created_at")?,
            crate::core::tip::TipStatus::parse(&status).unwrap_or(crate::core::tip::TipStatus::New),
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let acknowledgements = sqlx::query(
        "SELECT a.kind, COALESCE(d.title, b.text, '') AS t, a.acked_at, a.channel
         FROM acknowledgements a
         LEFT JOIN directives d ON a.kind = 'directive' AND d.id = a.object_id
         LEFT JOIN broadcasts b ON a.kind = 'broadcast' AND b.id = a.object_id
         WHERE a.member_id = $1 AND a.acked_at IS NOT NULL
         ORDER BY a.acked_at DESC LIMIT 50",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let kind: String = r.try_get("kind")?;
        let text: String = r.try_get("t")?;
        let title = if kind == "broadcast" {
            crate::core::conversation::title_of(&text)
        } else {
            text
        };
        Ok((
            title,
            r.try_get("acked_at")?,
            r.try_get::<Option<String>, _>("channel")?
                .unwrap_or_default(),
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let polls = sqlx::query(
        "SELECT p.title, s.submitted_at FROM poll_responses s JOIN polls p ON p.id = s.poll_id
         WHERE s.member_id = $1 ORDER BY s.submitted_at DESC LIMIT 50",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("title")?, r.try_get("submitted_at")?)))
    .collect::<Result<Vec<_>, StoreError>>()?;
    let zalo_oa_phone = sqlx::query(
        "SELECT u.phone FROM zalo_oa_users u JOIN identities i
             ON i.channel = 'zalo_oa' AND i.chat_id = u.user_id
         WHERE i.member_id = $1 AND u.phone IS NOT NULL AND u.phone <> ''
         ORDER BY u.user_id LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get::<String, _>("phone"))
    .transpose()?;
    Ok(crate::core::conversation::MyData {
        signatures,
        tips,
        acknowledgements,
        polls,
        zalo_oa_phone,
    })
}

/// The chat where `member_id` first reached the bot (channel, chat id): where the
/// progress and the report of a broadcast started from the console go.
#[tracing::instrument(skip_all)]
pub async fn first_chat(
    conn: &mut Conn,
    member_id: i64,
) -> Result<Option<(String, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT channel, chat_id FROM identities WHERE member_id = $1
         ORDER BY linked_at, channel LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((r.try_get("channel")?, r.try_get("chat_id")?)))
        .transpose()
}
