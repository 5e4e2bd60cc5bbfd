//! Officers' broadcasts: one outbox row per recipient account written by INSERT …
//! SELECT (nobody is loaded into memory), a progress message in the officer's chat
//! edited as the outbox drains, a delivery report at the end, and a stop that cancels
//! what has not gone out yet. Targets are re-checked against the officer's subtree.

use sqlx::Row;

use super::outbox::{PRIORITY_BULK, PRIORITY_REPLY, enqueue};
use super::{Conn, Store, StoreError};
use crate::core::conversation::{ActiveBroadcast, BroadcastEffect, MemberView};
use crate::core::domain::{Lang, Role};
use crate::core::event::{Button, MediaKind, Outbound};
use crate::core::text::esc;
use crate::i18n::I18n;
use crate::tr;

/// The progress message is edited at most this often.
const PROGRESS_EVERY_MS: i64 = 3_000;
/// Where messages cannot be edited (Zalo), progress comes as a new message this often.
const PROGRESS_NEW_MESSAGE_EVERY_MS: i64 = 60_000;

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
    i18n: &I18n,
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
                     send_at, status, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
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
                start(conn, i18n, id, now).await?;
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
async fn start(conn: &mut Conn, i18n: &I18n, id: i64, now: i64) -> Result<(), StoreError> {
    let r = sqlx::query(
        "SELECT b.role, b.author_member_id, b.author_channel, b.author_chat_id, b.author_lang,
                b.text, b.media_kind, b.media_file_id, b.media_channel, u.path, u.name
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
    let (unit, text) = (esc(&unit), esc(&text));
    let mut total = 0;
    for lang in [Lang::Vi, Lang::En] {
        let body = tr!(
            i18n,
            lang,
            "bc-message",
            unit = unit.as_str(),
            text = text.as_str()
        );
        match &media {
            None => {
                let plain = Outbound::Message {
                    text: body,
                    buttons: vec![],
                };
                total += queue(
                    conn,
                    id,
                    &path,
                    role.as_deref(),
                    author,
                    lang,
                    &plain,
                    None,
                    now,
                )
                .await?;
            }
            Some((kind, file_id, channel)) => {
                let with_media = Outbound::Media {
                    kind: *kind,
                    file_id: file_id.clone(),
                    caption: body.clone(),
                    buttons: vec![],
                };
                total += queue(
                    conn,
                    id,
                    &path,
                    role.as_deref(),
                    author,
                    lang,
                    &with_media,
                    Some((channel, true)),
                    now,
                )
                .await?;
                // The file lives on one platform: elsewhere, the text and a word about it.
                let text_only = Outbound::Message {
                    text: format!("{body}\n\n{}", i18n.s(lang, "bc-media-elsewhere")),
                    buttons: vec![],
                };
                total += queue(
                    conn,
                    id,
                    &path,
                    role.as_deref(),
                    author,
                    lang,
                    &text_only,
                    Some((channel, false)),
                    now,
                )
                .await?;
            }
        }
    }
    let author_channel: String = r.try_get("author_channel")?;
    let author_chat: String = r.try_get("author_chat_id")?;
    let lang = Lang::parse(&r.try_get::<String, _>("author_lang")?).unwrap_or_default();
    let progress_text = progress_text(i18n, lang, &Counts::default(), total as i64, None);
    let progress = Outbound::Progress {
        text: progress_text.clone(),
        buttons: stop_button(i18n, lang, id),
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

#[allow(clippy::too_many_arguments)]
async fn queue(
    conn: &mut Conn,
    id: i64,
    path: &str,
    role: Option<&str>,
    author: Option<i64>,
    lang: Lang,
    body: &Outbound,
    channel: Option<(&String, bool)>,
    now: i64,
) -> Result<u64, StoreError> {
    let channel_filter = match channel {
        None => "",
        Some((_, true)) => "AND i.channel = $8",
        Some((_, false)) => "AND i.channel <> $8",
    };
    let sql = format!(
        "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before,
                             created_at, broadcast_id)
         SELECT i.channel, i.chat_id, $1, $2, 'pending', 0, $3, $3, $4
         FROM members m
         JOIN units u ON u.id = m.unit_id
         JOIN identities i ON i.member_id = m.id
         WHERE u.path LIKE $5 AND m.lang = $6 AND m.unreachable_at IS NULL
           AND m.id <> $7 AND ($9 = '' OR m.role = $9)
           AND (NOT EXISTS (SELECT 1 FROM broadcast_units bu WHERE bu.broadcast_id = $4)
                OR EXISTS (SELECT 1 FROM broadcast_units bu JOIN units cu ON cu.id = bu.unit_id
                           WHERE bu.broadcast_id = $4 AND u.path LIKE cu.path || '%'))
           {channel_filter}
         ORDER BY m.id"
    );
    let payload = serde_json::to_string(body).unwrap_or_default();
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(payload)
        .bind(PRIORITY_BULK)
        .bind(now)
        .bind(id)
        .bind(format!("{path}%"))
        .bind(lang.as_str())
        .bind(author.unwrap_or(-1))
        .bind(channel.map(|(c, _)| c.as_str()).unwrap_or(""))
        .bind(role.unwrap_or(""))
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

fn stop_button(i18n: &I18n, lang: Lang, id: i64) -> Vec<Vec<Button>> {
    vec![vec![Button {
        label: i18n.s(lang, "bc-stop-button"),
        data: crate::core::actions::BroadcastAction::Stop(id).to_string(),
    }]]
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub sent: i64,
    pub failed: i64,
    pub unreachable: i64,
    pub cancelled: i64,
    pub waiting: i64,
    /// Of `failed`: refused because the Zalo account's free quota was used up.
    pub over_quota: i64,
    /// Zalo OA: held outside the member's 48-hour window until they write ("ngoài 48
    /// giờ"); not waiting for the sender, so the report does not wait for them.
    pub outside_window: i64,
    /// Zalo OA: outside the window, but the member got it on another linked account.
    pub elsewhere: i64,
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

/// "Đang gửi 120/300 ▓▓▓▓░░░░░░ 40% · còn khoảng 6 phút".
fn progress_text(i18n: &I18n, lang: Lang, c: &Counts, total: i64, eta_secs: Option<i64>) -> String {
    let done = c.sent + c.failed + c.unreachable;
    // Nearest, but never 100% while some are still to go.
    let pct = match total {
        t if t <= 0 => 100,
        t if done < t => crate::core::text::percent(done, t).min(99),
        _ => 100,
    };
    let filled = (pct / 10) as usize;
    let bar = format!("{}{}", "▓".repeat(filled), "░".repeat(10 - filled.min(10)));
    let mut text = tr!(
        i18n,
        lang,
        "bc-progress",
        sent = c.sent,
        total = total,
        bar = bar,
        pct = pct,
        failed = c.failed,
        unreachable = c.unreachable
    );
    if let Some(secs) = eta_secs {
        text.push('\n');
        text.push_str(&tr!(
            i18n,
            lang,
            "bc-progress-eta",
            time = duration(i18n, lang, secs)
        ));
    }
    text
}

fn duration(i18n: &I18n, lang: Lang, secs: i64) -> String {
    if secs < 60 {
        tr!(i18n, lang, "bc-seconds", n = secs.max(1))
    } else if secs < 3600 {
        tr!(i18n, lang, "bc-minutes", n = (secs + 59) / 60)
    } else {
        tr!(
            i18n,
            lang,
            "bc-hours",
            h = secs / 3600,
            m = (secs % 3600) / 60
        )
    }
}

impl Store {
    /// Start every scheduled broadcast whose time has come, once: the status change is
    /// the claim, in the same transaction that queues the messages.
    pub async fn start_due_broadcasts(&self, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
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
                start(&mut tx, i18n, id, now).await?;
                started += 1;
            }
            tx.commit().await?;
        }
        Ok(started)
    }

    /// Edit each running broadcast's progress message, and send the delivery report when
    /// nothing is left to send. Returns how many messages were queued.
    pub async fn broadcast_progress(&self, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
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
                    let final_text = progress_text(i18n, lang, &c, total, None);
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
                    let mut report = tr!(
                        i18n,
                        lang,
                        "bc-report",
                        sent = c.sent,
                        total = total,
                        failed = c.failed,
                        unreachable = c.unreachable,
                        time = duration(i18n, lang, (now - started) / 1000)
                    );
                    if c.over_quota > 0 {
                        report.push('\n');
                        report.push_str(&tr!(i18n, lang, "bc-report-quota", count = c.over_quota));
                    }
                    if c.outside_window > 0 {
                        report.push('\n');
                        report.push_str(&tr!(
                            i18n,
                            lang,
                            "bc-report-outside-window",
                            count = c.outside_window
                        ));
                    }
                    if status == "cancelled" {
                        report.push('\n');
                        report.push_str(&tr!(i18n, lang, "bc-report-stopped", count = c.cancelled));
                    }
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
                    .is_some_and(|t| t.starts_with(&progress_text(i18n, lang, &c, total, None)))
            {
                // Zalo cannot edit a message: a short new one now and then instead.
                let mut text = progress_text(i18n, lang, &c, total, eta_secs(&c, started, now));
                text.push('\n');
                text.push_str(&i18n.s(lang, "bc-progress-stop-typed"));
                let body = Outbound::Message {
                    text: text.clone(),
                    buttons: vec![],
                };
                enqueue(&mut tx, &channel, &chat, &body, PRIORITY_REPLY, now).await?;
                queued += 1;
                remember_progress(&mut tx, id, &text, now).await?;
            } else if editable && progress_due {
                let text = progress_text(i18n, lang, &c, total, eta_secs(&c, started, now));
                if Some(&text) != last_text.as_ref()
                    && let Some(of) = progress_id
                {
                    let edit = Outbound::Edit {
                        of,
                        message_id: None,
                        text: text.clone(),
                        buttons: stop_button(i18n, lang, id),
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
