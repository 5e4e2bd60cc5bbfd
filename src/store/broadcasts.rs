//! Officers' broadcasts: one outbox row per recipient account written by INSERT …
//! SELECT (nobody is loaded into memory), a progress message in the officer's chat
//! edited as the outbox drains, a delivery report at the end, and a stop that cancels
//! what has not gone out yet. Targets are re-checked against the officer's subtree.

use sqlx::Row;

use super::fanout::{Accounts, Audience, Tag, to_members};
use super::outbox::{PRIORITY_REPLY, enqueue};
use super::{Conn, Store, StoreError, acknowledgements};
use crate::core::actions::AckKind;
use crate::core::conversation::{
    ACK_REMIND_FOR_DAYS, ActiveBroadcast, BroadcastEffect, MemberView,
};
use crate::core::domain::{Lang, Role};
use crate::core::event::{Button, MediaKind, Outbound};
use crate::core::notices::{DeliveryCounts as Counts, Notice, Notices};

/// The progress message is edited at most this often.
const PROGRESS_EVERY_MS: i64 = 3_000;
/// Where messages cannot be edited (Zalo), progress comes as a new message this often.
const PROGRESS_NEW_MESSAGE_EVERY_MS: i64 = 60_000;

/// One broadcast as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastSummary {
    pub id: i64,
    pub unit_name: String,
    /// scheduled, sending, done or cancelled.
    pub status: String,
    pub text: String,
    pub role: Option<Role>,
    pub send_at: i64,
    pub created_at: i64,
    /// Accounts it was queued to (0 until it starts).
    pub total: i64,
    pub author_member_id: Option<i64>,
}

const SUMMARY_COLUMNS: &str = "b.id, u.name AS unit_name, b.status, b.text, b.role, b.send_at,
     b.created_at, b.total, b.author_member_id";

fn to_summary(r: &sqlx::any::AnyRow) -> Result<BroadcastSummary, StoreError> {
    Ok(BroadcastSummary {
        id: r.try_get("id")?,
        unit_name: r.try_get("unit_name")?,
        status: r.try_get("status")?,
        text: r.try_get("text")?,
        role: r
            .try_get::<Option<String>, _>("role")?
            .and_then(|s| Role::parse(&s).ok()),
        send_at: r.try_get("send_at")?,
        created_at: r.try_get("created_at")?,
        total: r.try_get::<Option<i64>, _>("total")?.unwrap_or(0),
        author_member_id: r.try_get("author_member_id")?,
    })
}

/// Broadcasts sent to units of the subtree at `path`, newest first.
#[tracing::instrument(skip_all)]
pub async fn recent_in_subtree(
    conn: &mut Conn,
    path: &str,
    limit: i64,
) -> Result<Vec<BroadcastSummary>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM broadcasts b JOIN units u ON u.id = b.unit_id
         WHERE u.path LIKE $1 ORDER BY b.id DESC LIMIT $2"
    )))
    .bind(format!("{path}%"))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_summary).collect()
}

/// One broadcast, only if it went to a unit of the subtree at `path`.
#[tracing::instrument(skip_all)]
pub async fn one_in_subtree(
    conn: &mut Conn,
    id: i64,
    path: &str,
) -> Result<Option<BroadcastSummary>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM broadcasts b JOIN units u ON u.id = b.unit_id
         WHERE b.id = $1 AND u.path LIKE $2"
    )))
    .bind(id)
    .bind(format!("{path}%"))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_summary).transpose()
}

/// The newest broadcast `member_id` wrote (the one an action just created).
pub async fn newest_by_author(conn: &mut Conn, member_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query("SELECT MAX(id) AS id FROM broadcasts WHERE author_member_id = $1")
            .bind(member_id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("id")?,
    )
}

/// How a broadcast's messages fared so far.
pub async fn delivery(conn: &mut Conn, id: i64) -> Result<Counts, StoreError> {
    counts(conn, DeliveryOf::Broadcast(id)).await
}

/// The officer's broadcasts that can still be stopped, newest first.
pub async fn active_for(
    conn: &mut Conn,
    member_id: i64,
) -> Result<Vec<ActiveBroadcast>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, status, send_at, total FROM broadcasts
         WHERE author_member_id = $1 AND status IN ('scheduled', 'sending')
         ORDER BY id DESC LIMIT 20",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ActiveBroadcast {
                id: r.try_get("id")?,
                scheduled: r.try_get::<String, _>("status")? == "scheduled",
                send_at: r.try_get("send_at")?,
                total: r.try_get("total")?,
            })
        })
        .collect()
}

/// Housing-group leaders and union officers (but `me`) in the subtree at `path`, for the
/// "leaders only" and "officers only" targets.
pub async fn subtree_roles(conn: &mut Conn, path: &str, me: i64) -> Result<(i64, i64), StoreError> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN m.role = 'leader' THEN 1 ELSE 0 END), 0) AS BIGINT) AS leaders,
                CAST(COALESCE(SUM(CASE WHEN m.role = 'officer' AND m.id <> $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS officers
         FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE $1 AND m.role IN ('leader', 'officer')",
    )
    .bind(format!("{path}%"))
    .bind(me)
    .fetch_one(&mut *conn)
    .await?;
    Ok((r.try_get("leaders")?, r.try_get("officers")?))
}

/// Apply a broadcast effect for officer `m`, who wrote from (`channel`, `chat_id`).
pub async fn apply(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    channel: &str,
    chat_id: &str,
    effect: &BroadcastEffect,
    now: i64,
) -> Result<(), StoreError> {
    if m.role != Role::Officer {
        return Ok(());
    }
    match effect {
        BroadcastEffect::Create {
            draft,
            target,
            send_at,
        } => {
            // The target must lie in the officer's subtree, whatever the button said.
            let mut in_scope = true;
            for unit in std::iter::once(&target.unit_id).chain(&target.units) {
                in_scope &= sqlx::query("SELECT id FROM units WHERE id = $1 AND path LIKE $2")
                    .bind(*unit)
                    .bind(format!("{}%", m.unit_path))
                    .fetch_optional(&mut *conn)
                    .await?
                    .is_some();
            }
            if !in_scope {
                tracing::warn!("broadcast outside the officer's subtree refused");
                return Ok(());
            }
            let (kind, file_id) = match &draft.media {
                Some(media) => (
                    Some(match media.kind {
                        MediaKind::Photo => "photo",
                        MediaKind::Document => "document",
                    }),
                    Some(media.file_id.as_str()),
                ),
                None => (None, None),
            };
            let send_at = send_at.unwrap_or(now);
            let status = if send_at > now {
                "scheduled"
            } else {
                "sending"
            };
            let id: i64 = sqlx::query(
                "INSERT INTO broadcasts (unit_id, role, author_member_id, author_channel,
                     author_chat_id, author_lang, text, media_kind, media_file_id, media_channel,
                     send_at, status, created_at, ack_required, ack_remind_days, ack_deadline_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                 RETURNING id",
            )
            .bind(target.unit_id)
            .bind(target.role.map(|r| r.as_str()))
            .bind(m.id)
            .bind(channel)
            .bind(chat_id)
            .bind(m.lang.as_str())
            .bind(&draft.text)
            .bind(kind)
            .bind(file_id)
            .bind(kind.map(|_| channel))
            .bind(send_at)
            .bind(status)
            .bind(now)
            .bind(i64::from(draft.ack))
            .bind(i64::from(if draft.ack { draft.ack_remind_days } else { 0 }))
            .bind(
                draft
                    .ack
                    .then_some(send_at + ACK_REMIND_FOR_DAYS * 24 * 3_600_000),
            )
            .fetch_one(&mut *conn)
            .await?
            .try_get("id")?;
            for unit in &target.units {
                sqlx::query(
                    "INSERT INTO broadcast_units (broadcast_id, unit_id) VALUES ($1, $2)
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(*unit)
                .execute(&mut *conn)
                .await?;
            }
            if status == "sending" {
                start(conn, notices, id, now).await?;
            }
            metrics::counter!("congdoan_broadcasts_total").increment(1);
        }
        BroadcastEffect::Cancel { id } => {
            let changed = sqlx::query(
                "UPDATE broadcasts SET status = 'cancelled'
                 WHERE id = $1 AND author_member_id = $2 AND status IN ('scheduled', 'sending')",
            )
            .bind(id)
            .bind(m.id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if changed == 1 {
                let dropped = sqlx::query(
                    "UPDATE outbox SET status = 'cancelled' WHERE broadcast_id = $1 AND status IN ('pending', 'outside_window')",
                )
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                tracing::info!(broadcast = id, dropped, "broadcast stopped");
            }
        }
    }
    Ok(())
}

/// Queue one row per recipient account and the officer's progress message.
async fn start(
    conn: &mut Conn,
    notices: &dyn Notices,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "SELECT b.role, b.author_member_id, b.author_channel, b.author_chat_id, b.author_lang,
                b.text, b.media_kind, b.media_file_id, b.media_channel, b.ack_required,
                u.path, u.name
         FROM broadcasts b JOIN units u ON u.id = b.unit_id WHERE b.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let role: Option<String> = r.try_get("role")?;
    let author: Option<i64> = r.try_get("author_member_id")?;
    let path: String = r.try_get("path")?;
    let unit: String = r.try_get("name")?;
    let text: String = r.try_get("text")?;
    let media_kind: Option<String> = r.try_get("media_kind")?;
    let media_file: Option<String> = r.try_get("media_file_id")?;
    let media_channel: Option<String> = r.try_get("media_channel")?;
    let ack = r.try_get::<i64, _>("ack_required")? != 0;
    let media = match (media_kind.as_deref(), media_file, media_channel) {
        (Some(k), Some(f), Some(c)) => Some((
            if k == "photo" {
                MediaKind::Photo
            } else {
                MediaKind::Document
            },
            f,
            c,
        )),
        _ => None,
    };
    let body = |lang| {
        notices.text(
            lang,
            &Notice::Broadcast {
                unit: &unit,
                text: &text,
            },
        )
    };
    let audience = Audience {
        path: &path,
        except_member: author,
        role: role.as_deref().and_then(|r| Role::parse(r).ok()),
        chosen_units_of_broadcast: Some(id),
        ..Audience::default()
    };
    let tag = Tag::Broadcast(id);
    if ack {
        // The same people as the messages below, asked in one statement.
        acknowledgements::ask(conn, AckKind::Broadcast, id, &audience, now).await?;
    }
    // With «Đã nắm»: the line saying how to confirm, and the button.
    let asking = |lang, text: String| -> Outbound {
        if ack {
            acknowledgements::asking_body(notices, lang, text, AckKind::Broadcast, id)
        } else {
            Outbound::Message {
                text,
                buttons: vec![],
            }
        }
    };
    let total = match &media {
        None => {
            let plain = |lang| asking(lang, body(lang));
            to_members(conn, &audience, plain, tag, now).await?
        }
        Some((kind, file_id, channel)) => {
            let with_media = |lang| match asking(lang, body(lang)) {
                Outbound::Message { text, buttons } => Outbound::Media {
                    kind: *kind,
                    file_id: file_id.clone(),
                    caption: text,
                    buttons,
                },
                other => other,
            };
            let on_its_platform = Audience {
                accounts: Accounts::On(channel),
                ..audience.clone()
            };
            // The file lives on one platform: elsewhere, the text and a word about it.
            let text_only = |lang| {
                let text = format!(
                    "{}\n\n{}",
                    body(lang),
                    notices.text(lang, &Notice::BroadcastFileElsewhere)
                );
                asking(lang, text)
            };
            let elsewhere = Audience {
                accounts: Accounts::NotOn(channel),
                ..audience.clone()
            };
            to_members(conn, &on_its_platform, with_media, tag, now).await?
                + to_members(conn, &elsewhere, text_only, tag, now).await?
        }
    };
    let author_channel: String = r.try_get("author_channel")?;
    let author_chat: String = r.try_get("author_chat_id")?;
    let lang = Lang::parse(&r.try_get::<String, _>("author_lang")?).unwrap_or_default();
    let progress_text = progress_text(notices, lang, &Counts::default(), total as i64, None);
    let progress = Outbound::Progress {
        text: progress_text.clone(),
        buttons: stop_button(notices, lang, id),
    };
    let progress_id = enqueue(
        conn,
        &author_channel,
        &author_chat,
        &progress,
        PRIORITY_REPLY,
        now,
    )
    .await?;
    sqlx::query(
        "UPDATE broadcasts SET status = 'sending', total = $1, started_at = $2,
                progress_outbox_id = $3, progress_text = $4, progress_at = $2
         WHERE id = $5",
    )
    .bind(total as i64)
    .bind(now)
    .bind(progress_id)
    .bind(progress_text)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    tracing::info!(broadcast = id, recipients = total, "broadcast queued");
    Ok(())
}

fn stop_button(notices: &dyn Notices, lang: Lang, id: i64) -> Vec<Vec<Button>> {
    vec![vec![Button {
        label: notices.text(lang, &Notice::BroadcastStopButton),
        data: crate::core::actions::BroadcastAction::Stop(id).to_string(),
    }]]
}

/// Whose outbox rows to count.
#[derive(Debug, Clone, Copy)]
pub(super) enum DeliveryOf {
    Broadcast(i64),
    Directive(i64),
}

impl DeliveryOf {
    /// The outbox column that ties rows to it (a constant, never input) and its id.
    fn column_and_id(self) -> (&'static str, i64) {
        match self {
            DeliveryOf::Broadcast(id) => ("broadcast_id", id),
            DeliveryOf::Directive(id) => ("directive_id", id),
        }
    }
}

pub(super) async fn counts(conn: &mut Conn, of: DeliveryOf) -> Result<Counts, StoreError> {
    let (column, id) = of.column_and_id();
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT status, COUNT(*) AS n FROM outbox WHERE {column} = $1 GROUP BY status"
    )))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut c = Counts::default();
    for r in rows {
        let n: i64 = r.try_get("n")?;
        match r.try_get::<String, _>("status")?.as_str() {
            "sent" => c.sent += n,
            "failed" => c.failed += n,
            "unreachable" => c.unreachable += n,
            "cancelled" => c.cancelled += n,
            super::zalo_oa::OUTSIDE_WINDOW => c.outside_window += n,
            super::zalo_oa::ELSEWHERE => c.elsewhere += n,
            _ => c.waiting += n,
        }
    }
    if c.failed > 0 {
        // The sender writes "zalo quota exceeded: …" for these (channels::zalo).
        c.over_quota = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM outbox
             WHERE {column} = $1 AND status = 'failed' AND error LIKE 'zalo quota exceeded%'"
        )))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    }
    Ok(c)
}

/// Whether any of these messages is still to be tried: one index probe, where `counts`
/// reads every row (a national broadcast has millions).
pub(super) async fn still_waiting(conn: &mut Conn, of: DeliveryOf) -> Result<bool, StoreError> {
    let (column, id) = of.column_and_id();
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT 1 AS waiting FROM outbox WHERE {column} = $1 AND status IN ('pending', 'sending') LIMIT 1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}

/// Seconds left at the pace so far, once something is done.
fn eta_secs(c: &Counts, started: i64, now: i64) -> Option<i64> {
    let done = c.sent + c.failed + c.unreachable;
    let elapsed = (now - started).max(1);
    (done > 0).then(|| c.waiting * elapsed / done / 1000)
}

async fn remember_progress(
    conn: &mut Conn,
    id: i64,
    text: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE broadcasts SET progress_text = $1, progress_at = $2 WHERE id = $3")
        .bind(text)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn progress_text(
    notices: &dyn Notices,
    lang: Lang,
    counts: &Counts,
    total: i64,
    eta_secs: Option<i64>,
) -> String {
    notices.text(
        lang,
        &Notice::BroadcastProgress {
            counts,
            total,
            eta_secs,
        },
    )
}

impl Store {
    /// Start every scheduled broadcast whose time has come, once: the status change is
    /// the claim, in the same transaction that queues the messages.
    pub async fn start_due_broadcasts(
        &self,
        notices: &dyn Notices,
        now: i64,
    ) -> Result<u64, StoreError> {
        let due: Vec<i64> = sqlx::query(
            "SELECT id FROM broadcasts WHERE status = 'scheduled' AND send_at <= $1 ORDER BY send_at",
        )
        .bind(now)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        let mut started = 0;
        for id in due {
            let mut tx = self.begin().await?;
            let claimed = sqlx::query(
                "UPDATE broadcasts SET status = 'sending' WHERE id = $1 AND status = 'scheduled'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 {
                start(&mut tx, notices, id, now).await?;
                started += 1;
            }
            tx.commit().await?;
        }
        Ok(started)
    }

    /// Edit each running broadcast's progress message, and send the delivery report when
    /// nothing is left to send. Returns how many messages were queued.
    pub async fn broadcast_progress(
        &self,
        notices: &dyn Notices,
        now: i64,
    ) -> Result<u64, StoreError> {
        let running = sqlx::query(
            "SELECT id, status, total, started_at, author_channel, author_chat_id, author_lang,
                    progress_outbox_id, progress_text, progress_at
             FROM broadcasts
             WHERE status = 'sending' OR (status = 'cancelled' AND started_at IS NOT NULL AND finished_at IS NULL)",
        )
        .fetch_all(self.pool())
        .await?;
        let mut queued = 0;
        for r in running {
            let id: i64 = r.try_get("id")?;
            let status: String = r.try_get("status")?;
            let total: i64 = r.try_get("total")?;
            let started: i64 = r.try_get::<Option<i64>, _>("started_at")?.unwrap_or(now);
            let channel: String = r.try_get("author_channel")?;
            let chat: String = r.try_get("author_chat_id")?;
            let lang = Lang::parse(&r.try_get::<String, _>("author_lang")?).unwrap_or_default();
            let progress_id: Option<i64> = r.try_get("progress_outbox_id")?;
            let last_text: Option<String> = r.try_get("progress_text")?;
            let last_at: i64 = r.try_get::<Option<i64>, _>("progress_at")?.unwrap_or(0);
            let editable = channel == "telegram";
            let progress_due = if editable {
                now - last_at >= PROGRESS_EVERY_MS
            } else {
                now - last_at.max(started) >= PROGRESS_NEW_MESSAGE_EVERY_MS
            };
            let mut tx = self.begin().await?;
            // Count only when there is something to show: progress or the end.
            if !progress_due && still_waiting(&mut tx, DeliveryOf::Broadcast(id)).await? {
                tx.commit().await?;
                continue;
            }
            let c = counts(&mut tx, DeliveryOf::Broadcast(id)).await?;
            let finished = c.waiting == 0;
            if finished {
                // Claim the end once: whoever sets finished_at sends the report.
                let claimed = sqlx::query(
                    "UPDATE broadcasts SET finished_at = $1,
                            status = CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE 'done' END
                     WHERE id = $2 AND finished_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if claimed == 1 {
                    let final_text = progress_text(notices, lang, &c, total, None);
                    if let (true, Some(of)) = (editable, progress_id) {
                        let edit = Outbound::Edit {
                            of,
                            message_id: None,
                            text: final_text,
                            buttons: vec![],
                        };
                        enqueue(&mut tx, &channel, &chat, &edit, PRIORITY_REPLY, now).await?;
                        queued += 1;
                    }
                    let report = notices.text(
                        lang,
                        &Notice::BroadcastReport {
                            counts: &c,
                            total,
                            elapsed_secs: (now - started) / 1000,
                            stopped: status == "cancelled",
                        },
                    );
                    let body = Outbound::Message {
                        text: report,
                        buttons: vec![],
                    };
                    enqueue(&mut tx, &channel, &chat, &body, PRIORITY_REPLY, now).await?;
                    queued += 1;
                    tracing::info!(
                        broadcast = id,
                        sent = c.sent,
                        failed = c.failed,
                        unreachable = c.unreachable,
                        "broadcast finished"
                    );
                }
            } else if !editable
                && progress_due
                // Nothing moved since the last one (Zalo's sending paused by its quota):
                // no new message, or a paused hour would queue sixty of them.
                && !last_text
                    .as_deref()
                    .is_some_and(|t| t.starts_with(&progress_text(notices, lang, &c, total, None)))
            {
                // Zalo cannot edit a message: a short new one now and then instead.
                let mut text = progress_text(notices, lang, &c, total, eta_secs(&c, started, now));
                text.push('\n');
                text.push_str(&notices.text(lang, &Notice::BroadcastStopTyped));
                let body = Outbound::Message {
                    text: text.clone(),
                    buttons: vec![],
                };
                enqueue(&mut tx, &channel, &chat, &body, PRIORITY_REPLY, now).await?;
                queued += 1;
                remember_progress(&mut tx, id, &text, now).await?;
            } else if editable && progress_due {
                let text = progress_text(notices, lang, &c, total, eta_secs(&c, started, now));
                if Some(&text) != last_text.as_ref()
                    && let Some(of) = progress_id
                {
                    let edit = Outbound::Edit {
                        of,
                        message_id: None,
                        text: text.clone(),
                        buttons: stop_button(notices, lang, id),
                    };
                    enqueue(&mut tx, &channel, &chat, &edit, PRIORITY_REPLY, now).await?;
                    queued += 1;
                    remember_progress(&mut tx, id, &text, now).await?;
                }
            }
            tx.commit().await?;
        }
        Ok(queued)
    }
}
