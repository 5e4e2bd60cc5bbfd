//! Login links and sessions: random tokens (256 bits) of which only SHA-256 hashes are
//! stored; the session id travels in an HttpOnly, SameSite=Strict cookie; the CSRF
//! token is bound to the session row. Every request re-reads the officer (unit, role)
//! from the members table, so a demoted or deleted officer is out at once.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use rand::RngCore;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{WebError, WebState};
use crate::core::conversation::MemberView;
use crate::core::domain::Role;
use crate::store::{Conn, StoreError, members};

/// A login link works once, for this long.
pub const LINK_VALID_MS: i64 = 10 * 60 * 1000;
/// The cookie that carries the session id.
pub const COOKIE_NAME: &str = "cd_session";

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A token as we make them: 64 lower-case hex digits. Anything else is refused before
/// it reaches the database.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Store a fresh one-time link for `member_id`; returns the token for the URL. Links
/// and sessions that expired are swept at the same time.
pub async fn create_login(conn: &mut Conn, member_id: i64, now: i64) -> Result<String, StoreError> {
    sqlx::query("DELETE FROM web_logins WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM web_sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let token = random_token();
    sqlx::query(
        "INSERT INTO web_logins (token_hash, member_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(hash(&token))
    .bind(member_id)
    .bind(now)
    .bind(now + LINK_VALID_MS)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// What a login link says, without using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Valid,
    Used,
    Expired,
    Unknown,
}

pub async fn login_state(conn: &mut Conn, token: &str, now: i64) -> Result<LinkState, StoreError> {
    if !well_formed(token) {
        return Ok(LinkState::Unknown);
    }
    let row = sqlx::query("SELECT expires_at, used_at FROM web_logins WHERE token_hash = $1")
        .bind(hash(token))
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Ok(LinkState::Unknown);
    };
    let used: Option<i64> = r.try_get("used_at")?;
    let expires: i64 = r.try_get("expires_at")?;
    Ok(if used.is_some() {
        LinkState::Used
    } else if expires <= now {
        LinkState::Expired
    } else {
        LinkState::Valid
    })
}

/// Use a link: marks it used (only if it was valid, so two tabs can't both log in) and
/// returns its member.
pub async fn consume_login(
    conn: &mut Conn,
    token: &str,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    if !well_formed(token) {
        return Ok(None);
    }
    let token_hash = hash(token);
    let changed = sqlx::query(
        "UPDATE web_logins SET used_at = $1
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(&token_hash)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(None);
    }
    let r = sqlx::query("SELECT member_id FROM web_logins WHERE token_hash = $1")
        .bind(&token_hash)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some(r.try_get("member_id")?))
}

/// Open a session (with its own CSRF token); returns the session id for the cookie.
pub async fn create_session(
    conn: &mut Conn,
    member_id: i64,
    idle_ms: i64,
    now: i64,
) -> Result<String, StoreError> {
    let id = random_token();
    sqlx::query(
        "INSERT INTO web_sessions (id_hash, member_id, csrf, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(hash(&id))
    .bind(member_id)
    .bind(random_token())
    .bind(now)
    .bind(now + idle_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// End every session of the member (`/web thoat`); returns how many there were.
pub async fn end_all(conn: &mut Conn, member_id: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM web_sessions WHERE member_id = $1")
        .bind(member_id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

pub async fn end_one(conn: &mut Conn, id_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The member as the chat sees them (same lookup as the processor's), by id.
pub async fn member_view(
    conn: &mut Conn,
    member_id: i64,
) -> Result<Option<MemberView>, StoreError> {
    let row = sqlx::query(
        "SELECT channel, external_id FROM identities WHERE member_id = $1
         ORDER BY channel, external_id LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let channel: String = r.try_get("channel")?;
    let external: String = r.try_get("external_id")?;
    members::by_identity(conn, &channel, &external).await
}

/// The session id in the request's cookies, if any (never trusted beyond its lookup).
fn session_cookie(parts: &Parts) -> Option<String> {
    for value in parts.headers.get_all(COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, v)) = pair.trim().split_once('=')
                && name == COOKIE_NAME
                && well_formed(v)
            {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// A signed-in officer: every console page takes one. Missing, unknown or idle
/// sessions, and members who are no longer officers, get the "sign in from chat" page.
pub struct Officer {
    pub member: MemberView,
    pub csrf: String,
    pub session_hash: String,
}

impl FromRequestParts<WebState> for Officer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, WebError> {
        let Some(id) = session_cookie(parts) else {
            return Err(WebError::SignedOut);
        };
        let now = crate::core::time::now_ms();
        let id_hash = hash(&id);
        let mut conn = state.store.pool().acquire().await?;
        let row =
            sqlx::query("SELECT member_id, csrf, expires_at FROM web_sessions WHERE id_hash = $1")
                .bind(&id_hash)
                .fetch_optional(&mut *conn)
                .await?;
        let Some(r) = row else {
            return Err(WebError::SignedOut);
        };
        let expires: i64 = r.try_get("expires_at")?;
        if expires <= now {
            end_one(&mut conn, &id_hash).await?;
            return Err(WebError::SignedOut);
        }
        let member_id: i64 = r.try_get("member_id")?;
        let csrf: String = r.try_get("csrf")?;
        let Some(member) = member_view(&mut conn, member_id).await? else {
            end_one(&mut conn, &id_hash).await?;
            return Err(WebError::SignedOut);
        };
        if member.role != Role::Officer {
            end_one(&mut conn, &id_hash).await?;
            return Err(WebError::NotOfficer);
        }
        // Idle expiry: each request moves it forward.
        sqlx::query(
            "UPDATE web_sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
        )
        .bind(now)
        .bind(now + state.idle_ms)
        .bind(&id_hash)
        .execute(&mut *conn)
        .await?;
        Ok(Officer {
            member,
            csrf,
            session_hash: id_hash,
        })
    }
}

/// A POST whose only field is the CSRF token (take, stop, close, sign out).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// A POST form from a signed-in officer: the CSRF token is checked before anything
/// else is read (a wrong or missing one is a 403 that changes nothing), then the
/// fields are decoded (a malformed form is a 400).
pub struct Post<T> {
    pub officer: Officer,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<WebState> for Post<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &WebState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let officer = Officer::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| WebError::TooLarge)?;
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::Forbidden)?;
        let given = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        if !constant_time_eq(given.as_bytes(), officer.csrf.as_bytes()) {
            tracing::warn!("console POST refused: missing or wrong CSRF token");
            return Err(WebError::Forbidden);
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::BadForm)?;
        Ok(Post { officer, form })
    }
}
