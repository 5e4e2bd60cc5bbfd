//! The console's one error type, turned into a page at the edge: a clear Vietnamese
//! message, the right status, nothing changed (every action runs in one transaction
//! that is dropped on error) and no detail of the failure shown.

use std::sync::{Arc, OnceLock};

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::{Loc, Nav};
use crate::core::domain::Lang;
use crate::i18n::I18n;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not signed in")]
    SignedOut,
    #[error("not an officer")]
    NotOfficer,
    #[error("CSRF token missing or wrong")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("malformed form")]
    BadForm,
    /// A field that parsed but is not acceptable; the message id says why.
    #[error("bad input: {0}")]
    BadInput(&'static str),
    #[error("request too large")]
    TooLarge,
    #[error("login link used")]
    LinkUsed,
    #[error("login link expired")]
    LinkExpired,
    #[error("login link unknown")]
    LinkUnknown,
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        WebError::Store(StoreError::Db(e))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Loc,
    nav: Option<Nav>,
    title: String,
    message: String,
    hint: String,
}

fn i18n() -> Arc<I18n> {
    static I18N: OnceLock<Arc<I18n>> = OnceLock::new();
    I18N.get_or_init(|| Arc::new(I18n::new())).clone()
}

impl WebError {
    fn status_and_ids(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            WebError::SignedOut => (
                StatusCode::UNAUTHORIZED,
                "web-err-signed-out",
                "web-hint-chat",
            ),
            WebError::NotOfficer => (
                StatusCode::FORBIDDEN,
                "web-err-not-officer",
                "web-hint-none",
            ),
            WebError::Forbidden => (StatusCode::FORBIDDEN, "web-err-csrf", "web-hint-reload"),
            WebError::NotFound => (StatusCode::NOT_FOUND, "web-err-not-found", "web-hint-home"),
            WebError::BadForm => (StatusCode::BAD_REQUEST, "web-err-bad-form", "web-hint-back"),
            WebError::BadInput(id) => (StatusCode::BAD_REQUEST, id, "web-hint-back"),
            WebError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "web-err-too-large",
                "web-hint-back",
            ),
            WebError::LinkUsed => (StatusCode::GONE, "web-err-link-used", "web-hint-chat"),
            WebError::LinkExpired => (StatusCode::GONE, "web-err-link-expired", "web-hint-chat"),
            WebError::LinkUnknown => (
                StatusCode::NOT_FOUND,
                "web-err-link-unknown",
                "web-hint-chat",
            ),
            WebError::Store(_) | WebError::Render(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "web-err-internal",
                "web-hint-later",
            ),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, message, hint) = self.status_and_ids();
        if status.is_server_error() {
            tracing::error!(error = %self, "console request failed");
        }
        let l = Loc {
            i18n: i18n(),
            lang: Lang::Vi,
        };
        let page = ErrorPage {
            title: l.t("web-err-title"),
            message: l.t(message),
            hint: l.t(hint),
            nav: None,
            l,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, "Lỗi / Error").into_response(),
        }
    }
}
