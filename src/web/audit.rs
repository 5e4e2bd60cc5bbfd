//! Nhật ký: who read which tip of the subtree (`tip_reads`, written by the chat and the
//! console alike), and every export of the subtree's tips (`tip_exports`), newest first.
//! Only officers' names appear; a tip is named by its receipt code, never its reporter.
//! Below them, the officers' actions on the tree (`officer_audit`: invites, units, roles,
//! members moving), read by the same store function as `/donvi`'s «Nhật ký».

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use sqlx::Row;

use super::session::Officer;
use super::{Loc, Nav, WebError, WebState};
use crate::core::time::format_date_time;
use crate::core::tip::ReceiptCode;

/// Rows shown per table.
const LIMIT: i64 = 200;

pub fn router() -> Router<WebState> {
    Router::new().route("/audit", get(audit))
}

pub struct ReadRow {
    pub at: String,
    pub who: String,
    pub tip_id: i64,
    pub code: String,
    pub unit: String,
}

pub struct ActionRow {
    pub at: String,
    pub who: String,
    pub what: String,
    pub unit: String,
    pub member: String,
    pub detail: String,
}

pub struct ExportRow {
    pub at: String,
    pub who: String,
    pub unit: String,
    pub tips: i64,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Loc,
    nav: Option<Nav>,
    reads: Vec<ReadRow>,
    exports: Vec<ExportRow>,
    actions: Vec<ActionRow>,
}

async fn audit(State(state): State<WebState>, officer: Officer) -> Result<Html<String>, WebError> {
    let l = state.loc(officer.member.lang);
    let scope = format!("{}%", officer.member.unit_path);
    let mut conn = state.store.pool().acquire().await?;
    let gone = l.t("web-audit-deleted-member");
    let reads = sqlx::query(
        "SELECT r.at, r.tip_id, t.receipt_code, u.name AS unit_name, m.display_name
         FROM tip_reads r
         JOIN tips t ON t.id = r.tip_id
         JOIN units u ON u.id = t.unit_id
         LEFT JOIN members m ON m.id = r.member_id
         WHERE u.path LIKE $1
         ORDER BY r.at DESC, r.tip_id DESC LIMIT $2",
    )
    .bind(&scope)
    .bind(LIMIT)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.try_get("receipt_code")?;
        Ok(ReadRow {
            at: format_date_time(r.try_get("at")?),
            who: r
                .try_get::<Option<String>, _>("display_name")?
                .unwrap_or_else(|| gone.clone()),
            tip_id: r.try_get("tip_id")?,
            code: ReceiptCode::parse(&code)
                .map(|c| c.grouped())
                .unwrap_or(code),
            unit: r.try_get("unit_name")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let server = l.t("web-audit-command-line");
    let exports = sqlx::query(
        "SELECT e.at, e.tips, e.member_id, u.name AS unit_name, m.display_name
         FROM tip_exports e
         JOIN units u ON u.id = e.unit_id
         LEFT JOIN members m ON m.id = e.member_id
         WHERE u.path LIKE $1
         ORDER BY e.at DESC, e.id DESC LIMIT $2",
    )
    .bind(&scope)
    .bind(LIMIT)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let who = match (
            r.try_get::<Option<i64>, _>("member_id")?,
            r.try_get::<Option<String>, _>("display_name")?,
        ) {
            (_, Some(name)) => name,
            (Some(_), None) => gone.clone(),
            (None, None) => server.clone(),
        };
        Ok(ExportRow {
            at: format_date_time(r.try_get("at")?),
            who,
            unit: r.try_get("unit_name")?,
            tips: r.try_get("tips")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let actions =
        crate::store::audit::recent_in_subtree(&mut conn, &officer.member.unit_path, LIMIT)
            .await
            .map_err(WebError::Store)?
            .into_iter()
            .map(|a| ActionRow {
                at: format_date_time(a.at),
                who: a.actor.unwrap_or_else(|| gone.clone()),
                what: l.t(&format!("audit-{}", a.action.replace(['.', '_'], "-"))),
                unit: match a.other_unit {
                    Some(o) => format!("{} ← {o}", a.unit),
                    None => a.unit,
                },
                member: a.member.unwrap_or_default(),
                detail: a.detail,
            })
            .collect();
    let page = AuditPage {
        nav: Some(Nav::new(&officer, "audit")),
        l,
        reads,
        exports,
        actions,
    };
    Ok(Html(page.render()?))
}
