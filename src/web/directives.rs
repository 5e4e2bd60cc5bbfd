//! Văn bản: an officer uploads a letter (.docx or .txt) or pastes its text, reads the
//! facts and the phone-sized summary the parser made, edits them, chooses the whole
//! subtree or some child units and publishes; the page lists what was published below
//! with how many it reached. The draft comes from `core::conversation::draft_from` and
//! publishing goes through `store::directives::publish`, as in chat; the parsed facts
//! travel in the form, so they are decoded and checked again when they come back.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::session::{Officer, Post, constant_time_eq};
use super::{Loc, Nav, WebError, WebState, ack_remind_days};
use crate::core::conversation::{
    Draft, EDITED_SUMMARY_MAX, SuggestedDate, broadcast_text, draft_from, suggested_dates,
};
use crate::core::directive::{self, Directive, MAX_INPUT_BYTES};
use crate::core::time::{format_date_time, now_ms};
use crate::store::{campaigns, directives, members};

/// An upload: the document and the form around it.
const UPLOAD_LIMIT: usize = MAX_INPUT_BYTES + 64 * 1024;
/// The draft form carries the parsed facts back (JSON of a ≤ 1 MB document's facts).
const PUBLISH_LIMIT: usize = 512 * 1024;
const TITLE_MAX: usize = 200;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/directives", get(page))
        .route(
            "/directives/draft",
            post(draft).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/directives/publish",
            post(publish).layer(DefaultBodyLimit::max(PUBLISH_LIMIT)),
        )
}

pub struct PublishedRow {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub when: String,
    pub sent_to: i64,
    pub delivered: i64,
}

#[derive(Template)]
#[template(path = "directives.html")]
struct ListPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    rows: Vec<PublishedRow>,
    flash: Option<String>,
}

pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub members: i64,
}

#[derive(Template)]
#[template(path = "directive_draft.html")]
struct DraftPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    title: String,
    summary: String,
    facts: String,
    dates: Vec<String>,
    cited: Vec<String>,
    reporting: Option<String>,
    subtree_members: i64,
    children: Vec<UnitChoice>,
    summary_max: usize,
}

async fn page(
    State(state): State<WebState>,
    officer: Officer,
    query: axum::extract::Query<Vec<(String, String)>>,
) -> Result<Html<String>, WebError> {
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let rows = directives::recent_in_subtree(&mut conn, &officer.member.unit_path, 30)
        .await?
        .into_iter()
        .map(|d| PublishedRow {
            id: d.id,
            title: d.title,
            unit: d.unit_name,
            when: format_date_time(d.published_at),
            sent_to: d.sent_to,
            delivered: d.delivered,
        })
        .collect();
    // Only a count is read from the query string, never text to show.
    let flash = query
        .iter()
        .find(|(k, _)| k == "sent")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .map(|n| l.tr("web-dir-published", &[("n", n.into())]));
    let page = ListPage {
        nav: Some(Nav::new(&officer, "directives")),
        csrf: officer.csrf.clone(),
        l,
        rows,
        flash,
    };
    Ok(Html(page.render()?))
}

/// The document (or pasted text) from the upload form, once its CSRF token checked out.
async fn read_upload(officer: &Officer, mut form: Multipart) -> Result<Vec<u8>, WebError> {
    let mut csrf_ok = false;
    let (mut file, mut pasted) = (Vec::new(), String::new());
    while let Some(field) = form.next_field().await.map_err(|_| WebError::BadForm)? {
        match field.name().unwrap_or_default() {
            "csrf" => {
                let given = field.text().await.map_err(|_| WebError::BadForm)?;
                csrf_ok = constant_time_eq(given.as_bytes(), officer.csrf.as_bytes());
            }
            // Fields after a wrong token are never read.
            _ if !csrf_ok => return Err(WebError::Forbidden),
            "file" => {
                file = field
                    .bytes()
                    .await
                    .map_err(|_| WebError::TooLarge)?
                    .to_vec()
            }
            "text" => pasted = field.text().await.map_err(|_| WebError::BadForm)?,
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(WebError::Forbidden);
    }
    let bytes = if file.is_empty() {
        pasted.into_bytes()
    } else {
        file
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(WebError::BadInput("web-err-dir-empty"));
    }
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(WebError::TooLarge);
    }
    Ok(bytes)
}

async fn draft(
    State(state): State<WebState>,
    officer: Officer,
    form: Multipart,
) -> Result<Html<String>, WebError> {
    let bytes = read_upload(&officer, form).await?;
    let d = directive::parse_bytes(&bytes).map_err(|_| WebError::BadInput("web-err-dir-parse"))?;
    let l = state.loc(officer.member.lang);
    let draft = draft_from(&state.i18n, officer.member.lang, &d);
    render_draft(&state, &officer, l, draft, &d).await
}

async fn render_draft(
    state: &WebState,
    officer: &Officer,
    l: Loc,
    draft: Draft,
    d: &Directive,
) -> Result<Html<String>, WebError> {
    let m = &officer.member;
    let mut conn = state.store.pool().acquire().await?;
    let children = directives::children(&mut conn, m.unit_id)
        .await?
        .into_iter()
        .map(|c| UnitChoice {
            id: c.id,
            name: c.name,
            members: c.members,
        })
        .collect();
    let page = DraftPage {
        nav: Some(Nav::new(officer, "directives")),
        csrf: officer.csrf.clone(),
        title: draft.title,
        summary: draft.summary,
        facts: draft.facts,
        dates: draft.dates.iter().map(date_label).collect(),
        cited: d
            .citations
            .iter()
            .map(|c| match c.date {
                Some(date) => format!("{} {} ({})", c.kind, c.number, date.format("%d/%m/%Y")),
                None => format!("{} {}", c.kind, c.number),
            })
            .collect(),
        reporting: d.reporting.clone(),
        subtree_members: directives::subtree_members(&mut conn, &m.unit_path).await? - 1,
        children,
        summary_max: EDITED_SUMMARY_MAX,
        l,
    };
    Ok(Html(page.render()?))
}

fn date_label(d: &SuggestedDate) -> String {
    format!("{}/{} · {}", d.day, d.month, d.label)
}

async fn publish(
    State(state): State<WebState>,
    post: Post<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let Post { officer, form } = post;
    let m = &officer.member;
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    // The facts come back from the browser: decoded again, never trusted as they are.
    let d: Directive = serde_json::from_str(&field("facts"))
        .map_err(|_| WebError::BadInput("web-err-dir-facts"))?;
    let (title, summary) = (field("title"), field("summary"));
    if title.is_empty() || summary.is_empty() {
        return Err(WebError::BadInput("web-err-dir-empty-summary"));
    }
    if title.chars().count() > TITLE_MAX || summary.chars().count() > EDITED_SUMMARY_MAX {
        return Err(WebError::BadInput("web-err-dir-long"));
    }
    let mut tx = state.store.begin().await?;
    let children = directives::children(&mut tx, m.unit_id).await?;
    let unit_ids: Vec<i64> = if field("to") == "units" {
        let mut chosen = vec![];
        for (_, v) in form.iter().filter(|(k, _)| k == "unit") {
            // Only the units the page offered this officer.
            let unit = children
                .iter()
                .find(|c| c.id.to_string() == *v)
                .ok_or(WebError::BadInput("web-err-dir-target"))?;
            if !chosen.contains(&unit.id) {
                chosen.push(unit.id);
            }
        }
        if chosen.is_empty() {
            return Err(WebError::BadInput("web-err-dir-no-target"));
        }
        chosen
    } else {
        vec![m.unit_id]
    };
    let draft = Draft {
        title,
        summary,
        facts: serde_json::to_string(&d).unwrap_or_else(|_| "{}".into()),
        dates: suggested_dates(&d),
        ack: field("ack") == "on",
        ack_remind_days: ack_remind_days(&field("ack_remind"))?,
    };
    let reply_to = members::first_chat(&mut tx, m.id).await?;
    let author = directives::Author {
        member_id: m.id,
        unit_id: m.unit_id,
        unit_path: &m.unit_path,
        reply_to: reply_to
            .as_ref()
            .map(|(channel, chat)| (channel.as_str(), chat.as_str(), m.lang)),
    };
    let text_for = |lang| broadcast_text(&state.i18n, lang, &m.unit_name, &draft.summary);
    let reached = directives::publish(
        &mut tx,
        &*state.i18n,
        &author,
        &unit_ids,
        &draft,
        text_for,
        now_ms(),
    )
    .await?;
    if field("dates") == "on" && !draft.dates.is_empty() {
        campaigns::create(&mut tx, &m.unit_path, &unit_ids, &draft.dates, now_ms()).await?;
    }
    tx.commit().await?;
    metrics::counter!("congdoan_directives_published_total").increment(1);
    state.outbox_ready.notify_waiters();
    Ok(Redirect::to(&format!("/directives?sent={reached}")).into_response())
}
