//! The officers' web console, served beside the webhooks on `CONGDOAN_LISTEN`.
//!
//! Server-rendered pages (askama, escaped by default), plain forms, no script. Login is
//! only by a one-time link from `/web` in chat; every page and action reads the officer
//! from the session and calls the same store functions as the chat flows, which check
//! the officer's subtree themselves. One module per feature, each with its router; one
//! error type ([`WebError`]) turned into a Vietnamese page at the edge.

pub mod audit;
pub mod broadcasts;
pub mod chat;
pub mod commitments;
pub mod dashboard;
pub mod directives;
mod error;
pub mod export;
pub mod login;
pub mod map;
pub mod oa_image;
pub mod org;
pub mod poster;
pub mod session;
pub mod tips;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Notify;

pub use error::WebError;

use crate::core::domain::Lang;
use crate::i18n::I18n;
use crate::store::Store;

/// Largest request body the console reads (its forms are short notes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Default idle time before a session ends.
pub const DEFAULT_IDLE_HOURS: u32 = 8;
/// The setting that holds the console's base URL, for the links `/web` sends.
pub const BASE_URL_SETTING: &str = "web_base_url";

#[derive(Clone)]
pub struct WebState {
    pub store: Store,
    pub i18n: Arc<I18n>,
    /// Rung after an action queued messages (the reporter told of a taken tip).
    pub outbox_ready: Arc<Notify>,
    /// Cookies get `Secure` when the console is reached over https.
    pub secure_cookie: bool,
    /// Idle time before a session ends (ms).
    pub idle_ms: i64,
    /// The tile server of the tips map; `None`: no map, no tile requests.
    pub map_tiles: Option<map::MapTiles>,
}

impl WebState {
    pub fn loc(&self, lang: Lang) -> Loc {
        Loc {
            i18n: self.i18n.clone(),
            lang,
        }
    }
}

/// Strings for one page, in the officer's language.
#[derive(Clone)]
pub struct Loc {
    i18n: Arc<I18n>,
    lang: Lang,
}

impl Loc {
    pub fn t(&self, id: &str) -> String {
        self.i18n.s(self.lang, id)
    }

    pub fn tr(&self, id: &str, args: &[(&str, crate::i18n::Arg)]) -> String {
        self.i18n.t(self.lang, id, args)
    }

    pub fn lang(&self) -> &'static str {
        self.lang.as_str()
    }
}

/// What the header of every signed-in page shows.
pub struct Nav {
    pub name: String,
    pub unit: String,
    pub csrf: String,
    /// Which tab is lit: "home", "org", "tips", "audit", "export"…
    pub current: &'static str,
}

impl Nav {
    pub fn new(officer: &session::Officer, current: &'static str) -> Self {
        Nav {
            name: officer.member.display_name.clone(),
            unit: officer.member.unit_name.clone(),
            csrf: officer.csrf.clone(),
            current,
        }
    }
}

/// The console's routes, with their security headers, body limit and 404 page. The
/// caller merges it beside the webhooks (which keep their own handling).
pub fn router(state: WebState) -> Router {
    Router::new()
        .merge(login::router())
        .merge(dashboard::router())
        .merge(org::router())
        .merge(map::router())
        .merge(tips::router())
        .merge(broadcasts::router())
        .merge(directives::router())
        .merge(commitments::router())
        .merge(audit::router())
        .merge(export::router())
        .merge(poster::router())
        .merge(oa_image::router())
        .route("/assets/console.css", get(stylesheet))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            state.map_tiles.as_ref().map(|t| t.origin().to_string()),
            security_headers,
        ))
        .with_state(state)
}

async fn not_found() -> WebError {
    WebError::NotFound
}

const STYLESHEET: &str = include_str!("../../assets/web/console.css");

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// No script runs but ours (there is none), nothing is framed, nothing is sniffed, no
/// URL (a login token) leaks through Referer, and pages are not cached.
/// The map's tile server, when one is configured, is the one other place images may
/// come from.
async fn security_headers(
    axum::extract::State(tiles): axum::extract::State<Option<String>>,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let img = match &tiles {
        Some(origin) => format!("img-src 'self' data: {origin}"),
        None => "img-src 'self' data:".to_string(),
    };
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; {img}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// "1 giờ 20 phút" from minutes (days past 48 hours).
pub fn duration(l: &Loc, minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    if minutes >= 48 * 60 {
        l.tr("web-duration-dh", &[("d", d.into()), ("h", h.into())])
    } else if minutes >= 60 && m == 0 {
        l.tr("web-duration-h", &[("h", (minutes / 60).into())])
    } else if minutes >= 60 {
        l.tr(
            "web-duration-hm",
            &[("h", (minutes / 60).into()), ("m", m.into())],
        )
    } else {
        l.tr("web-duration-m", &[("m", m.into())])
    }
}

/// The «Đã nắm» reminder choice of a form: never, daily or every 3 days (as in chat).
pub fn ack_remind_days(raw: &str) -> Result<u32, WebError> {
    match raw.trim() {
        "" | "0" => Ok(0),
        "1" => Ok(1),
        "3" => Ok(3),
        _ => Err(WebError::BadInput("web-err-ack-remind")),
    }
}

/// A path parameter that must be an id; anything else is a 404 (as a missing row).
pub fn parse_id(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(WebError::NotFound)
}

/// An id from the path (`/tips/{id}`): a missing or malformed one is a 404.
pub fn path_id(
    path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<i64, WebError> {
    let Ok(axum::extract::Path(raw)) = path else {
        return Err(WebError::NotFound);
    };
    parse_id(&raw)
}

/// Whether the console is reached over https (its cookie is then `Secure`).
pub fn is_https(public_url: Option<&str>) -> bool {
    public_url.is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
}

/// The base of console links: the public URL, or else the address the bot listens on
/// (a wildcard address is reached on the loopback, e.g. `http://127.0.0.1:8080`).
pub fn base_url(public_url: Option<&str>, local: std::net::SocketAddr) -> String {
    if let Some(u) = public_url.map(str::trim).filter(|u| !u.is_empty()) {
        return u.trim_end_matches('/').to_string();
    }
    let ip = match local.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        }
        ip => ip,
    };
    format!("http://{}", std::net::SocketAddr::new(ip, local.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_to_the_public_url_or_the_loopback() {
        let any: std::net::SocketAddr = "0.0.0.0:8080".parse().expect("addr");
        assert_eq!(base_url(None, any), "http://127.0.0.1:8080");
        assert_eq!(
            base_url(Some("https://bot.example.org/"), any),
            "https://bot.example.org"
        );
        assert!(is_https(Some("HTTPS://x")));
        assert!(!is_https(Some("http://x")) && !is_https(None));
    }

    #[test]
    fn tokens_are_random_hex_and_checked_before_use() {
        let a = session::random_token();
        assert!(session::well_formed(&a));
        assert_ne!(a, session::random_token());
        assert!(!session::well_formed("../etc/passwd"));
        assert!(!session::well_formed(&"é".repeat(32)));
        assert_eq!(session::hash(&a).len(), 64);
    }
}
