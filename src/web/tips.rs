//! Tin báo: the open tips of the officer's subtree, oldest first, with the time left
//! before each goes up a level; a tip's detail (every opening recorded in `tip_reads`);
//! and the chat's four actions (take, pass up, resolve with a note, add a note), each
//! through `store::tips::apply`, which checks the subtree again and tells the reporter.
//! An anonymous reporter is never shown: the store gives no name for them.

use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::session::{NoFields, Officer, Post};
use super::{Loc, Nav, WebError, WebState, duration, path_id};
use crate::core::conversation::TipEffect;
use crate::core::time::{format_date_time, now_ms};
use crate::core::tip::{Category, MAX_DESCRIPTION_CHARS, TipStatus, TipView};
use crate::store::tips;

/// The most tips one page lists.
const MAX_LISTED: i64 = 500;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/tips", get(list))
        .route("/tips/{id}", get(detail))
        .route("/tips/{id}/take", post(take))
        .route("/tips/{id}/escalate", post(escalate))
        .route("/tips/{id}/resolve", post(resolve))
        .route("/tips/{id}/note", post(note))
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct ListRow {
    pub id: i64,
    pub code: String,
    pub category: String,
    pub status: String,
    pub unit: String,
    pub created: String,
    pub time_left: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "tips.html")]
struct ListPage {
    l: Loc,
    nav: Option<Nav>,
    categories: Vec<Choice>,
    statuses: Vec<Choice>,
    rows: Vec<ListRow>,
    /// "3 of 5 open tips".
    count_text: String,
}

#[derive(Deserialize, Default)]
struct Filters {
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
}

/// Untrusted query text to filters; an unknown value is a clear 400.
fn filters(query: Option<&str>) -> Result<(Option<Category>, Option<TipStatus>), WebError> {
    let f: Filters = match query {
        Some(q) => {
            serde_urlencoded::from_str(q).map_err(|_| WebError::BadInput("web-err-filter"))?
        }
        None => Filters::default(),
    };
    let category = match f.category.as_str() {
        "" => None,
        c => Some(Category::parse(c).ok_or(WebError::BadInput("web-err-filter"))?),
    };
    let status = match f.status.as_str() {
        "" => None,
        "new" => Some(TipStatus::New),
        "acknowledged" => Some(TipStatus::Acknowledged),
        _ => return Err(WebError::BadInput("web-err-filter")),
    };
    Ok((category, status))
}

async fn list(
    State(state): State<WebState>,
    officer: Officer,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let (category, status) = filters(query.as_deref())?;
    let now = now_ms();
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let open = tips::open_for_officer(&mut conn, &officer.member, now, MAX_LISTED).await?;
    let open_total = open.len();
    let rows: Vec<ListRow> = open
        .into_iter()
        .filter(|t| category.is_none_or(|c| t.category == c))
        .filter(|t| status.is_none_or(|s| t.status == s))
        .map(|t| {
            let time_left = match (t.status, t.escalate_at) {
                (TipStatus::New, Some(at)) if at > now => l.tr(
                    "web-time-left",
                    &[("time", duration(&l, (at - now + 59_999) / 60_000).into())],
                ),
                (TipStatus::New, Some(at)) => l.tr(
                    "web-time-over",
                    &[("time", duration(&l, (now - at) / 60_000).into())],
                ),
                (TipStatus::New, None) => l.t("web-time-none"),
                _ => l.t("web-time-taken"),
            };
            ListRow {
                id: t.id,
                code: t.code.grouped(),
                category: l.t(&t.category.label_id()),
                status: l.t(t.status.label_id()),
                unit: t.unit_name,
                created: format_date_time(t.created_at),
                time_left,
                overdue: t.overdue,
            }
        })
        .collect();
    let mut categories = vec![Choice {
        value: String::new(),
        label: l.t("web-filter-all"),
        selected: category.is_none(),
    }];
    categories.extend(Category::ALL.iter().map(|c| Choice {
        value: c.as_str().to_string(),
        label: l.t(&c.label_id()),
        selected: category == Some(*c),
    }));
    let statuses = [
        (None, "web-filter-all-open"),
        (Some(TipStatus::New), TipStatus::New.label_id()),
        (
            Some(TipStatus::Acknowledged),
            TipStatus::Acknowledged.label_id(),
        ),
    ]
    .into_iter()
    .map(|(s, label)| Choice {
        value: s.map(|s| s.as_str().to_string()).unwrap_or_default(),
        label: l.t(label),
        selected: status == s,
    })
    .collect();
    let count_text = l.tr(
        "web-tips-count",
        &[
            ("shown", (rows.len() as i64).into()),
            ("total", (open_total as i64).into()),
        ],
    );
    let page = ListPage {
        nav: Some(Nav::new(&officer, "tips")),
        l,
        categories,
        statuses,
        rows,
        count_text,
    };
    Ok(Html(page.render()?))
}

pub struct EventRow {
    pub at: String,
    pub what: String,
    pub unit: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "tip.html")]
struct DetailPage {
    l: Loc,
    nav: Option<Nav>,
    id: i64,
    code: String,
    category: String,
    status: String,
    /// Facts, as (label, value) lines.
    facts: Vec<(String, String)>,
    description: String,
    events: Vec<EventRow>,
    flash: Option<String>,
    csrf: String,
    can_take: bool,
    can_escalate: bool,
    can_resolve: bool,
    note_max: usize,
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    #[serde(default)]
    ok: String,
}

/// Outcome messages an action may redirect with; any other value shows nothing.
const FLASHES: &[&str] = &[
    "taken",
    "escalated",
    "resolved",
    "noted",
    "already-taken",
    "already-resolved",
    "no-higher",
];

/// The tip, if it lies in the officer's subtree (its reporter's unit is below them);
/// otherwise "not found", whether it exists or not.
async fn in_scope(
    conn: &mut crate::store::Conn,
    officer: &Officer,
    id: i64,
) -> Result<TipView, WebError> {
    match tips::for_viewer(conn, Some(id), None, &officer.member).await? {
        Some(t) if t.in_scope => Ok(t),
        _ => Err(WebError::NotFound),
    }
}

async fn detail(
    State(state): State<WebState>,
    officer: Officer,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let id = path_id(path)?;
    let q: DetailQuery = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let now = now_ms();
    let m = &officer.member;
    let mut tx = state.store.begin().await?;
    let tip = in_scope(&mut tx, &officer, id).await?;
    // Every opening of a tip is recorded, as in chat.
    tips::apply(
        &mut tx,
        &*state.i18n,
        m,
        "web",
        &TipEffect::Read { tip_id: id },
        now,
    )
    .await?;
    tx.commit().await?;

    let l = state.loc(m.lang);
    let mut facts = vec![
        (l.t("web-tip-from"), tip.unit_name.clone()),
        (l.t("web-tip-at"), format_date_time(tip.created_at)),
        (l.t("web-tip-handler"), tip.handling_unit_name.clone()),
        (
            l.t("web-tip-reporter"),
            tip.reporter_name
                .clone()
                .unwrap_or_else(|| l.t("web-tip-anonymous")),
        ),
    ];
    if let Some(place) = &tip.location_text {
        facts.push((l.t("web-tip-where"), place.clone()));
    }
    if let (Some(lat), Some(lon)) = (tip.latitude, tip.longitude) {
        facts.push((l.t("web-tip-position"), format!("{lat:.5}, {lon:.5}")));
    }
    if let Some(when) = &tip.happened_text {
        facts.push((l.t("web-tip-when"), when.clone()));
    }
    if tip.status == TipStatus::New
        && let Some(at) = tip.escalate_at
    {
        facts.push((l.t("web-tip-deadline"), format_date_time(at)));
    }
    if !tip.photos.is_empty() {
        facts.push((
            l.t("web-tip-photos"),
            l.tr(
                "web-tip-photos-count",
                &[("count", (tip.photos.len() as i64).into())],
            ),
        ));
    }
    if let Some(result) = &tip.resolution_note {
        facts.push((l.t("web-tip-result"), result.clone()));
    }
    let events = tip
        .events
        .iter()
        .map(|e| EventRow {
            at: format_date_time(e.at),
            what: l.t(&format!("tip-event-{}", e.kind)),
            unit: e.unit_name.clone().unwrap_or_default(),
            note: e.note.clone().unwrap_or_default(),
        })
        .collect();
    let flash = FLASHES
        .iter()
        .find(|f| **f == q.ok)
        .map(|f| l.t(&format!("web-ok-{f}")));
    let page = DetailPage {
        nav: Some(Nav::new(&officer, "tips")),
        id,
        code: tip.code.grouped(),
        category: l.t(&tip.category.label_id()),
        status: l.t(tip.status.label_id()),
        facts,
        description: tip.description.clone(),
        events,
        flash,
        csrf: officer.csrf.clone(),
        can_take: tip.status == TipStatus::New,
        can_escalate: tip.status != TipStatus::Resolved && tip.can_escalate,
        can_resolve: tip.status != TipStatus::Resolved,
        note_max: MAX_DESCRIPTION_CHARS,
        l,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    note: String,
}

#[derive(Clone, Copy)]
enum Action {
    Take,
    Escalate,
    Resolve,
    Note,
}

/// A note typed in the console: trimmed, not empty, not longer than the chat allows.
fn checked_note(note: &str) -> Result<String, WebError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(WebError::BadInput("web-err-note-empty"));
    }
    if note.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(WebError::BadInput("web-err-note-long"));
    }
    Ok(note.to_string())
}

/// One action, in one transaction: checked against the subtree, applied by the store
/// function the chat uses, then back to the tip with what happened.
async fn act(
    state: &WebState,
    officer: &Officer,
    id: i64,
    action: Action,
    note: Option<String>,
) -> Result<Response, WebError> {
    let now = now_ms();
    let m = &officer.member;
    let mut tx = state.store.begin().await?;
    let tip = in_scope(&mut tx, officer, id).await?;
    let resolved = tip.status == TipStatus::Resolved;
    let (effect, outcome) = match action {
        Action::Take if resolved => (None, "already-resolved"),
        Action::Take if tip.status == TipStatus::Acknowledged => (None, "already-taken"),
        Action::Take => (Some(TipEffect::Acknowledge { tip_id: id }), "taken"),
        Action::Escalate if resolved => (None, "already-resolved"),
        Action::Escalate if !tip.can_escalate => (None, "no-higher"),
        Action::Escalate => (Some(TipEffect::Escalate { tip_id: id }), "escalated"),
        Action::Resolve if resolved => (None, "already-resolved"),
        Action::Resolve => (
            Some(TipEffect::Resolve {
                tip_id: id,
                note: note.unwrap_or_default(),
            }),
            "resolved",
        ),
        Action::Note => (
            Some(TipEffect::Note {
                tip_id: id,
                note: note.unwrap_or_default(),
            }),
            "noted",
        ),
    };
    if let Some(effect) = &effect {
        tips::apply(&mut tx, &*state.i18n, m, "web", effect, now).await?;
    }
    tx.commit().await?;
    if effect.is_some() {
        tracing::info!(tip = id, outcome, "tip action from the console");
        state.outbox_ready.notify_waiters();
    }
    Ok(Redirect::to(&format!("/tips/{id}?ok={outcome}")).into_response())
}

async fn take(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoFields>,
) -> Result<Response, WebError> {
    act(&state, &post.officer, path_id(path)?, Action::Take, None).await
}

async fn escalate(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoFields>,
) -> Result<Response, WebError> {
    act(
        &state,
        &post.officer,
        path_id(path)?,
        Action::Escalate,
        None,
    )
    .await
}

async fn resolve(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoteForm>,
) -> Result<Response, WebError> {
    let id = path_id(path)?;
    let note = checked_note(&post.form.note)?;
    act(&state, &post.officer, id, Action::Resolve, Some(note)).await
}

async fn note(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoteForm>,
) -> Result<Response, WebError> {
    let id = path_id(path)?;
    let note = checked_note(&post.form.note)?;
    act(&state, &post.officer, id, Action::Note, Some(note)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn every_outcome_and_history_line_has_its_words() {
        let i18n = I18n::new();
        for lang in [Lang::Vi, Lang::En] {
            let ids = i18n.message_ids(lang);
            let keys = FLASHES.iter().map(|f| format!("web-ok-{f}")).chain(
                [
                    "created",
                    "copied",
                    "acknowledged",
                    "escalated",
                    "overdue",
                    "top",
                    "resolved",
                    "note",
                ]
                .iter()
                .map(|k| format!("tip-event-{k}")),
            );
            for key in keys {
                assert!(ids.contains(&key), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn filters_refuse_what_they_do_not_know() {
        assert!(matches!(filters(None), Ok((None, None))));
        assert!(matches!(
            filters(Some("category=fire&status=new")),
            Ok((Some(Category::Fire), Some(TipStatus::New)))
        ));
        for bad in [
            "category=x",
            "status=resolved",
            "category=%FF",
            "status=new&status=x",
        ] {
            assert!(filters(Some(bad)).is_err(), "{bad}");
        }
    }
}
