//! Signing in with the one-time link, and signing out.
//!
//! `GET /login?t=…` only looks at the link and shows a button: link previews (a chat
//! app fetching the URL to draw a card) must not use up the link. `POST /login` uses
//! it (once, within 10 minutes) and opens the session. The login form has no CSRF token
//! (there is no session yet): the one-time token is its proof.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::session::{self, COOKIE_NAME, LinkState, NoFields, Officer, Post};
use super::{Loc, Nav, WebError, WebState};
use crate::core::domain::{Lang, Role};
use crate::core::time::now_ms;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    t: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Loc,
    nav: Option<Nav>,
    token: String,
}

#[derive(Template)]
#[template(path = "signed_out.html")]
struct SignedOutPage {
    l: Loc,
    nav: Option<Nav>,
}

fn link_error(state: LinkState) -> WebError {
    match state {
        LinkState::Used => WebError::LinkUsed,
        LinkState::Expired => WebError::LinkExpired,
        LinkState::Valid | LinkState::Unknown => WebError::LinkUnknown,
    }
}

async fn login_page(
    State(state): State<WebState>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let token = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str::<TokenField>(q).ok())
        .map(|f| f.t)
        .unwrap_or_default();
    let mut conn = state.store.pool().acquire().await?;
    match session::login_state(&mut conn, &token, now_ms()).await? {
        LinkState::Valid => {}
        other => return Err(link_error(other)),
    }
    let page = LoginPage {
        l: state.loc(Lang::Vi),
        nav: None,
        token,
    };
    Ok(Html(page.render()?))
}

async fn login(
    State(state): State<WebState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    // A form posted from another site must not sign this browser in (login CSRF): the
    // browser says where the form came from.
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(WebError::Forbidden);
    }
    let token = serde_urlencoded::from_bytes::<TokenField>(&body)
        .map_err(|_| WebError::BadForm)?
        .t;
    let now = now_ms();
    let mut tx = state.store.begin().await?;
    let Some(member_id) = session::consume_login(&mut tx, &token, now).await? else {
        let why = session::login_state(&mut tx, &token, now).await?;
        return Err(link_error(why));
    };
    // Still an officer? (The role may have changed since the link was sent.)
    match session::member_view(&mut tx, member_id).await? {
        Some(m) if m.role == Role::Officer => {}
        _ => return Err(WebError::NotOfficer),
    }
    let id = session::create_session(&mut tx, member_id, state.idle_ms, now).await?;
    tx.commit().await?;
    tracing::info!(member = member_id, "console session opened");
    let secure = if state.secure_cookie { "; Secure" } else { "" };
    let cookie = format!("{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Strict{secure}");
    let mut res = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

async fn logout(State(state): State<WebState>, post: Post<NoFields>) -> Result<Response, WebError> {
    let Post { officer, .. } = post;
    let Officer {
        session_hash,
        member,
        ..
    } = officer;
    let mut conn = state.store.pool().acquire().await?;
    session::end_one(&mut conn, &session_hash).await?;
    let page = SignedOutPage {
        l: state.loc(member.lang),
        nav: None,
    };
    let mut res = (StatusCode::OK, Html(page.render()?)).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("cd_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(res)
}
