//! Tổng quan: a unit of the officer's subtree and each of its child units, every figure
//! over the whole subtree below it: members, reachable, each open commitment's
//! progress, «Đã nắm» confirmations of the newest directives and broadcasts that asked,
//! open and overdue tips. The figures come from the store functions of the
//! weekly digest and `/tonghop`, so the console and the chat never disagree.

use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use sqlx::Row;

use super::session::Officer;
use super::{Loc, Nav, WebError, WebState, path_id};
use crate::core::conversation::{AckRollup, Rollup};
use crate::core::text::percent;
use crate::core::time::now_ms;
use crate::store::{Conn, acknowledgements, commitments, tallies, tips};

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(home))
        .route("/units/{id}", get(unit))
}

pub struct UnitFigures {
    pub unit_id: i64,
    pub name: String,
    pub members: i64,
    pub reachable: i64,
    pub open_tips: i64,
    pub overdue: i64,
    /// One cell per open commitment: "signed/scope (pct%)".
    pub commitments: Vec<String>,
    /// One cell per directive or broadcast that asked «Đã nắm»: "confirmed/sent (pct%)".
    pub acknowledgements: Vec<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Loc,
    nav: Option<Nav>,
    unit_name: String,
    /// The unit above, when it is still inside the officer's subtree.
    up: Option<i64>,
    commitment_titles: Vec<String>,
    /// The newest directives and broadcasts that asked members to confirm «Đã nắm».
    ack_titles: Vec<String>,
    total: UnitFigures,
    children: Vec<UnitFigures>,
}

async fn home(State(state): State<WebState>, officer: Officer) -> Result<Html<String>, WebError> {
    let id = officer.member.unit_id;
    render(&state, &officer, id).await
}

async fn unit(
    State(state): State<WebState>,
    officer: Officer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, WebError> {
    render(&state, &officer, path_id(path)?).await
}

pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub parent_id: Option<i64>,
}

/// A unit, only if it lies in the officer's subtree (the same prefix rule as every
/// store check); anything else is "not found".
pub async fn unit_in_scope(
    conn: &mut Conn,
    officer: &Officer,
    id: i64,
) -> Result<UnitRow, WebError> {
    let row = sqlx::query("SELECT id, name, path, parent_id FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Err(WebError::NotFound);
    };
    let unit = UnitRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        path: r.try_get("path")?,
        parent_id: r.try_get("parent_id")?,
    };
    if !unit.path.starts_with(&officer.member.unit_path) {
        return Err(WebError::NotFound);
    }
    Ok(unit)
}

/// "done/total (pct%)" of `unit` in roll-up rows, or "—" when it has none.
fn cell(rows: &[crate::core::conversation::RollupRow], unit: i64) -> String {
    match rows.iter().find(|row| row.unit_id == unit) {
        Some(row) => format!(
            "{}/{} ({}%)",
            row.signed,
            row.scope,
            percent(row.signed, row.scope)
        ),
        None => "—".to_string(),
    }
}

/// The figures the page shows: the open commitments and «Đã nắm» requests, the unit
/// over its whole subtree, and each child unit over its own (also what the dashboard
/// bench times). Members and signatures come from the per-unit counters
/// (store::tallies), open tips from the tips themselves.
pub async fn figures_below(conn: &mut Conn, unit: &UnitRow, now: i64) -> Result<Below, WebError> {
    let counts = tallies::MemberCounts::load(conn, &unit.path).await?;
    let rollups = commitments::rollups_with(conn, &counts, unit.id, &unit.path).await?;
    let acks = acknowledgements::rollups(conn, unit.id, &unit.path).await?;
    let members = counts.below(&unit.path);
    let tips = tips::open_below(conn, &unit.path, now).await?;
    let figures = |id: i64, name: String| {
        let [members, reachable] = members.of(unit.id, id);
        let [open_tips, overdue] = tips.of(unit.id, id);
        UnitFigures {
            unit_id: id,
            name,
            members,
            reachable,
            open_tips,
            overdue,
            commitments: rollups.iter().map(|r| cell(&r.rows, id)).collect(),
            acknowledgements: acks.iter().map(|a| cell(&a.rows, id)).collect(),
        }
    };
    let mut rows = tallies::unit_and_children(conn, unit.id)
        .await?
        .into_iter()
        .map(|(id, name)| figures(id, name));
    let total = rows
        .next()
        .unwrap_or_else(|| figures(unit.id, unit.name.clone()));
    let children = rows.collect();
    Ok(Below {
        rollups,
        acks,
        total,
        children,
    })
}

/// What [`figures_below`] finds.
pub struct Below {
    pub rollups: Vec<Rollup>,
    pub acks: Vec<AckRollup>,
    pub total: UnitFigures,
    pub children: Vec<UnitFigures>,
}

async fn render(state: &WebState, officer: &Officer, id: i64) -> Result<Html<String>, WebError> {
    let now = now_ms();
    let mut conn = state.store.pool().acquire().await?;
    let unit = unit_in_scope(&mut conn, officer, id).await?;
    let Below {
        rollups,
        acks,
        total,
        children: rows,
    } = figures_below(&mut conn, &unit, now).await?;
    let up = unit.parent_id.filter(|_| unit.id != officer.member.unit_id);
    let page = DashboardPage {
        l: state.loc(officer.member.lang),
        nav: Some(Nav::new(officer, "home")),
        unit_name: unit.name,
        up,
        commitment_titles: rollups
            .iter()
            .map(|r| crate::core::conversation::title_of(&r.title))
            .collect(),
        ack_titles: acks.iter().map(|a| a.title.clone()).collect(),
        total,
        children: rows,
    };
    Ok(Html(page.render()?))
}
