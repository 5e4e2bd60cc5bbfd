//! Gửi tin: an officer writes a message to their subtree, one child unit, or only the
//! housing-group leaders or the officers below; sends it now or at a chosen time; watches
//! its progress (the page refreshes itself while it sends, no script) and stops it. The
//! broadcast is made by `store::broadcasts::apply`, the function `/guitin` uses in chat,
//! which checks the target against the officer's subtree again; its progress message and
//! delivery report also reach the officer's chat.

use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::Deserialize;

use super::session::{NoFields, Officer, Post};
use super::{Loc, Nav, WebError, WebState, ack_remind_days, path_id};
use crate::core::conversation::{
    BroadcastDraft, BroadcastEffect, BroadcastTarget, MAX_BROADCAST_CHARS,
};
use crate::core::domain::Role;
use crate::core::text::percent;
use crate::core::time::{format_date_time, now_ms};
use crate::store::{Conn, broadcasts, directives, members};

/// How far ahead a broadcast may be scheduled (as in chat).
const MAX_SCHEDULE_DAYS: i64 = 90;
/// While a broadcast sends, its page reloads this often (seconds).
const REFRESH_SECS: u32 = 5;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/broadcasts", get(page).post(create))
        .route("/broadcasts/{id}", get(detail))
        .route("/broadcasts/{id}/stop", post(stop))
}

/// One choice of recipients, with how many people it reaches.
pub struct TargetOption {
    pub value: String,
    pub label: String,
    pub count: i64,
}

pub struct Row {
    pub id: i64,
    pub when: String,
    pub unit: String,
    pub excerpt: String,
    pub status: String,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "broadcasts.html")]
struct ListPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    targets: Vec<TargetOption>,
    rows: Vec<Row>,
    max_chars: usize,
}

#[derive(Template)]
#[template(path = "broadcast.html")]
struct DetailPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    id: i64,
    unit: String,
    text: String,
    status: String,
    when: String,
    total: i64,
    sent: i64,
    failed: i64,
    unreachable: i64,
    waiting: i64,
    cancelled: i64,
    pct: i64,
    /// Seconds between reloads while it is not finished.
    refresh: Option<u32>,
    can_stop: bool,
}

/// What the form may target: the whole subtree, only leaders or officers of it, or one
/// child unit with its subtree. Built from the officer's own unit, never from input.
async fn target_options(
    conn: &mut Conn,
    officer: &Officer,
    l: &Loc,
) -> Result<Vec<TargetOption>, WebError> {
    let m = &officer.member;
    // Everyone below and beside the officer, not the officer.
    let everyone = directives::subtree_members(conn, &m.unit_path).await? - 1;
    let (leaders, officers) = broadcasts::subtree_roles(conn, &m.unit_path, m.id).await?;
    let mut out = vec![TargetOption {
        value: "all".into(),
        label: l.t("web-bc-target-all"),
        count: everyone,
    }];
    if leaders > 0 {
        out.push(TargetOption {
            value: "leaders".into(),
            label: l.t("web-bc-target-leaders"),
            count: leaders,
        });
    }
    if officers > 0 {
        out.push(TargetOption {
            value: "officers".into(),
            label: l.t("web-bc-target-officers"),
            count: officers,
        });
    }
    for child in directives::children(conn, m.unit_id).await? {
        out.push(TargetOption {
            value: format!("unit:{}", child.id),
            label: child.name,
            count: child.members,
        });
    }
    Ok(out)
}

fn status_label(l: &Loc, status: &str) -> String {
    match status {
        "scheduled" | "sending" | "done" | "cancelled" => l.t(&format!("web-bc-status-{status}")),
        _ => status.to_string(),
    }
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

async fn page(State(state): State<WebState>, officer: Officer) -> Result<Html<String>, WebError> {
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let targets = target_options(&mut conn, &officer, &l).await?;
    let rows = broadcasts::recent_in_subtree(&mut conn, &officer.member.unit_path, 30)
        .await?
        .into_iter()
        .map(|b| Row {
            id: b.id,
            when: format_date_time(if b.status == "scheduled" {
                b.send_at
            } else {
                b.created_at
            }),
            unit: b.unit_name,
            excerpt: excerpt(&b.text),
            status: status_label(&l, &b.status),
            total: b.total,
        })
        .collect();
    let page = ListPage {
        nav: Some(Nav::new(&officer, "broadcasts")),
        csrf: officer.csrf.clone(),
        l,
        targets,
        rows,
        max_chars: MAX_BROADCAST_CHARS,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct NewBroadcast {
    #[serde(default)]
    text: String,
    #[serde(default)]
    target: String,
    /// "now", or "later" with `at`.
    #[serde(default)]
    when: String,
    /// `YYYY-MM-DDTHH:MM`, local time (a datetime-local field).
    #[serde(default)]
    at: String,
    /// "on": members are asked to confirm «Đã nắm».
    #[serde(default)]
    ack: String,
    #[serde(default)]
    ack_remind: String,
}

/// A local date and time from the form, as UTC ms; it must lie ahead, within 90 days.
fn parse_send_at(raw: &str, now: i64) -> Result<i64, WebError> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| WebError::BadInput("web-err-bc-time"))?;
    let at = Ho_Chi_Minh
        .from_local_datetime(&naive)
        .earliest()
        .ok_or(WebError::BadInput("web-err-bc-time"))?
        .timestamp_millis();
    if at <= now || at > now + MAX_SCHEDULE_DAYS * 24 * 3_600_000 {
        return Err(WebError::BadInput("web-err-bc-time-range"));
    }
    Ok(at)
}

async fn create(
    State(state): State<WebState>,
    post: Post<NewBroadcast>,
) -> Result<Response, WebError> {
    let Post { officer, form } = post;
    let m = &officer.member;
    let l = state.loc(m.lang);
    let text = form.text.trim().to_string();
    if text.is_empty() {
        return Err(WebError::BadInput("web-err-bc-empty"));
    }
    if text.chars().count() > MAX_BROADCAST_CHARS {
        return Err(WebError::BadInput("web-err-bc-long"));
    }
    let now = now_ms();
    let send_at = match form.when.as_str() {
        "later" => Some(parse_send_at(&form.at, now)?),
        _ => None,
    };
    let mut tx = state.store.begin().await?;
    // The choice must be one the page offered this officer.
    let options = target_options(&mut tx, &officer, &l).await?;
    let chosen = options
        .iter()
        .find(|o| o.value == form.target)
        .ok_or(WebError::BadInput("web-err-bc-target"))?;
    let (unit_id, role) = match chosen.value.as_str() {
        "all" => (m.unit_id, None),
        "leaders" => (m.unit_id, Some(Role::Leader)),
        "officers" => (m.unit_id, Some(Role::Officer)),
        unit => (
            unit.strip_prefix("unit:")
                .and_then(|id| id.parse().ok())
                .ok_or(WebError::BadInput("web-err-bc-target"))?,
            None,
        ),
    };
    if chosen.count <= 0 {
        return Err(WebError::BadInput("web-err-bc-nobody"));
    }
    let (channel, chat_id) = members::first_chat(&mut tx, m.id)
        .await?
        .ok_or(WebError::NotOfficer)?;
    let effect = BroadcastEffect::Create {
        draft: BroadcastDraft {
            text,
            media: None,
            ack: form.ack == "on",
            ack_remind_days: ack_remind_days(&form.ack_remind)?,
        },
        target: BroadcastTarget {
            unit_id,
            role,
            count: chosen.count,
            label: chosen.label.clone(),
            units: vec![],
        },
        send_at,
    };
    broadcasts::apply(&mut tx, &*state.i18n, m, &channel, &chat_id, &effect, now).await?;
    let id = broadcasts::newest_by_author(&mut tx, m.id)
        .await?
        .ok_or(WebError::NotFound)?;
    tx.commit().await?;
    state.outbox_ready.notify_waiters();
    Ok(Redirect::to(&format!("/broadcasts/{id}")).into_response())
}

async fn detail(
    State(state): State<WebState>,
    officer: Officer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let id = path_id(path)?;
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let b = broadcasts::one_in_subtree(&mut conn, id, &officer.member.unit_path)
        .await?
        .ok_or(WebError::NotFound)?;
    let c = broadcasts::delivery(&mut conn, id).await?;
    let done = c.sent + c.failed + c.unreachable;
    let finished = matches!(b.status.as_str(), "done" | "cancelled") && c.waiting == 0;
    let pct = match b.total {
        t if t <= 0 => 0,
        t if done < t => percent(done, t).min(99),
        _ => 100,
    };
    let page = DetailPage {
        nav: Some(Nav::new(&officer, "broadcasts")),
        csrf: officer.csrf.clone(),
        id,
        unit: b.unit_name,
        text: b.text,
        status: status_label(&l, &b.status),
        when: format_date_time(b.send_at),
        total: b.total,
        sent: c.sent,
        failed: c.failed,
        unreachable: c.unreachable,
        waiting: c.waiting,
        cancelled: c.cancelled,
        pct,
        refresh: (!finished).then_some(REFRESH_SECS),
        can_stop: b.author_member_id == Some(officer.member.id)
            && matches!(b.status.as_str(), "scheduled" | "sending"),
        l,
    };
    Ok(Html(page.render()?))
}

async fn stop(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoFields>,
) -> Result<Response, WebError> {
    let id = path_id(path)?;
    let m = &post.officer.member;
    let mut tx = state.store.begin().await?;
    let b = broadcasts::one_in_subtree(&mut tx, id, &m.unit_path)
        .await?
        .ok_or(WebError::NotFound)?;
    // Only its author stops it, as in chat.
    if b.author_member_id != Some(m.id) {
        return Err(WebError::NotFound);
    }
    let (channel, chat_id) = members::first_chat(&mut tx, m.id)
        .await?
        .ok_or(WebError::NotOfficer)?;
    let effect = BroadcastEffect::Cancel { id };
    broadcasts::apply(
        &mut tx,
        &*state.i18n,
        m,
        &channel,
        &chat_id,
        &effect,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/broadcasts/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_time_must_be_a_real_local_time_ahead() {
        // 2026-12-05 08:00 in Hà Nội is 01:00 UTC.
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 12, 5, 1, 0, 0)
            .single()
            .expect("time")
            .timestamp_millis();
        let at = parse_send_at("2026-12-05T09:30", now).expect("ahead");
        assert_eq!(at - now, 90 * 60_000);
        for bad in [
            "",
            "mai",
            "2026-12-05T07:00",
            "2027-06-01T08:00",
            "2026-13-01T08:00",
        ] {
            assert!(parse_send_at(bad, now).is_err(), "{bad}");
        }
    }
}
