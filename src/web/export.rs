//! Xuất dữ liệu: the chat's four exports (members, signatures, tips, delivery reports)
//! of the officer's subtree, as .xlsx or .csv, built by the same writers. A download is
//! a POST (with the CSRF token) because an export of tips is recorded in `tip_exports`,
//! as a read of every tip in it. Anonymous reporters stay anonymous in the file.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::session::{Officer, Post};
use super::{Loc, Nav, WebError, WebState};
use crate::core::time::now_ms;
use crate::reports::{CHAT_EXPORT_MAX_ROWS, ExportFormat, ExportKind, export};
use crate::store::{reports, tips};

pub fn router() -> Router<WebState> {
    Router::new().route("/export", get(page).post(download))
}

pub struct Kind {
    pub value: &'static str,
    pub label: String,
    pub rows: i64,
}

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage {
    l: Loc,
    nav: Option<Nav>,
    kinds: Vec<Kind>,
    csrf: String,
}

async fn page(State(state): State<WebState>, officer: Officer) -> Result<Html<String>, WebError> {
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let mut kinds = vec![];
    for k in ExportKind::ALL {
        kinds.push(Kind {
            value: k.as_str(),
            label: l.t(&format!("export-what-{}", k.as_str())),
            rows: reports::export_rows(&mut conn, k, &officer.member.unit_path).await?,
        });
    }
    let page = ExportPage {
        nav: Some(Nav::new(&officer, "export")),
        l,
        kinds,
        csrf: officer.csrf.clone(),
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct ExportForm {
    #[serde(default)]
    what: String,
    #[serde(default)]
    format: String,
}

async fn download(
    State(state): State<WebState>,
    post: Post<ExportForm>,
) -> Result<Response, WebError> {
    let Post { officer, form } = post;
    let m = &officer.member;
    let what = ExportKind::parse(&form.what).ok_or(WebError::BadInput("web-err-export-what"))?;
    let format =
        ExportFormat::parse(&form.format).ok_or(WebError::BadInput("web-err-export-format"))?;
    let now = now_ms();
    let mut tx = state.store.begin().await?;
    if reports::export_rows(&mut tx, what, &m.unit_path).await? > CHAT_EXPORT_MAX_ROWS {
        return Err(WebError::BadInput("web-err-export-too-big"));
    }
    let table = reports::export_table(&mut tx, &*state.i18n, m.lang, what, &m.unit_path).await?;
    let bytes = match format {
        ExportFormat::Xlsx => export::to_xlsx(&table),
        ExportFormat::Csv => export::to_csv(&table),
    };
    let Ok(bytes) = bytes else {
        tracing::error!(what = what.as_str(), "console export could not be written");
        return Err(WebError::BadInput("web-err-export-failed"));
    };
    if what == ExportKind::Tips {
        tips::record_export(&mut tx, Some(m.id), m.unit_id, table.rows.len() as i64, now).await?;
    }
    tx.commit().await?;
    metrics::counter!("congdoan_exports_total", "what" => what.as_str()).increment(1);
    let name = export::file_name(what, &m.unit_code, now, format);
    let content_type = match format {
        ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat::Csv => "text/csv; charset=utf-8",
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The name is ASCII by construction (see `export::file_name`).
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
