//! Cam kết: each open commitment that applies to the officer's unit, rolled up over the
//! unit and each child unit (the figures of `/tonghop`, and its chart), and for those
//! opened in the officer's subtree: a new version of the text (everyone signs again) or
//! closing it. A new commitment is opened with the chat's choices (who signs, deadline,
//! reminders). Everything goes through `store::commitments`, which checks the subtree in
//! SQL again.

use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use super::session::{NoFields, Officer, Post};
use super::{Loc, Nav, WebError, WebState, path_id};
use crate::core::actions::RemindChoice;
use crate::core::conversation::{COMMITMENT_MAX_CHARS, Rollup, Signers, draft_of, parse_deadline};
use crate::core::text::percent;
use crate::core::time::{format_date, now_ms};
use crate::reports::chart;
use crate::store::commitments;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/commitments", get(page).post(create))
        .route("/commitments/{id}/chart.png", get(chart_png))
        .route("/commitments/{id}/revise", post(revise))
        .route("/commitments/{id}/close", post(close))
}

pub struct Row {
    pub unit_id: i64,
    pub name: String,
    pub signed: i64,
    pub scope: i64,
    pub pct: i64,
}

pub struct Campaign {
    pub id: i64,
    pub title: String,
    pub version: i64,
    pub deadline: String,
    pub rows: Vec<Row>,
    /// Opened in the officer's subtree: they may revise or close it.
    pub managed: bool,
    pub chart: bool,
}

#[derive(Template)]
#[template(path = "commitments.html")]
struct CommitmentsPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    campaigns: Vec<Campaign>,
    max_chars: usize,
    flash: Option<String>,
}

fn campaign(r: Rollup, managed: bool) -> Campaign {
    Campaign {
        id: r.id,
        title: r.title,
        version: r.version,
        deadline: format_date(r.deadline_at),
        chart: r.rows.len() > 1,
        rows: r
            .rows
            .into_iter()
            .map(|row| Row {
                unit_id: row.unit_id,
                pct: percent(row.signed, row.scope),
                name: row.name,
                signed: row.signed,
                scope: row.scope,
            })
            .collect(),
        managed,
    }
}

async fn page(
    State(state): State<WebState>,
    officer: Officer,
    query: Query<Vec<(String, String)>>,
) -> Result<Html<String>, WebError> {
    let m = &officer.member;
    let l = state.loc(m.lang);
    let mut conn = state.store.pool().acquire().await?;
    let managed: Vec<i64> = commitments::managed(&mut conn, &m.unit_path)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let campaigns = commitments::rollups(&mut conn, m.unit_id, &m.unit_path)
        .await?
        .into_iter()
        .map(|r| {
            let mine = managed.contains(&r.id);
            campaign(r, mine)
        })
        .collect();
    // Only a known outcome word is read from the query string, never text to show.
    let flash = query
        .iter()
        .find(|(k, _)| k == "ok")
        .and_then(|(_, v)| match v.as_str() {
            "opened" | "revised" | "closed" => Some(l.t(&format!("web-cm-{v}"))),
            _ => None,
        });
    let page = CommitmentsPage {
        nav: Some(Nav::new(&officer, "commitments")),
        csrf: officer.csrf.clone(),
        l,
        campaigns,
        max_chars: COMMITMENT_MAX_CHARS,
        flash,
    };
    Ok(Html(page.render()?))
}

fn checked_text(raw: &str) -> Result<String, WebError> {
    let text = raw.trim().to_string();
    if text.is_empty() {
        return Err(WebError::BadInput("web-err-cm-empty"));
    }
    if text.chars().count() > COMMITMENT_MAX_CHARS {
        return Err(WebError::BadInput("web-err-cm-long"));
    }
    Ok(text)
}

#[derive(Deserialize)]
struct NewCommitment {
    #[serde(default)]
    text: String,
    #[serde(default)]
    signers: String,
    /// `YYYY-MM-DD` from a date field.
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    remind: String,
}

/// The end of the local day named by a date field, if it lies ahead.
fn deadline_from(raw: &str, now: i64) -> Result<i64, WebError> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| WebError::BadInput("web-err-cm-deadline"))?;
    // The chat's rule: the end of that day, Vietnamese time.
    let at = parse_deadline(&date.format("%d/%m/%Y").to_string())
        .ok_or(WebError::BadInput("web-err-cm-deadline"))?;
    if at <= now {
        return Err(WebError::BadInput("web-err-cm-deadline-past"));
    }
    Ok(at)
}

async fn create(
    State(state): State<WebState>,
    post: Post<NewCommitment>,
) -> Result<Response, WebError> {
    let Post { officer, form } = post;
    let text = checked_text(&form.text)?;
    let signers = Signers::parse(&form.signers).ok_or(WebError::BadInput("web-err-cm-signers"))?;
    let now = now_ms();
    let deadline_at = deadline_from(&form.deadline, now)?;
    let remind = RemindChoice::ALL
        .into_iter()
        .find(|c| c.as_str() == form.remind)
        .ok_or(WebError::BadInput("web-err-cm-remind"))?;
    let draft = draft_of(text, signers, deadline_at, remind);
    let mut tx = state.store.begin().await?;
    let (id, queued) =
        commitments::create(&mut tx, &*state.i18n, &officer.member, &draft, now).await?;
    tx.commit().await?;
    metrics::counter!("congdoan_commitments_created_total").increment(1);
    tracing::info!(
        campaign = id,
        queued,
        "commitment campaign opened from the console"
    );
    state.outbox_ready.notify_waiters();
    Ok(Redirect::to("/commitments?ok=opened").into_response())
}

#[derive(Deserialize)]
struct Revision {
    #[serde(default)]
    text: String,
}

async fn revise(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<Revision>,
) -> Result<Response, WebError> {
    let id = path_id(path)?;
    let Post { officer, form } = post;
    let text = checked_text(&form.text)?;
    let mut tx = state.store.begin().await?;
    // `None`: not opened in this officer's subtree, or closed.
    commitments::revise(&mut tx, &*state.i18n, &officer.member, id, &text, now_ms())
        .await?
        .ok_or(WebError::NotFound)?;
    tx.commit().await?;
    state.outbox_ready.notify_waiters();
    Ok(Redirect::to("/commitments?ok=revised").into_response())
}

async fn close(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoFields>,
) -> Result<Response, WebError> {
    let id = path_id(path)?;
    let mut tx = state.store.begin().await?;
    if !commitments::close(&mut tx, &post.officer.member, id, now_ms()).await? {
        return Err(WebError::NotFound);
    }
    tx.commit().await?;
    Ok(Redirect::to("/commitments?ok=closed").into_response())
}

/// The roll-up's chart, drawn by the renderer `/tonghop` uses.
async fn chart_png(
    State(state): State<WebState>,
    officer: Officer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let id = path_id(path)?;
    let m = &officer.member;
    let mut conn = state.store.pool().acquire().await?;
    let r = commitments::rollups(&mut conn, m.unit_id, &m.unit_path)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(WebError::NotFound)?;
    let png = chart::rollup_png(&state.i18n, m.lang, &r).map_err(|e| {
        tracing::error!(error = %e, "chart could not be drawn");
        WebError::NotFound
    })?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}
