//! Published directives: who they were sent to, and who may read them.

use sqlx::Row;

use super::broadcasts::{DeliveryOf, counts, still_waiting};
use super::fanout::{Audience, Tag, to_members};
use super::outbox::{PRIORITY_REPLY, enqueue};
use super::{Conn, Store, StoreError, acknowledgements};
use crate::core::actions::AckKind;
use crate::core::conversation::{ACK_REMIND_FOR_DAYS, DirectiveRef, Draft, UnitCount};

const DAY_MS: i64 = 24 * 3_600_000;
use crate::core::domain::Lang;
use crate::core::event::Outbound;
use crate::core::notices::{Notice, Notices};

/// Path of a unit, if it lies inside the subtree at `root_path`.
async fn path_within(
    conn: &mut Conn,
    unit_id: i64,
    root_path: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT path FROM units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let path: String = r.try_get("path")?;
    Ok(path.starts_with(root_path).then_some(path))
}

/// Store the directive and queue it to every member of the target subtrees. Targets
/// outside the author's own subtree are ignored (the core offers none; this is the
/// second lock on the door). Returns the number of members it reached.
pub struct Author<'a> {
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: &'a str,
    /// Where the delivery report goes, if any message fails: (channel, chat, language).
    pub reply_to: Option<(&'a str, &'a str, Lang)>,
}

pub async fn publish(
    conn: &mut Conn,
    notices: &dyn Notices,
    author: &Author<'_>,
    unit_ids: &[i64],
    draft: &Draft,
    text_for: impl Fn(Lang) -> String,
    now: i64,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO directives (unit_id, author_member_id, title, summary, facts, published_at,
                                 author_channel, author_chat_id, author_lang, reported_at,
                                 ack_required, ack_remind_days, ack_deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(author.unit_id)
    .bind(author.member_id)
    .bind(&draft.title)
    .bind(&draft.summary)
    .bind(&draft.facts)
    .bind(now)
    .bind(author.reply_to.map(|r| r.0))
    .bind(author.reply_to.map(|r| r.1))
    .bind(author.reply_to.map(|r| r.2.as_str()))
    // Nobody to report to: nothing to wait for.
    .bind(author.reply_to.is_none().then_some(now))
    .bind(i64::from(draft.ack))
    .bind(i64::from(if draft.ack { draft.ack_remind_days } else { 0 }))
    .bind(draft.ack.then_some(now + ACK_REMIND_FOR_DAYS * DAY_MS))
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    let mut reached = 0i64;
    for &unit_id in unit_ids {
        let Some(path) = path_within(conn, unit_id, author.unit_path).await? else {
            tracing::warn!(
                unit_id,
                "directive target outside the author's subtree ignored"
            );
            continue;
        };
        sqlx::query("INSERT INTO directive_targets (directive_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(unit_id)
            .execute(&mut *conn)
            .await?;
        reached += sqlx::query(
            "INSERT INTO directive_receipts (directive_id, member_id, created_at)
             SELECT $1, m.id, $2 FROM members m JOIN units u ON u.id = m.unit_id
             WHERE u.path LIKE $3 AND m.id <> $4
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(now)
        .bind(format!("{path}%"))
        .bind(author.member_id)
        .execute(&mut *conn)
        .await?
        .rows_affected() as i64;
        let audience = Audience {
            path: &path,
            except_member: Some(author.member_id),
            ..Audience::default()
        };
        if draft.ack {
            // The same people as the messages below, asked in one statement.
            acknowledgements::ask(conn, AckKind::Directive, id, &audience, now).await?;
            let body = |lang| {
                acknowledgements::asking_body(notices, lang, text_for(lang), AckKind::Directive, id)
            };
            to_members(conn, &audience, body, Tag::Directive(id), now).await?;
        } else {
            let body = |lang| Outbound::Message {
                text: text_for(lang),
                buttons: vec![],
            };
            to_members(conn, &audience, body, Tag::Directive(id), now).await?;
        }
    }
    Ok(reached)
}

/// Members in the subtree at `path`.
pub async fn subtree_members(conn: &mut Conn, path: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE $1 AND m.role <> 'liaison'",
    )
    .bind(format!("{path}%"))
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

/// Direct children of a unit, each with the members of its whole subtree.
pub async fn children(conn: &mut Conn, unit_id: i64) -> Result<Vec<UnitCount>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.name,
                (SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
                 WHERE u.path LIKE c.path || '%' AND m.role <> 'liaison') AS n
         FROM units c WHERE c.parent_id = $1 AND c.closed_at IS NULL ORDER BY c.name, c.id",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(UnitCount {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                members: r.try_get("n")?,
            })
        })
        .collect()
}

const DIRECTIVE_COLUMNS: &str = "d.id, d.title, d.summary, d.published_at, u.name AS unit_name";

fn to_ref(r: &sqlx::any::AnyRow) -> Result<DirectiveRef, StoreError> {
    Ok(DirectiveRef {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        unit_name: r.try_get("unit_name")?,
        published_at: r.try_get("published_at")?,
    })
}

/// Directives that reached the member or that they published, newest first.
pub async fn for_member(
    conn: &mut Conn,
    member_id: i64,
    limit: i64,
) -> Result<Vec<DirectiveRef>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DIRECTIVE_COLUMNS} FROM directives d JOIN units u ON u.id = d.unit_id
         WHERE d.author_member_id = $1
            OR EXISTS (SELECT 1 FROM directive_receipts r WHERE r.directive_id = d.id AND r.member_id = $1)
         ORDER BY d.published_at DESC, d.id DESC LIMIT $2"
    )))
    .bind(member_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_ref).collect()
}

/// One directive, only if it reached the member or they published it.
pub async fn one_for_member(
    conn: &mut Conn,
    member_id: i64,
    id: i64,
) -> Result<Option<DirectiveRef>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DIRECTIVE_COLUMNS} FROM directives d JOIN units u ON u.id = d.unit_id
         WHERE d.id = $2 AND (d.author_member_id = $1
            OR EXISTS (SELECT 1 FROM directive_receipts r WHERE r.directive_id = d.id AND r.member_id = $1))"
    )))
    .bind(member_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_ref).transpose()
}

impl Store {
    /// Once every message of a directive has been tried, tell its author who it did not
    /// reach (Zalo quota, blocked the bot, failed), so they can reach those people some
    /// other way. Nothing is sent when all went well. Returns messages queued.
    pub async fn directive_reports(
        &self,
        notices: &dyn Notices,
        now: i64,
    ) -> Result<u64, StoreError> {
        let open = sqlx::query(
            "SELECT id, title, author_channel, author_chat_id, author_lang
             FROM directives WHERE reported_at IS NULL ORDER BY id LIMIT 100",
        )
        .fetch_all(self.pool())
        .await?;
        let mut queued = 0;
        for r in open {
            let id: i64 = r.try_get("id")?;
            let mut tx = self.begin().await?;
            if still_waiting(&mut tx, DeliveryOf::Directive(id)).await? {
                tx.commit().await?;
                continue;
            }
            let c = counts(&mut tx, DeliveryOf::Directive(id)).await?;
            // Claim the report once, cluster-wide.
            let claimed = sqlx::query(
                "UPDATE directives SET reported_at = $1 WHERE id = $2 AND reported_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let channel: Option<String> = r.try_get("author_channel")?;
            let chat: Option<String> = r.try_get("author_chat_id")?;
            if let (1, Some(channel), Some(chat)) = (claimed, channel, chat)
                && c.failed + c.unreachable + c.outside_window > 0
            {
                let lang = r
                    .try_get::<Option<String>, _>("author_lang")?
                    .and_then(|l| Lang::parse(&l).ok())
                    .unwrap_or_default();
                let title: String = r.try_get("title")?;
                let text = notices.text(
                    lang,
                    &Notice::DirectiveReport {
                        title: &title,
                        counts: &c,
                    },
                );
                let body = Outbound::Message {
                    text,
                    buttons: vec![],
                };
                enqueue(&mut tx, &channel, &chat, &body, PRIORITY_REPLY, now).await?;
                queued += 1;
                tracing::info!(
                    directive = id,
                    sent = c.sent,
                    failed = c.failed,
                    unreachable = c.unreachable,
                    "directive delivery report sent"
                );
            }
            tx.commit().await?;
        }
        Ok(queued)
    }
}

/// A published directive as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub published_at: i64,
    /// Members it was sent to.
    pub sent_to: i64,
    /// Of those, members at least one of whose accounts got it.
    pub delivered: i64,
}

/// Directives published by units of the subtree at `path`, newest first, with their
/// reach (the figures of the weekly digest).
#[tracing::instrument(skip_all)]
pub async fn recent_in_subtree(
    conn: &mut Conn,
    path: &str,
    limit: i64,
) -> Result<Vec<Published>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.id, d.title, u.name AS unit_name, d.published_at,
                (SELECT COUNT(*) FROM directive_receipts r WHERE r.directive_id = d.id) AS sent_to,
                (SELECT COUNT(DISTINCT i.member_id) FROM outbox o
                 JOIN identities i ON i.channel = o.channel AND i.chat_id = o.chat_id
                 WHERE o.directive_id = d.id AND o.status = 'sent') AS delivered
         FROM directives d JOIN units u ON u.id = d.unit_id
         WHERE u.path LIKE $1
         ORDER BY d.published_at DESC, d.id DESC LIMIT $2",
    )
    .bind(format!("{path}%"))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Published {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                unit_name: r.try_get("unit_name")?,
                published_at: r.try_get("published_at")?,
                sent_to: r.try_get("sent_to")?,
                delivered: r.try_get("delivered")?,
            })
        })
        .collect()
}
