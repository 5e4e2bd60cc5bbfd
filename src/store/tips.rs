//! Incident tips: routing up the tree, officer actions checked against their subtree in
//! SQL, every hop and read logged, and the messages each step sends (officers get the
//! tip, the reporter only its status). The reporter's account never enters a message
//! to anyone but the reporter.

use sqlx::Row;

use super::outbox::{PRIORITY_REPLY, enqueue};
use super::{Conn, Store, StoreError};
use crate::core::conversation::{MemberView, TipEffect};
use crate::core::domain::{Lang, Role};
use crate::core::event::{Button, MediaKind, Outbound};
use crate::core::notices::{Notice, Notices, TipAlert, TipChange};
use crate::core::tip::{
    Category, ReceiptCode, TipDraft, TipEventView, TipStatus, TipSummary, TipView,
};

const MINUTE_MS: i64 = 60_000;
/// Tips about crime are sensitive data: 180 days after a tip is resolved, what could
/// identify anyone (reporter link, words, place, photos) is erased; the counts stay.
pub const RETENTION_DAYS: i64 = 180;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// A tip with a place on the map, as the console's map shows it: no words, no reporter.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedTip {
    pub id: i64,
    pub code: String,
    pub category: Category,
    pub status: TipStatus,
    pub latitude: f64,
    pub longitude: f64,
    pub created_at: i64,
}

/// Tips of the subtree at `path` that carry a shared location (newest first), those not
/// yet resolved unless `with_resolved`.
#[tracing::instrument(skip_all)]
pub async fn located_in_subtree(
    conn: &mut Conn,
    path: &str,
    with_resolved: bool,
    limit: i64,
) -> Result<Vec<LocatedTip>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.id, t.receipt_code, t.category, t.status, t.latitude, t.longitude, t.created_at
         FROM tips t JOIN units u ON u.id = t.unit_id
         WHERE u.path LIKE $1 AND t.latitude IS NOT NULL AND t.longitude IS NOT NULL
           AND ($2 = 1 OR t.status <> 'resolved')
         ORDER BY t.created_at DESC, t.id DESC LIMIT $3",
    )
    .bind(format!("{path}%"))
    .bind(i64::from(with_resolved))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        // A category or status this version no longer knows is left off the map.
        let (Some(category), Some(status)) = (
            Category::parse(&r.try_get::<String, _>("category")?),
            TipStatus::parse(&r.try_get::<String, _>("status")?),
        ) else {
            continue;
        };
        let code: String = r.try_get("receipt_code")?;
        out.push(LocatedTip {
            id: r.try_get("id")?,
            code: ReceiptCode::parse(&code)
                .map(|c| c.grouped())
                .unwrap_or(code),
            category,
            status,
            latitude: r.try_get("latitude")?,
            longitude: r.try_get("longitude")?,
            created_at: r.try_get("created_at")?,
        });
    }
    Ok(out)
}

/// Tips `member_id` reported since `since` (flood limit).
pub async fn recent_count(conn: &mut Conn, member_id: i64, since: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM tips WHERE reporter_member_id = $1 AND created_at >= $2",
    )
    .bind(member_id)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

/// The flood window: one hour.
pub fn recent_since(now: i64) -> i64 {
    now - HOUR_MS
}

struct Loaded {
    view: TipView,
    unit_path: String,
    handling_unit_id: i64,
    handling_path: String,
    reporter: Option<i64>,
}

const TIP_COLUMNS: &str =
    "t.id, t.receipt_code, t.category, t.status, t.description, t.location_text,
    t.latitude, t.longitude, t.happened_text, t.anonymous, t.reporter_member_id, t.created_at,
    t.escalate_at, t.resolution_note, t.handling_unit_id,
    u.name AS unit_name, u.path AS unit_path, h.name AS handling_name, h.path AS handling_path,
    m.display_name AS reporter_name";

async fn load(conn: &mut Conn, filter: &str, arg: Arg<'_>) -> Result<Option<Loaded>, StoreError> {
    let sql = format!(
        "SELECT {TIP_COLUMNS} FROM tips t
         JOIN units u ON u.id = t.unit_id
         JOIN units h ON h.id = t.handling_unit_id
         LEFT JOIN members m ON m.id = t.reporter_member_id
         WHERE {filter}"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql));
    let q = match arg {
        Arg::Id(id) => q.bind(id),
        Arg::Code(code) => q.bind(code.to_string()),
    };
    let Some(r) = q.fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let id: i64 = r.try_get("id")?;
    let Ok(code) = ReceiptCode::parse(&r.try_get::<String, _>("receipt_code")?) else {
        return Ok(None);
    };
    let anonymous = r.try_get::<i64, _>("anonymous")? != 0;
    let handling_path: String = r.try_get("handling_path")?;
    let handling_unit_id: i64 = r.try_get("handling_unit_id")?;
    let mut view = TipView {
        id,
        code,
        category: Category::parse(&r.try_get::<String, _>("category")?).unwrap_or(Category::Other),
        status: TipStatus::parse(&r.try_get::<String, _>("status")?).unwrap_or(TipStatus::New),
        description: r.try_get("description")?,
        location_text: r.try_get("location_text")?,
        latitude: r.try_get("latitude")?,
        longitude: r.try_get("longitude")?,
        happened_text: r.try_get("happened_text")?,
        unit_name: r.try_get("unit_name")?,
        handling_unit_name: r.try_get("handling_name")?,
        // Only a display name, and only when the reporter chose to be named.
        reporter_name: if anonymous {
            None
        } else {
            r.try_get("reporter_name")?
        },
        anonymous,
        created_at: r.try_get("created_at")?,
        escalate_at: r.try_get("escalate_at")?,
        resolution_note: r.try_get("resolution_note")?,
        photos: vec![],
        mine: false,
        in_scope: false,
        can_escalate: false,
        events: vec![],
    };
    let unit_path: String = r.try_get("unit_path")?;
    let reporter: Option<i64> = r.try_get("reporter_member_id")?;
    view.photos =
        sqlx::query("SELECT channel, file_id FROM tip_photos WHERE tip_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| Ok((r.try_get("channel")?, r.try_get("file_id")?)))
            .collect::<Result<_, StoreError>>()?;
    view.events = sqlx::query(
        "SELECT e.kind, e.note, e.at, u.name AS unit_name FROM tip_events e
         LEFT JOIN units u ON u.id = e.to_unit_id
         WHERE e.tip_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(TipEventView {
            kind: r.try_get("kind")?,
            unit_name: r.try_get("unit_name")?,
            note: r.try_get("note")?,
            at: r.try_get("at")?,
        })
    })
    .collect::<Result<_, StoreError>>()?;
    view.can_escalate = next_unit_above(conn, &handling_path, handling_unit_id)
        .await?
        .is_some();
    Ok(Some(Loaded {
        view,
        unit_path,
        handling_unit_id,
        handling_path,
        reporter,
    }))
}

enum Arg<'a> {
    Id(i64),
    Code(&'a str),
}

/// A tip as `viewer` may see it: its reporter, or an officer whose subtree holds the
/// reporter's unit. `None` for anyone else (as if it did not exist).
pub async fn for_viewer(
    conn: &mut Conn,
    tip_id: Option<i64>,
    code: Option<&ReceiptCode>,
    viewer: &MemberView,
) -> Result<Option<TipView>, StoreError> {
    let loaded = match (tip_id, code) {
        (Some(id), _) => load(conn, "t.id = $1", Arg::Id(id)).await?,
        (None, Some(c)) => load(conn, "t.receipt_code = $1", Arg::Code(c.as_str())).await?,
        _ => None,
    };
    let Some(l) = loaded else { return Ok(None) };
    let mut view = l.view;
    view.mine = l.reporter == Some(viewer.id);
    view.in_scope = match viewer.role {
        Role::Officer => l.unit_path.starts_with(&viewer.unit_path),
        // The police liaison: the categories their unit shares, from its subtree; they
        // take, resolve and add notes, but passing a tip up is the union's.
        Role::Liaison => {
            view.can_escalate = false;
            super::liaison::liaison_sees(conn, viewer, &l.unit_path, view.category).await?
        }
        _ => false,
    };
    Ok((view.mine || view.in_scope).then_some(view))
}

/// `/tinbao`: tips not yet resolved whose reporter's unit lies in the officer's subtree,
/// oldest first.
pub async fn open_for_officer(
    conn: &mut Conn,
    officer: &MemberView,
    now: i64,
    limit: i64,
) -> Result<Vec<TipSummary>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.id, t.receipt_code, t.category, t.status, t.created_at, t.escalate_at,
                u.name AS unit_name
         FROM tips t JOIN units u ON u.id = t.unit_id
         WHERE u.path LIKE $1 AND t.status <> 'resolved'
         ORDER BY t.created_at, t.id LIMIT $2",
    )
    .bind(format!("{}%", officer.unit_path))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Ok(code) = ReceiptCode::parse(&r.try_get::<String, _>("receipt_code")?) else {
            continue;
        };
        let status = TipStatus::parse(&r.try_get::<String, _>("status")?).unwrap_or(TipStatus::New);
        let escalate_at: Option<i64> = r.try_get("escalate_at")?;
        out.push(TipSummary {
            id: r.try_get("id")?,
            code,
            category: Category::parse(&r.try_get::<String, _>("category")?)
                .unwrap_or(Category::Other),
            status,
            unit_name: r.try_get("unit_name")?,
            created_at: r.try_get("created_at")?,
            overdue: status == TipStatus::New && escalate_at.is_some_and(|at| at <= now),
            escalate_at,
        });
    }
    Ok(out)
}

/// A unit that can take a tip: its id, name and the deadline it set for the category.
struct Handler {
    id: i64,
    notify_parent: bool,
    deadline_minutes: i64,
}

/// The nearest unit at or above `path` that has officers and handles `category`.
async fn route(
    conn: &mut Conn,
    path: &str,
    category: Category,
) -> Result<Option<Handler>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, r.notify_parent, r.deadline_minutes FROM units u
         LEFT JOIN tip_routes r ON r.unit_id = u.id AND r.category = $2
         WHERE $1 LIKE u.path || '%'
           AND EXISTS (SELECT 1 FROM members m WHERE m.unit_id = u.id AND m.role = 'officer')
           AND (r.handles IS NULL OR r.handles <> 0)
         ORDER BY u.depth DESC LIMIT 1",
    )
    .bind(path)
    .bind(category.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Handler {
        id: r.try_get("id")?,
        notify_parent: r.try_get::<Option<i64>, _>("notify_parent")?.unwrap_or(0) != 0,
        deadline_minutes: r
            .try_get::<Option<i64>, _>("deadline_minutes")?
            .filter(|m| *m > 0)
            .unwrap_or(category.default_deadline_minutes()),
    }))
}

/// The nearest unit strictly above `path` (unit `id`) that has officers.
async fn next_unit_above(
    conn: &mut Conn,
    path: &str,
    id: i64,
) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.path FROM units u
         WHERE $1 LIKE u.path || '%' AND u.id <> $2
           AND EXISTS (SELECT 1 FROM members m WHERE m.unit_id = u.id AND m.role = 'officer')
         ORDER BY u.depth DESC LIMIT 1",
    )
    .bind(path)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => Ok(Some((r.try_get("id")?, r.try_get("path")?))),
        None => Ok(None),
    }
}

async fn deadline_for(
    conn: &mut Conn,
    unit_id: i64,
    category: Category,
) -> Result<i64, StoreError> {
    let minutes: Option<i64> =
        sqlx::query("SELECT deadline_minutes FROM tip_routes WHERE unit_id = $1 AND category = $2")
            .bind(unit_id)
            .bind(category.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get::<Option<i64>, _>("deadline_minutes"))
            .transpose()?
            .flatten();
    Ok(minutes
        .filter(|m| *m > 0)
        .unwrap_or(category.default_deadline_minutes()))
}

/// One line of a tip's history.
struct Event<'a> {
    kind: &'a str,
    actor: Option<i64>,
    from_unit: Option<i64>,
    to_unit: Option<i64>,
    note: Option<&'a str>,
}

impl<'a> Event<'a> {
    fn new(kind: &'a str) -> Self {
        Event {
            kind,
            actor: None,
            from_unit: None,
            to_unit: None,
            note: None,
        }
    }
}

async fn log_event(conn: &mut Conn, tip_id: i64, e: Event<'_>, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO tip_events (tip_id, kind, actor_member_id, from_unit_id, to_unit_id, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tip_id)
    .bind(e.kind)
    .bind(e.actor)
    .bind(e.from_unit)
    .bind(e.to_unit)
    .bind(e.note)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Record a new tip, route it and tell the officers. Returns the tip's id.
pub struct NewTip<'a> {
    pub draft: &'a TipDraft,
    pub anonymous: bool,
    pub code: &'a ReceiptCode,
    /// The channel the photos came from.
    pub channel: &'a str,
}

pub async fn create(
    conn: &mut Conn,
    notices: &dyn Notices,
    reporter: &MemberView,
    tip: &NewTip<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let NewTip {
        draft,
        anonymous,
        code,
        channel,
    } = *tip;
    let handler = route(conn, &reporter.unit_path, draft.category).await?;
    let (handling, escalate_at) = match &handler {
        Some(h) => (h.id, Some(now + h.deadline_minutes * MINUTE_MS)),
        // Nobody above has officers yet: it waits at the reporter's unit.
        None => (reporter.unit_id, None),
    };
    let id: i64 = sqlx::query(
        "INSERT INTO tips (receipt_code, unit_id, handling_unit_id, category, description,
                           location_text, latitude, longitude, happened_text, anonymous,
                           reporter_member_id, status, escalate_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', $12, $13) RETURNING id",
    )
    .bind(code.as_str())
    .bind(reporter.unit_id)
    .bind(handling)
    .bind(draft.category.as_str())
    .bind(&draft.description)
    .bind(draft.location_text.as_deref())
    .bind(draft.latitude)
    .bind(draft.longitude)
    .bind(draft.happened_text.as_deref())
    .bind(i64::from(anonymous))
    .bind(reporter.id)
    .bind(escalate_at)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for (seq, file_id) in draft.photos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tip_photos (tip_id, seq, channel, file_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(seq as i64)
        .bind(channel)
        .bind(file_id)
        .execute(&mut *conn)
        .await?;
    }
    log_event(
        conn,
        id,
        Event {
            to_unit: Some(handling),
            ..Event::new("created")
        },
        now,
    )
    .await?;
    alert_liaisons(conn, notices, id, now).await?;
    let Some(handler) = handler else {
        tracing::warn!(tip = id, "tip has no unit with officers to go to");
        return Ok(id);
    };
    alert_unit(conn, notices, id, handler.id, TipAlert::New, now).await?;
    if handler.notify_parent
        && let Some(l) = load(conn, "t.id = $1", Arg::Id(id)).await?
        && let Some((parent, _)) = next_unit_above(conn, &l.handling_path, handler.id).await?
    {
        log_event(
            conn,
            id,
            Event {
                from_unit: Some(handler.id),
                to_unit: Some(parent),
                ..Event::new("copied")
            },
            now,
        )
        .await?;
        alert_unit(conn, notices, id, parent, TipAlert::Copy, now).await?;
    }
    Ok(id)
}

/// Send the tip to every officer account of `unit_id`, with photos where they can reach
/// the officer's channel ([`photo_reaches`]: the same channel, or Zalo to Telegram).
async fn alert_unit(
    conn: &mut Conn,
    notices: &dyn Notices,
    tip_id: i64,
    unit_id: i64,
    why: TipAlert,
    now: i64,
) -> Result<(), StoreError> {
    let Some(l) = load(conn, "t.id = $1", Arg::Id(tip_id)).await? else {
        return Ok(());
    };
    let officers = sqlx::query(
        "SELECT m.lang, i.channel, i.chat_id FROM members m
         JOIN identities i ON i.member_id = m.id
         WHERE m.unit_id = $1 AND m.role = 'officer'
         ORDER BY m.id, i.channel",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    send_alert(conn, notices, &l, why, officers, now).await
}

/// Send a new tip to the police liaisons whose unit lies above its reporter's and
/// shares its category (with the officers' buttons; an anonymous tip shows no one).
async fn alert_liaisons(
    conn: &mut Conn,
    notices: &dyn Notices,
    tip_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let Some(l) = load(conn, "t.id = $1", Arg::Id(tip_id)).await? else {
        return Ok(());
    };
    for liaison in super::liaison::liaisons_for(conn, &l.unit_path, l.view.category).await? {
        let rows = sqlx::query(
            "SELECT m.lang, i.channel, i.chat_id FROM members m
             JOIN identities i ON i.member_id = m.id
             WHERE m.id = $1 ORDER BY i.channel",
        )
        .bind(liaison)
        .fetch_all(&mut *conn)
        .await?;
        send_alert(conn, notices, &l, TipAlert::New, rows, now).await?;
    }
    Ok(())
}

/// The tip alert, its buttons and photos, to each (lang, channel, chat_id) row.
async fn send_alert(
    conn: &mut Conn,
    notices: &dyn Notices,
    l: &Loaded,
    why: TipAlert,
    recipients: Vec<sqlx::any::AnyRow>,
    now: i64,
) -> Result<(), StoreError> {
    let tip_id = l.view.id;
    for r in recipients {
        let lang = Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default();
        let channel: String = r.try_get("channel")?;
        let chat_id: String = r.try_get("chat_id")?;
        let text = notices.text(lang, &Notice::TipAlert { why, tip: &l.view });
        let buttons = vec![
            vec![Button {
                label: notices.text(lang, &Notice::TipOpenButton),
                data: crate::core::actions::TipAction {
                    action: crate::core::actions::TipOfficerAction::Show,
                    tip_id,
                }
                .to_string(),
            }],
            vec![Button {
                label: notices.text(lang, &Notice::TipAcknowledgeButton),
                data: crate::core::actions::TipAction {
                    action: crate::core::actions::TipOfficerAction::Acknowledge,
                    tip_id,
                }
                .to_string(),
            }],
        ];
        let body = Outbound::Message { text, buttons };
        enqueue(conn, &channel, &chat_id, &body, PRIORITY_REPLY, now).await?;
        for (photo_channel, file_id) in &l.view.photos {
            if crate::core::tip::photo_reaches(photo_channel, &channel, file_id) {
                let photo = Outbound::Media {
                    kind: MediaKind::Photo,
                    file_id: file_id.clone(),
                    caption: notices.text(
                        lang,
                        &Notice::TipPhotoCaption {
                            code: &l.view.code.grouped(),
                        },
                    ),
                    buttons: vec![],
                };
                enqueue(conn, &channel, &chat_id, &photo, PRIORITY_REPLY, now).await?;
            }
        }
    }
    Ok(())
}

/// Tell the reporter (on each of their accounts) what became of their tip.
async fn tell_reporter(
    conn: &mut Conn,
    reporter: Option<i64>,
    text_for: impl Fn(Lang) -> String,
    now: i64,
) -> Result<(), StoreError> {
    let Some(member) = reporter else {
        return Ok(());
    };
    let rows = sqlx::query(
        "SELECT m.lang, i.channel, i.chat_id FROM members m
         JOIN identities i ON i.member_id = m.id WHERE m.id = $1",
    )
    .bind(member)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let lang = Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default();
        let body = Outbound::Message {
            text: text_for(lang),
            buttons: vec![],
        };
        let channel: String = r.try_get("channel")?;
        let chat_id: String = r.try_get("chat_id")?;
        enqueue(conn, &channel, &chat_id, &body, PRIORITY_REPLY, now).await?;
    }
    Ok(())
}

/// Move a new tip one level up (an officer's choice, or its deadline passed). Returns
/// false when there is no unit above with officers.
async fn escalate(
    conn: &mut Conn,
    notices: &dyn Notices,
    tip_id: i64,
    actor: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let Some(l) = load(conn, "t.id = $1", Arg::Id(tip_id)).await? else {
        return Ok(false);
    };
    let Some((next, _)) = next_unit_above(conn, &l.handling_path, l.handling_unit_id).await? else {
        log_event(
            conn,
            tip_id,
            Event {
                actor,
                from_unit: Some(l.handling_unit_id),
                ..Event::new("top")
            },
            now,
        )
        .await?;
        return Ok(false);
    };
    let deadline = deadline_for(conn, next, l.view.category).await?;
    // Acknowledged tips stop escalating on their own; a manual escalation restarts it.
    sqlx::query(
        "UPDATE tips SET handling_unit_id = $1, escalate_at = $2, status = 'new', acknowledged_at = NULL
         WHERE id = $3",
    )
    .bind(next)
    .bind(now + deadline * MINUTE_MS)
    .bind(tip_id)
    .execute(&mut *conn)
    .await?;
    let kind = if actor.is_some() {
        "escalated"
    } else {
        "overdue"
    };
    log_event(
        conn,
        tip_id,
        Event {
            actor,
            from_unit: Some(l.handling_unit_id),
            to_unit: Some(next),
            ..Event::new(kind)
        },
        now,
    )
    .await?;
    let why = if actor.is_some() {
        TipAlert::Escalated
    } else {
        TipAlert::Overdue
    };
    alert_unit(conn, notices, tip_id, next, why, now).await?;
    let unit: String = sqlx::query("SELECT name FROM units WHERE id = $1")
        .bind(next)
        .fetch_one(&mut *conn)
        .await?
        .try_get("name")?;
    let code = l.view.code.grouped();
    tell_reporter(
        conn,
        l.reporter,
        |lang| {
            let change = TipChange::Escalated { unit: &unit };
            notices.text(
                lang,
                &Notice::TipUpdate {
                    code: &code,
                    change,
                },
            )
        },
        now,
    )
    .await?;
    Ok(true)
}

/// Apply an officer's or reporter's tip effect. Officer actions are re-checked here
/// against the officer's subtree; anything else is refused and logged.
pub async fn apply(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    channel: &str,
    effect: &TipEffect,
    now: i64,
) -> Result<(), StoreError> {
    if let TipEffect::Submit {
        draft,
        anonymous,
        code,
    } = effect
    {
        let tip = NewTip {
            draft,
            anonymous: *anonymous,
            code,
            channel,
        };
        create(conn, notices, m, &tip, now).await?;
        metrics::counter!("congdoan_tips_total", "category" => draft.category.as_str())
            .increment(1);
        return Ok(());
    }
    let tip_id = match effect {
        TipEffect::Read { tip_id }
        | TipEffect::Acknowledge { tip_id }
        | TipEffect::Escalate { tip_id }
        | TipEffect::Resolve { tip_id, .. }
        | TipEffect::Note { tip_id, .. } => *tip_id,
        TipEffect::Submit { .. } => return Ok(()),
    };
    let Some(l) = load(conn, "t.id = $1", Arg::Id(tip_id)).await? else {
        return Ok(());
    };
    let allowed = match m.role {
        Role::Officer => l.unit_path.starts_with(&m.unit_path),
        Role::Liaison => {
            !matches!(effect, TipEffect::Escalate { .. })
                && super::liaison::liaison_sees(conn, m, &l.unit_path, l.view.category).await?
        }
        _ => false,
    };
    if !allowed {
        tracing::warn!(
            tip = tip_id,
            "tip action outside the officer's subtree refused"
        );
        return Ok(());
    }
    let code = l.view.code.grouped();
    match effect {
        TipEffect::Read { .. } => {
            sqlx::query("INSERT INTO tip_reads (tip_id, member_id, at) VALUES ($1, $2, $3)")
                .bind(tip_id)
                .bind(m.id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        }
        TipEffect::Acknowledge { .. } => {
            let changed = sqlx::query(
                "UPDATE tips SET status = 'acknowledged', acknowledged_at = $1, escalate_at = NULL
                 WHERE id = $2 AND status = 'new'",
            )
            .bind(now)
            .bind(tip_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if changed == 1 {
                log_event(
                    conn,
                    tip_id,
                    Event {
                        actor: Some(m.id),
                        to_unit: Some(m.unit_id),
                        ..Event::new("acknowledged")
                    },
                    now,
                )
                .await?;
                tell_reporter(
                    conn,
                    l.reporter,
                    |lang| {
                        let change = TipChange::Acknowledged { unit: &m.unit_name };
                        notices.text(
                            lang,
                            &Notice::TipUpdate {
                                code: &code,
                                change,
                            },
                        )
                    },
                    now,
                )
                .await?;
            }
        }
        TipEffect::Escalate { .. } => {
            if l.view.status != TipStatus::Resolved {
                escalate(conn, notices, tip_id, Some(m.id), now).await?;
            }
        }
        TipEffect::Resolve { note, .. } => {
            let changed = sqlx::query(
                "UPDATE tips SET status = 'resolved', resolved_at = $1, resolution_note = $2,
                                 escalate_at = NULL
                 WHERE id = $3 AND status <> 'resolved'",
            )
            .bind(now)
            .bind(note)
            .bind(tip_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if changed == 1 {
                log_event(
                    conn,
                    tip_id,
                    Event {
                        actor: Some(m.id),
                        to_unit: Some(m.unit_id),
                        note: Some(note),
                        ..Event::new("resolved")
                    },
                    now,
                )
                .await?;
                tell_reporter(
                    conn,
                    l.reporter,
                    |lang| {
                        let change = TipChange::Resolved { note };
                        notices.text(
                            lang,
                            &Notice::TipUpdate {
                                code: &code,
                                change,
                            },
                        )
                    },
                    now,
                )
                .await?;
            }
        }
        TipEffect::Note { note, .. } => {
            log_event(
                conn,
                tip_id,
                Event {
                    actor: Some(m.id),
                    to_unit: Some(m.unit_id),
                    note: Some(note),
                    ..Event::new("note")
                },
                now,
            )
            .await?;
        }
        TipEffect::Submit { .. } => {}
    }
    Ok(())
}

impl Store {
    /// Erase the personal content of tips resolved more than [`RETENTION_DAYS`] ago.
    /// Returns how many tips were erased.
    pub async fn erase_old_tips(&self, now: i64) -> Result<u64, StoreError> {
        let before = now - RETENTION_DAYS * 24 * 60 * MINUTE_MS;
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM tip_photos WHERE tip_id IN
               (SELECT id FROM tips WHERE status = 'resolved' AND resolved_at < $1)",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        let erased = sqlx::query(
            "UPDATE tips SET reporter_member_id = NULL, description = '', location_text = NULL,
                    latitude = NULL, longitude = NULL, happened_text = NULL, resolution_note = NULL
             WHERE status = 'resolved' AND resolved_at < $1
               AND (reporter_member_id IS NOT NULL OR description <> '')",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE tip_events SET note = NULL WHERE note IS NOT NULL AND tip_id IN
               (SELECT id FROM tips WHERE status = 'resolved' AND resolved_at < $1)",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if erased > 0 {
            tracing::info!(erased, "old tips erased");
        }
        Ok(erased)
    }

    /// Move every new tip whose deadline has passed one level up. Each hop is claimed
    /// by clearing its deadline in the same transaction that moves it, so with restarts
    /// or several instances a hop happens once. Returns the number of hops.
    pub async fn escalate_overdue_tips(
        &self,
        notices: &dyn Notices,
        now: i64,
    ) -> Result<u64, StoreError> {
        let due = sqlx::query(
            "SELECT id, escalate_at FROM tips
             WHERE status = 'new' AND escalate_at IS NOT NULL AND escalate_at <= $1
             ORDER BY escalate_at, id LIMIT 200",
        )
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        let mut hops = 0;
        for r in due {
            let id: i64 = r.try_get("id")?;
            let at: i64 = r.try_get("escalate_at")?;
            let mut tx = self.begin().await?;
            let claimed = sqlx::query(
                "UPDATE tips SET escalate_at = NULL WHERE id = $1 AND escalate_at = $2 AND status = 'new'",
            )
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 && escalate(&mut tx, notices, id, None, now).await? {
                hops += 1;
                tracing::info!(tip = id, "overdue tip escalated");
                metrics::counter!("congdoan_tips_escalated_total").increment(1);
            }
            tx.commit().await?;
        }
        Ok(hops)
    }

    /// How a unit handles one category (CLI `tips route`).
    pub async fn set_tip_route(
        &self,
        unit_id: i64,
        category: Category,
        handles: bool,
        notify_parent: bool,
        deadline_minutes: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM tip_routes WHERE unit_id = $1 AND category = $2")
            .bind(unit_id)
            .bind(category.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tip_routes (unit_id, category, handles, notify_parent, deadline_minutes)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(unit_id)
        .bind(category.as_str())
        .bind(i64::from(handles))
        .bind(i64::from(notify_parent))
        .bind(deadline_minutes)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Record that `member_id` (`None`: the server's command line) exported the tips of
/// `unit_id`'s subtree: every export is a read of their contents.
#[tracing::instrument(skip_all)]
pub async fn record_export(
    conn: &mut Conn,
    member_id: Option<i64>,
    unit_id: i64,
    tips: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO tip_exports (member_id, unit_id, tips, at) VALUES ($1, $2, $3, $4)")
        .bind(member_id)
        .bind(unit_id)
        .bind(tips)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Open tips and, of those, overdue ones (nobody took it and its deadline passed, now or
/// at an earlier level: the digest's rule) per unit of the subtree of `unit_path`,
/// summed for the unit and for each direct child. Open tips are few (thousands), so
/// they are counted, not tallied.
#[tracing::instrument(skip_all)]
pub async fn open_below(
    conn: &mut Conn,
    unit_path: &str,
    now: i64,
) -> Result<super::tallies::Rolled<2>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.path, CAST(COUNT(*) AS BIGINT) AS open,
                CAST(SUM(CASE WHEN t.status = 'new'
                    AND ((t.escalate_at IS NOT NULL AND t.escalate_at <= $2)
                         OR EXISTS (SELECT 1 FROM tip_events e
                                    WHERE e.tip_id = t.id AND e.kind = 'overdue'))
                    THEN 1 ELSE 0 END) AS BIGINT) AS overdue
         FROM tips t JOIN units u ON u.id = t.unit_id
         WHERE u.path LIKE $1 AND t.status <> 'resolved'
         GROUP BY u.path",
    )
    .bind(format!("{unit_path}%"))
    .bind(now)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<String, _>("path")?,
            [r.try_get("open")?, r.try_get("overdue")?],
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(super::tallies::Rolled::from_rows(unit_path, rows))
}
