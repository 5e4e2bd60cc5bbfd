//! Report requests up the tree (issue 21): requests, their target units, every
//! submission (the current one per unit is the one not superseded), answers one row per
//! item (so the compiled sums are SQL sums), drafts saved half-way, and the once-only
//! keys of reminders and of the overdue list. Every write is checked here in SQL: the
//! targets against the officer's direct children, a submission against the member's
//! unit and role and the request's items, the requester's actions against their subtree.

use sqlx::Row;

use super::fanout::{Audience, Tag, to_members};
use super::outbox::{PRIORITY_BULK, PRIORITY_REPLY};
use super::{Conn, Store, StoreError, outbox};
use crate::core::conversation::report_requests::{
    MAX_ITEMS, MAX_KIND_TARGETS, MAX_KINDS, MAX_LABEL_CHARS, MAX_NUMBER, MAX_OPTION_CHARS,
    MAX_OPTIONS, MAX_TEXT_ANSWER_CHARS, MAX_TITLE_CHARS, meets, reminder_due,
};
use crate::core::conversation::{
    Answer, CompiledReport, Facts, ItemKind, ItemTotal, MemberView, RegistrationRow, ReportEffect,
    ReportItem, RequestDraft, RequestMode, RequestView, TargetRow, TargetStatus, ToFill,
};
use crate::core::domain::{Lang, Role};
use crate::core::event::{Button, MediaKind, Outbound};
use crate::core::notices::{ExportWord, Notice, Notices};
use crate::reports::export::{Cell, Table, to_xlsx};

/// Requests whose deadline passed longer ago than this leave the fill list.
const LISTED_AFTER_DEADLINE_MS: i64 = 30 * 24 * 3600 * 1000;
/// Overdue lists go out within this long after the deadline.
const OVERDUE_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;

fn may_fill(role: Role) -> bool {
    matches!(role, Role::Officer | Role::Leader)
}

fn items_of(json: &str) -> Vec<ReportItem> {
    serde_json::from_str(json).unwrap_or_default()
}

fn view_of(r: &sqlx::any::AnyRow) -> Result<RequestView, StoreError> {
    Ok(RequestView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        unit_name: r.try_get("unit_name")?,
        deadline_at: r.try_get("deadline_at")?,
        items: items_of(&r.try_get::<String, _>("items")?),
        parent_id: r.try_get("parent_request_id")?,
        mode: RequestMode::parse(&r.try_get::<String, _>("mode")?).unwrap_or_default(),
        closed_at: r.try_get("closed_at")?,
        assesses: r.try_get("assesses_request_id")?,
    })
}

/// The answers of a unit's current report, one per item.
async fn current_answers(
    conn: &mut Conn,
    request_id: i64,
    unit_id: i64,
    items: &[ReportItem],
) -> Result<Option<(i64, Vec<Option<Answer>>)>, StoreError> {
    let sub = sqlx::query(
        "SELECT id, submitted_at FROM report_submissions
         WHERE request_id = $1 AND unit_id = $2 AND superseded_at IS NULL
         ORDER BY id DESC LIMIT 1",
    )
    .bind(request_id)
    .bind(unit_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(sub) = sub else { return Ok(None) };
    let id: i64 = sub.try_get("id")?;
    let at: i64 = sub.try_get("submitted_at")?;
    let rows = sqlx::query("SELECT item, num, text FROM report_answers WHERE submission_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let mut answers = vec![None; items.len()];
    for r in rows {
        let item: i64 = r.try_get("item")?;
        let num: Option<i64> = r.try_get("num")?;
        let text: Option<String> = r.try_get("text")?;
        let Some(slot) = usize::try_from(item).ok().and_then(|i| answers.get_mut(i)) else {
            continue;
        };
        let kind = items[item as usize].kind;
        *slot = match (kind, num, text) {
            (ItemKind::Number, Some(n), _) => Some(Answer::Number(n)),
            (ItemKind::YesNo, Some(n), _) => Some(Answer::YesNo(n != 0)),
            (ItemKind::Text, _, Some(t)) => Some(Answer::Text(t)),
            (ItemKind::Choice, Some(n), _) => Some(Answer::Choice(n)),
            _ => None,
        };
    }
    Ok(Some((at, answers)))
}

/// Look up what `/baocao` needs: requests to fill for the member's unit (with drafts
/// and current reports), the officer's own requests, one compiled result.
pub async fn load_facts(
    conn: &mut Conn,
    m: &MemberView,
    (lists, one, kinds): (bool, Option<i64>, bool),
    now: i64,
    facts: &mut Facts,
) -> Result<(), StoreError> {
    if lists && may_fill(m.role) {
        let rows = sqlx::query(
            "SELECT r.id, r.title, r.items, r.deadline_at, r.parent_request_id, r.mode, r.closed_at,
                    r.assesses_request_id,
                    u.name AS unit_name, t.status, t.note,
                    (SELECT COUNT(*) FROM report_requests c
                      WHERE c.parent_request_id = r.id AND c.unit_id = t.unit_id) AS passed_down
             FROM report_targets t
             JOIN report_requests r ON r.id = t.request_id
             JOIN units u ON u.id = r.unit_id
             WHERE t.unit_id = $1 AND r.closed_at IS NULL AND r.deadline_at > $2
             ORDER BY r.deadline_at, r.id LIMIT 10",
        )
        .bind(m.unit_id)
        .bind(now - LISTED_AFTER_DEADLINE_MS)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let request = view_of(&r)?;
            let status = TargetStatus::parse(&r.try_get::<String, _>("status")?)
                .unwrap_or(TargetStatus::Pending);
            let draft = sqlx::query(
                "SELECT answers FROM report_drafts WHERE request_id = $1 AND unit_id = $2",
            )
            .bind(request.id)
            .bind(m.unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|d| d.try_get::<String, _>("answers"))
            .transpose()?
            .and_then(|j| serde_json::from_str(&j).ok());
            let submitted = current_answers(conn, request.id, m.unit_id, &request.items)
                .await?
                .map(|(_, a)| a);
            let passed_down: i64 = r.try_get("passed_down")?;
            facts.reports.to_fill.push(ToFill {
                passed_down: passed_down > 0,
                unit_id: m.unit_id,
                status,
                note: r.try_get("note")?,
                draft,
                submitted,
                request,
            });
        }
    }
    if lists && m.role == Role::Officer {
        let rows = sqlx::query(
            "SELECT r.id, r.title, r.items, r.deadline_at, r.parent_request_id, r.mode, r.closed_at,
                    r.assesses_request_id,
                    u.name AS unit_name
             FROM report_requests r JOIN units u ON u.id = r.unit_id
             WHERE u.path LIKE $1 AND (r.closed_at IS NULL OR r.closed_at > $2)
             ORDER BY r.id DESC LIMIT 10",
        )
        .bind(format!("{}%", m.unit_path))
        .bind(now - LISTED_AFTER_DEADLINE_MS)
        .fetch_all(&mut *conn)
        .await?;
        facts.reports.mine = rows.iter().map(view_of).collect::<Result<_, _>>()?;
    }
    if let Some(id) = one
        && m.role == Role::Officer
    {
        facts.reports.compiled = compiled(conn, id, &m.unit_path).await?;
    }
    if kinds && m.role == Role::Officer {
        facts.reports.kinds = unit_kinds(conn, m.unit_id, &m.unit_path).await?;
    }
    Ok(())
}

/// The kinds of open units found below the direct children of the unit at `path`, each
/// with how many open units of that kind its whole subtree (itself apart) holds.
pub async fn unit_kinds(
    conn: &mut Conn,
    unit_id: i64,
    path: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT k.kind, CAST(COUNT(*) AS BIGINT) AS n
         FROM units k
         WHERE k.path LIKE $1 AND k.id <> $2 AND k.closed_at IS NULL
           AND k.kind IN (SELECT d.kind FROM units d, units me
                          WHERE me.id = $2 AND d.path LIKE $1 AND d.depth >= me.depth + 2
                            AND d.closed_at IS NULL)
         GROUP BY k.kind ORDER BY k.kind LIMIT $3",
    )
    .bind(format!("{path}%"))
    .bind(unit_id)
    .bind(MAX_KINDS as i64)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("kind")?, r.try_get("n")?)))
        .collect()
}

/// The compiled result of request `id`, if it was made in the subtree at `officer_path`:
/// each target unit's status and answers, and per item the sum (numbers), the yeses
/// (yes/no) and how many units answered, over the submitted current reports, in SQL.
pub async fn compiled(
    conn: &mut Conn,
    id: i64,
    officer_path: &str,
) -> Result<Option<CompiledReport>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT r.id, r.title, r.items, r.deadline_at, r.parent_request_id, r.mode, r.closed_at,
                    r.assesses_request_id,
                u.name AS unit_name
         FROM report_requests r JOIN units u ON u.id = r.unit_id
         WHERE r.id = $1 AND u.path LIKE $2",
    )
    .bind(id)
    .bind(format!("{officer_path}%"))
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let request = view_of(&r)?;
    let targets = sqlx::query(
        "SELECT t.unit_id, u.name, t.status FROM report_targets t JOIN units u ON u.id = t.unit_id
         WHERE t.request_id = $1 ORDER BY u.name, u.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = vec![];
    for t in targets {
        let unit_id: i64 = t.try_get("unit_id")?;
        let status = TargetStatus::parse(&t.try_get::<String, _>("status")?)
            .unwrap_or(TargetStatus::Pending);
        let current = current_answers(conn, id, unit_id, &request.items).await?;
        let (submitted_at, answers) = match current {
            Some((at, a)) if status == TargetStatus::Submitted => (Some(at), a),
            _ => (None, vec![None; request.items.len()]),
        };
        rows.push(TargetRow {
            unit_id,
            name: t.try_get("name")?,
            status,
            submitted_at,
            answers,
        });
    }
    let mut totals = vec![ItemTotal::default(); request.items.len()];
    for t in totals_sql(conn, id).await? {
        if let Some(slot) = usize::try_from(t.0).ok().and_then(|i| totals.get_mut(i)) {
            *slot = t.1;
        }
    }
    let mut choice_counts: Vec<Vec<i64>> = request
        .items
        .iter()
        .map(|i| vec![0; i.options.len()])
        .collect();
    let counted = sqlx::query(
        "SELECT a.item, a.num, COUNT(*) AS n
         FROM report_submissions s
         JOIN report_targets t ON t.request_id = s.request_id AND t.unit_id = s.unit_id
         JOIN report_answers a ON a.submission_id = s.id
         WHERE s.request_id = $1 AND s.superseded_at IS NULL AND t.status = 'submitted'
           AND a.num IS NOT NULL
         GROUP BY a.item, a.num",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for r in counted {
        let (item, num, n): (i64, i64, i64) =
            (r.try_get("item")?, r.try_get("num")?, r.try_get("n")?);
        let slot = usize::try_from(item)
            .ok()
            .and_then(|i| choice_counts.get_mut(i))
            .and_then(|c| usize::try_from(num).ok().and_then(|k| c.get_mut(k)));
        if let Some(slot) = slot {
            *slot = n;
        }
    }
    // The letter goes to whoever asked the level above, else to the parent unit.
    let addressee = sqlx::query(
        "SELECT COALESCE(
             (SELECT pu.name FROM report_requests p JOIN units pu ON pu.id = p.unit_id
              WHERE p.id = r.parent_request_id),
             (SELECT up.name FROM units me JOIN units up ON up.id = me.parent_id
              WHERE me.id = r.unit_id)) AS name
         FROM report_requests r WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get::<Option<String>, _>("name"))
    .transpose()?
    .flatten();
    let assessment = sqlx::query("SELECT id FROM report_requests WHERE assesses_request_id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get::<i64, _>("id"))
        .transpose()?;
    let mut rollup = vec![];
    if let (RequestMode::Assessment, Some(reg)) = (request.mode, request.assesses) {
        for row in &rows {
            let registered = sqlx::query(
                "SELECT 1 AS one FROM report_targets WHERE request_id = $1 AND unit_id = $2
                   AND status = 'submitted'",
            )
            .bind(reg)
            .bind(row.unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
            let registered_answers = if registered {
                current_answers(conn, reg, row.unit_id, &request.items)
                    .await?
                    .map(|(_, a)| a)
            } else {
                None
            };
            let assessed = row.status == TargetStatus::Submitted;
            let met = match (&registered_answers, assessed) {
                (Some(r), true) => Some(meets(&request.items, r, &row.answers)),
                _ => None,
            };
            rollup.push(RegistrationRow {
                name: row.name.clone(),
                registered,
                assessed,
                met,
            });
        }
    }
    Ok(Some(CompiledReport {
        request,
        rows,
        totals,
        choice_counts,
        addressee,
        rollup,
        assessment,
    }))
}

/// Per item: SUM(num) and the units that answered, over the submitted current reports.
pub async fn totals_sql(conn: &mut Conn, id: i64) -> Result<Vec<(i64, ItemTotal)>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.item, CAST(COALESCE(SUM(a.num), 0) AS BIGINT) AS total, COUNT(*) AS answered
         FROM report_submissions s
         JOIN report_targets t ON t.request_id = s.request_id AND t.unit_id = s.unit_id
         JOIN report_answers a ON a.submission_id = s.id
         WHERE s.request_id = $1 AND s.superseded_at IS NULL AND t.status = 'submitted'
         GROUP BY a.item ORDER BY a.item",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("item")?,
                ItemTotal {
                    sum: r.try_get("total")?,
                    answered: r.try_get("answered")?,
                },
            ))
        })
        .collect()
}

/// Queue `body_for(lang)` to every reachable account of member `member_id`.
async fn to_member(
    conn: &mut Conn,
    member_id: i64,
    body_for: impl Fn(Lang) -> Outbound,
    now: i64,
) -> Result<u64, StoreError> {
    let rows = sqlx::query(
        "SELECT i.channel, i.chat_id, m.lang FROM identities i JOIN members m ON m.id = i.member_id
         WHERE m.id = $1 AND m.unreachable_at IS NULL ORDER BY i.channel",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut n = 0;
    for r in rows {
        let lang = Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default();
        let channel: String = r.try_get("channel")?;
        let chat: String = r.try_get("chat_id")?;
        outbox::enqueue(conn, &channel, &chat, &body_for(lang), PRIORITY_BULK, now).await?;
        n += 1;
    }
    Ok(n)
}

struct Request {
    id: i64,
    title: String,
    unit_name: String,
    unit_path: String,
    deadline_at: i64,
    items: Vec<ReportItem>,
    created_by: Option<i64>,
    mode: RequestMode,
}

async fn request(conn: &mut Conn, id: i64) -> Result<Option<Request>, StoreError> {
    let r = sqlx::query(
        "SELECT r.title, r.items, r.deadline_at, r.created_by, r.mode, u.name, u.path
         FROM report_requests r JOIN units u ON u.id = r.unit_id
         WHERE r.id = $1 AND r.closed_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    r.map(|r| {
        Ok(Request {
            id,
            title: r.try_get("title")?,
            unit_name: r.try_get("name")?,
            unit_path: r.try_get("path")?,
            deadline_at: r.try_get("deadline_at")?,
            items: items_of(&r.try_get::<String, _>("items")?),
            created_by: r.try_get("created_by")?,
            mode: RequestMode::parse(&r.try_get::<String, _>("mode")?).unwrap_or_default(),
        })
    })
    .transpose()
}

/// The request's `text_for(lang)` with the fill button, to `audience`.
async fn send_request(
    conn: &mut Conn,
    notices: &dyn Notices,
    r: &Request,
    audience: &Audience<'_>,
    text_for: impl Fn(Lang) -> String,
    now: i64,
) -> Result<u64, StoreError> {
    let fill = crate::core::actions::ReportAction::Fill(r.id).to_string();
    let body = |lang| Outbound::Message {
        text: text_for(lang),
        buttons: vec![vec![Button {
            label: notices.text(lang, &Notice::ReportFillButton),
            data: fill.clone(),
        }]],
    };
    to_members(conn, audience, body, Tag::None, now).await
}

/// Whether a draft is well formed: title and labels within bounds, 1–10 items.
fn draft_ok(d: &RequestDraft) -> bool {
    let title = d.title.trim().chars().count();
    (1..=MAX_TITLE_CHARS).contains(&title)
        && (1..=MAX_ITEMS).contains(&d.items.len())
        && d.items.iter().all(|i| {
            let options_ok = match i.kind {
                ItemKind::Choice => {
                    (2..=MAX_OPTIONS).contains(&i.options.len())
                        && i.options
                            .iter()
                            .all(|o| (1..=MAX_OPTION_CHARS).contains(&o.trim().chars().count()))
                }
                _ => i.options.is_empty(),
            };
            options_ok && (1..=MAX_LABEL_CHARS).contains(&i.label.trim().chars().count())
        })
}

/// Whether `answers` answer `items` one for one, each of the item's kind and in bounds.
pub fn answers_ok(items: &[ReportItem], answers: &[Option<Answer>]) -> bool {
    answers.len() == items.len()
        && items.iter().zip(answers).all(|(item, a)| match a {
            Some(Answer::Number(n)) => {
                item.kind == ItemKind::Number && (0..=MAX_NUMBER).contains(n)
            }
            Some(Answer::YesNo(_)) => item.kind == ItemKind::YesNo,
            Some(Answer::Choice(i)) => {
                item.kind == ItemKind::Choice
                    && usize::try_from(*i).is_ok_and(|i| i < item.options.len())
            }
            Some(Answer::Text(t)) => {
                item.kind == ItemKind::Text
                    && (1..=MAX_TEXT_ANSWER_CHARS).contains(&t.trim().chars().count())
            }
            None => false,
        })
}

/// The target row a member may fill: their own unit is a target of the open request and
/// they are its officer or leader. Returns its status.
async fn fillable(
    conn: &mut Conn,
    m: &MemberView,
    request_id: i64,
    unit_id: i64,
) -> Result<Option<TargetStatus>, StoreError> {
    if unit_id != m.unit_id || !may_fill(m.role) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.status FROM report_targets t
         JOIN report_requests r ON r.id = t.request_id
         JOIN members m ON m.unit_id = t.unit_id
         WHERE t.request_id = $1 AND t.unit_id = $2 AND r.closed_at IS NULL
           AND m.id = $3 AND m.role IN ('officer', 'leader')",
    )
    .bind(request_id)
    .bind(unit_id)
    .bind(m.id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|r| r.try_get::<String, _>("status"))
        .transpose()?
        .and_then(|s| TargetStatus::parse(&s)))
}

/// Apply one report effect for member `m`, every rule checked again here.
pub async fn apply(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    channel: &str,
    chat_id: &str,
    effect: &ReportEffect,
    now: i64,
) -> Result<(), StoreError> {
    match effect {
        ReportEffect::Create { draft } => {
            let id = create(conn, notices, m, draft, now).await?;
            tracing::info!(request = ?id, "report request created");
        }
        ReportEffect::SaveDraft {
            request_id,
            unit_id,
            answers,
        } => {
            if fillable(conn, m, *request_id, *unit_id).await?.is_none() {
                tracing::warn!("report draft refused");
                return Ok(());
            }
            let json = serde_json::to_string(answers).unwrap_or_else(|_| "[]".into());
            sqlx::query(
                "INSERT INTO report_drafts (request_id, unit_id, answers, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (request_id, unit_id)
                 DO UPDATE SET answers = excluded.answers, updated_by = excluded.updated_by,
                               updated_at = excluded.updated_at",
            )
            .bind(request_id)
            .bind(unit_id)
            .bind(json)
            .bind(m.id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        ReportEffect::Submit {
            request_id,
            unit_id,
            answers,
        } => {
            let ok = submit(conn, notices, m, *request_id, *unit_id, answers, now).await?;
            if !ok {
                tracing::warn!("report submission refused");
            }
        }
        ReportEffect::Return {
            request_id,
            unit_id,
            note,
        } => {
            if m.role != Role::Officer {
                return Ok(());
            }
            send_back(conn, notices, m, *request_id, *unit_id, note, now).await?;
        }
        ReportEffect::Export { request_id } => {
            if m.role != Role::Officer {
                return Ok(());
            }
            if let Some(body) = export(conn, notices, m, *request_id).await? {
                outbox::enqueue(conn, channel, chat_id, &body, PRIORITY_REPLY, now).await?;
            }
        }
        ReportEffect::Close { request_id } => {
            if m.role != Role::Officer {
                return Ok(());
            }
            if !close(conn, m, *request_id, now).await? {
                tracing::warn!("report request close refused");
            }
        }
        ReportEffect::Letter { request_id, letter } => {
            if m.role != Role::Officer || compiled(conn, *request_id, &m.unit_path).await?.is_none()
            {
                return Ok(());
            }
            let Ok(bytes) = crate::reports::docx::letter(letter) else {
                tracing::error!("report letter could not be written");
                return Ok(());
            };
            use base64::Engine;
            let body = Outbound::Upload {
                kind: MediaKind::Document,
                file_name: letter.file_name.clone(),
                data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
                caption: letter.caption.clone(),
            };
            outbox::enqueue(conn, channel, chat_id, &body, PRIORITY_REPLY, now).await?;
        }
    }
    Ok(())
}

/// Close request `id` when it was made in the officer's subtree: no more submissions or
/// drafts, no more reminders (every query of them skips closed requests). Returns
/// whether it was closed.
pub async fn close(
    conn: &mut Conn,
    officer: &MemberView,
    request_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    if officer.role != Role::Officer {
        return Ok(false);
    }
    let closed = sqlx::query(
        "UPDATE report_requests SET closed_at = $1
         WHERE id = $2 AND closed_at IS NULL
           AND unit_id IN (SELECT id FROM units WHERE path LIKE $3)",
    )
    .bind(now)
    .bind(request_id)
    .bind(format!("{}%", officer.unit_path))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if closed {
        sqlx::query("DELETE FROM report_drafts WHERE request_id = $1")
            .bind(request_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(closed)
}

/// Create a request from the officer's unit to the chosen units, only those that are
/// direct children of it, and send it to their officers and leaders. `None` if nothing
/// valid was asked.
pub async fn create(
    conn: &mut Conn,
    notices: &dyn Notices,
    officer: &MemberView,
    draft: &RequestDraft,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    if officer.role != Role::Officer || !draft_ok(draft) || draft.deadline_at <= now {
        return Ok(None);
    }
    let items = serde_json::to_string(&draft.items).unwrap_or_else(|_| "[]".into());
    let mut valid = vec![];
    match (&draft.kind, draft.mode, draft.assesses) {
        // Every open unit of a kind in the subtree (never the officer's own), if not
        // too many.
        (Some(kind), RequestMode::Report | RequestMode::Registration, None)
            if draft.units.is_empty() =>
        {
            let rows = sqlx::query(
                "SELECT id FROM units WHERE path LIKE $1 AND id <> $2 AND kind = $3
                   AND closed_at IS NULL ORDER BY id LIMIT $4",
            )
            .bind(format!("{}%", officer.unit_path))
            .bind(officer.unit_id)
            .bind(kind)
            .bind(MAX_KIND_TARGETS + 1)
            .fetch_all(&mut *conn)
            .await?;
            if rows.len() as i64 > MAX_KIND_TARGETS {
                return Ok(None);
            }
            for r in rows {
                valid.push(r.try_get::<i64, _>("id")?);
            }
        }
        // A self-assessment: a registration of the officer's own unit, the same items,
        // among its units, once.
        (None, RequestMode::Assessment, Some(reg)) if draft.parent.is_none() => {
            let same = sqlx::query(
                "SELECT r.items FROM report_requests r
                 WHERE r.id = $1 AND r.unit_id = $2 AND r.mode = 'registration'
                   AND NOT EXISTS (SELECT 1 FROM report_requests a
                                   WHERE a.assesses_request_id = r.id)",
            )
            .bind(reg)
            .bind(officer.unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get::<String, _>("items"))
            .transpose()?
            .is_some_and(|i| items_of(&i) == draft.items);
            if !same {
                return Ok(None);
            }
            for unit in &draft.units {
                let ok = sqlx::query(
                    "SELECT 1 AS one FROM report_targets WHERE request_id = $1 AND unit_id = $2",
                )
                .bind(reg)
                .bind(unit)
                .fetch_optional(&mut *conn)
                .await?
                .is_some();
                if ok && !valid.contains(unit) {
                    valid.push(*unit);
                }
            }
        }
        // The officer's direct children.
        (None, RequestMode::Report | RequestMode::Registration, None) => {
            for unit in &draft.units {
                let ok = sqlx::query("SELECT 1 AS one FROM units WHERE id = $1 AND parent_id = $2")
                    .bind(unit)
                    .bind(officer.unit_id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .is_some();
                if ok && !valid.contains(unit) {
                    valid.push(*unit);
                }
            }
        }
        _ => return Ok(None),
    }
    if valid.is_empty() {
        return Ok(None);
    }
    if let Some(parent) = draft.parent {
        // Passed down: the officer's own unit was asked, and the items are the same.
        let asked = sqlx::query(
            "SELECT r.items FROM report_requests r
             JOIN report_targets t ON t.request_id = r.id
             WHERE r.id = $1 AND t.unit_id = $2 AND r.closed_at IS NULL",
        )
        .bind(parent)
        .bind(officer.unit_id)
        .fetch_optional(&mut *conn)
        .await?;
        let same = match asked {
            Some(r) => items_of(&r.try_get::<String, _>("items")?) == draft.items,
            None => false,
        };
        if !same {
            return Ok(None);
        }
    }
    let id: i64 = sqlx::query(
        "INSERT INTO report_requests (unit_id, created_by, title, items, deadline_at, created_at,
                                      parent_request_id, mode, assesses_request_id, target_kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(officer.unit_id)
    .bind(officer.id)
    .bind(draft.title.trim())
    .bind(items)
    .bind(draft.deadline_at)
    .bind(now)
    .bind(draft.parent)
    .bind(draft.mode.as_str())
    .bind(draft.assesses)
    .bind(draft.kind.clone())
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for unit in valid {
        sqlx::query(
            "INSERT INTO report_targets (request_id, unit_id, status, updated_at)
             VALUES ($1, $2, 'pending', $3)",
        )
        .bind(id)
        .bind(unit)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    let Some(r) = request(conn, id).await? else {
        return Ok(Some(id));
    };
    let text_for = |lang| {
        notices.text(
            lang,
            &Notice::ReportRequest {
                unit: &r.unit_name,
                title: &r.title,
                deadline_at: r.deadline_at,
                items: &r.items,
            },
        )
    };
    let audience = Audience {
        path: &officer.unit_path,
        except_member: Some(officer.id),
        report_fillers: Some((r.id, false)),
        ..Audience::default()
    };
    send_request(conn, notices, &r, &audience, text_for, now).await?;
    metrics::counter!("congdoan_report_requests_created_total").increment(1);
    Ok(Some(id))
}

/// Record the unit's report: the member may fill it, the answers fit the items, and a
/// report already submitted is replaced only before the deadline. The older one is kept
/// (superseded). Returns whether it was recorded.
pub async fn submit(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    request_id: i64,
    unit_id: i64,
    answers: &[Option<Answer>],
    now: i64,
) -> Result<bool, StoreError> {
    let Some(status) = fillable(conn, m, request_id, unit_id).await? else {
        return Ok(false);
    };
    let Some(r) = request(conn, request_id).await? else {
        return Ok(false);
    };
    if !answers_ok(&r.items, answers) {
        return Ok(false);
    }
    // A registration is submitted once; a report is replaced only before the deadline.
    if status == TargetStatus::Submitted
        && (now > r.deadline_at || r.mode == RequestMode::Registration)
    {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE report_submissions SET superseded_at = $1
         WHERE request_id = $2 AND unit_id = $3 AND superseded_at IS NULL",
    )
    .bind(now)
    .bind(request_id)
    .bind(unit_id)
    .execute(&mut *conn)
    .await?;
    let sub: i64 = sqlx::query(
        "INSERT INTO report_submissions (request_id, unit_id, member_id, submitted_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(request_id)
    .bind(unit_id)
    .bind(m.id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for (i, a) in answers.iter().enumerate() {
        let (num, text) = match a {
            Some(Answer::Number(n)) => (Some(*n), None),
            Some(Answer::YesNo(b)) => (Some(i64::from(*b)), None),
            Some(Answer::Choice(i)) => (Some(*i), None),
            Some(Answer::Text(t)) => (None, Some(t.trim().to_string())),
            None => (None, None),
        };
        sqlx::query(
            "INSERT INTO report_answers (submission_id, item, num, text) VALUES ($1, $2, $3, $4)",
        )
        .bind(sub)
        .bind(i as i64)
        .bind(num)
        .bind(text)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE report_targets SET status = 'submitted', note = NULL, updated_at = $1
         WHERE request_id = $2 AND unit_id = $3",
    )
    .bind(now)
    .bind(request_id)
    .bind(unit_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM report_drafts WHERE request_id = $1 AND unit_id = $2")
        .bind(request_id)
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
    // The requester hears of it.
    if let Some(by) = r.created_by {
        let counts = sqlx::query(
            "SELECT COUNT(*) AS total,
                    CAST(COALESCE(SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END), 0) AS BIGINT) AS done
             FROM report_targets WHERE request_id = $1",
        )
        .bind(request_id)
        .fetch_one(&mut *conn)
        .await?;
        let (total, done): (i64, i64) = (counts.try_get("total")?, counts.try_get("done")?);
        let body = |lang| Outbound::Message {
            text: notices.text(
                lang,
                &Notice::ReportSubmitted {
                    title: &r.title,
                    unit: &m.unit_name,
                    done,
                    total,
                },
            ),
            buttons: vec![],
        };
        to_member(conn, by, body, now).await?;
    }
    metrics::counter!("congdoan_reports_submitted_total").increment(1);
    Ok(true)
}

/// Send a unit's submitted report back for completion, with a note, when the request was
/// made in the officer's subtree. Returns whether it was sent back.
pub async fn send_back(
    conn: &mut Conn,
    notices: &dyn Notices,
    officer: &MemberView,
    request_id: i64,
    unit_id: i64,
    note: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let Some(r) = request(conn, request_id).await? else {
        return Ok(false);
    };
    if !r.unit_path.starts_with(&officer.unit_path) {
        return Ok(false);
    }
    let note: String = note.trim().chars().take(MAX_TEXT_ANSWER_CHARS).collect();
    let changed = sqlx::query(
        "UPDATE report_targets SET status = 'returned', note = $1, updated_at = $2
         WHERE request_id = $3 AND unit_id = $4 AND status = 'submitted'
           AND request_id IN (SELECT r.id FROM report_requests r JOIN units u ON u.id = r.unit_id
                              WHERE u.path LIKE $5)",
    )
    .bind(&note)
    .bind(now)
    .bind(request_id)
    .bind(unit_id)
    .bind(format!("{}%", officer.unit_path))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if !changed {
        return Ok(false);
    }
    let path: String = sqlx::query("SELECT path FROM units WHERE id = $1")
        .bind(unit_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("path")?;
    let text_for = |lang| {
        notices.text(
            lang,
            &Notice::ReportReturned {
                title: &r.title,
                note: &note,
            },
        )
    };
    let audience = Audience {
        path: &path,
        report_fillers: Some((r.id, false)),
        ..Audience::default()
    };
    send_request(conn, notices, &r, &audience, text_for, now).await?;
    Ok(true)
}

/// The compiled report as an .xlsx file: one row per target unit.
async fn export(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    request_id: i64,
) -> Result<Option<Outbound>, StoreError> {
    let Some(c) = compiled(conn, request_id, &m.unit_path).await? else {
        return Ok(None);
    };
    let word = |w| notices.text(m.lang, &Notice::Export(w));
    let mut headers: Vec<String> = crate::core::conversation::report_requests::EXPORT_COLUMN_IDS
        .iter()
        .map(|id| word(ExportWord::Label(id)))
        .collect();
    headers.extend(c.request.items.iter().map(|i| i.label.clone()));
    let rollup_ids = crate::core::conversation::report_requests::ROLLUP_COLUMN_IDS;
    if !c.rollup.is_empty() {
        headers.extend(rollup_ids[..3].iter().map(|id| word(ExportWord::Label(id))));
    }
    let rows = c
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let status = r.status.export_label_id();
            let mut row = vec![
                Cell::from(r.name.clone()),
                Cell::from(word(ExportWord::Label(status))),
                r.submitted_at
                    .map(|t| Cell::from(crate::core::time::format_date_time(t)))
                    .unwrap_or(Cell::Empty),
            ];
            row.extend(r.answers.iter().zip(&c.request.items).map(|(a, item)| {
                match a {
                    Some(Answer::Choice(k)) => usize::try_from(*k)
                        .ok()
                        .and_then(|k| item.options.get(k))
                        .map(|o| Cell::from(o.clone()))
                        .unwrap_or(Cell::Empty),
                    Some(Answer::Number(n)) => Cell::Int(*n),
                    Some(Answer::YesNo(b)) => Cell::from(word(ExportWord::YesNo(*b))),
                    Some(Answer::Text(t)) => Cell::from(t.clone()),
                    None => Cell::Empty,
                }
            }));
            // A self-assessment: registered, assessed, met (the roll-up follows the rows).
            if let Some(u) = c.rollup.get(i) {
                row.push(Cell::from(word(ExportWord::YesNo(u.registered))));
                row.push(Cell::from(word(ExportWord::YesNo(u.assessed))));
                row.push(match u.met {
                    Some(met) => {
                        Cell::from(word(ExportWord::Label(rollup_ids[3 + usize::from(!met)])))
                    }
                    None => Cell::Empty,
                });
            }
            row
        })
        .collect();
    let table = Table {
        sheet: c.request.title.clone(),
        headers,
        rows,
    };
    let Ok(bytes) = to_xlsx(&table) else {
        tracing::error!("report export could not be written");
        return Ok(None);
    };
    use base64::Engine;
    Ok(Some(Outbound::Upload {
        kind: MediaKind::Document,
        file_name: format!("bao-cao-{request_id}.xlsx"),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        caption: notices.text(
            m.lang,
            &Notice::ReportExportCaption {
                title: &c.request.title,
                units: c.rows.len() as i64,
            },
        ),
    }))
}

impl Store {
    /// Reminders to units that have not submitted (3 days and 1 day before, on the day)
    /// and, after the deadline, the list of units that did not submit to the requester:
    /// each once per request, only between 8:00 and 20:00 Asia/Ho_Chi_Minh.
    pub async fn report_reminders(
        &self,
        notices: &dyn Notices,
        now: i64,
    ) -> Result<u64, StoreError> {
        let rows = sqlx::query(
            "SELECT id, deadline_at FROM report_requests
             WHERE closed_at IS NULL AND deadline_at > $1 AND deadline_at < $2 ORDER BY id",
        )
        .bind(now - OVERDUE_WINDOW_MS)
        .bind(now + 4 * 24 * 3600 * 1000)
        .fetch_all(self.pool())
        .await?;
        let mut queued = 0;
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let Some(due) = reminder_due(r.try_get("deadline_at")?, now) else {
                continue;
            };
            queued += self.report_reminder_once(notices, id, due, now).await?;
        }
        Ok(queued)
    }

    /// One reminder (`Some(days before)`) or the overdue list (`None`), once: the key is
    /// taken in the transaction that queues the messages.
    async fn report_reminder_once(
        &self,
        notices: &dyn Notices,
        id: i64,
        due: Option<i64>,
        now: i64,
    ) -> Result<u64, StoreError> {
        let kind = match due {
            Some(d) => format!("d{d}"),
            None => "overdue".to_string(),
        };
        let mut tx = self.begin().await?;
        let taken = sqlx::query(
            "INSERT INTO report_reminders (request_id, kind, sent_at, recipients)
             VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(&kind)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let Some(r) = request(&mut tx, id).await? else {
            return Ok(0);
        };
        if taken == 0 {
            return Ok(0);
        }
        // `now` may be a test's clock; the messages themselves are due right away.
        let send_at = crate::core::time::now_ms();
        let queued = match due {
            Some(days_before) => {
                let text_for = |lang| {
                    notices.text(
                        lang,
                        &Notice::ReportReminder {
                            title: &r.title,
                            deadline_at: r.deadline_at,
                            days_before,
                        },
                    )
                };
                let path = r.unit_path.clone();
                let audience = Audience {
                    path: &path,
                    report_fillers: Some((r.id, true)),
                    ..Audience::default()
                };
                send_request(&mut tx, notices, &r, &audience, text_for, send_at).await?
            }
            None => {
                let units: Vec<String> = sqlx::query(
                    "SELECT u.name FROM report_targets t JOIN units u ON u.id = t.unit_id
                     WHERE t.request_id = $1 AND t.status <> 'submitted' ORDER BY u.name, u.id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|u| u.try_get("name"))
                .collect::<Result<_, _>>()?;
                match (r.created_by, units.is_empty()) {
                    (Some(by), false) => {
                        let body = |lang| Outbound::Message {
                            text: notices.text(
                                lang,
                                &Notice::ReportOverdue {
                                    title: &r.title,
                                    units: &units,
                                },
                            ),
                            buttons: vec![vec![Button {
                                label: notices.text(lang, &Notice::ReportViewButton),
                                data: crate::core::actions::ReportAction::View(id).to_string(),
                            }]],
                        };
                        to_member(&mut tx, by, body, send_at).await?
                    }
                    _ => 0,
                }
            }
        };
        sqlx::query(
            "UPDATE report_reminders SET recipients = $1 WHERE request_id = $2 AND kind = $3",
        )
        .bind(queued as i64)
        .bind(id)
        .bind(&kind)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if queued > 0 {
            tracing::info!(
                request = id,
                kind,
                recipients = queued,
                "report reminder queued"
            );
        }
        Ok(queued)
    }
}
