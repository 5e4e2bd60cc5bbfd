//! `GET /poster/CODE.png`: the printable poster of a usable invite, so Zalo (which
//! takes a photo only by URL) can show it too. The code is the only key: whoever has it
//! may join anyway, and an unknown, expired or used-up code is a plain 404.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{WebError, WebState};
use crate::core::domain::InviteCode;
use crate::core::time::now_ms;
use crate::store::invites;

pub fn router() -> Router<WebState> {
    Router::new().route("/poster/{file}", get(poster))
}

/// The poster's URL under the console's base (`None` when the base is not https: a
/// platform could not fetch it).
pub fn url(base: &str, code: &InviteCode) -> Option<String> {
    super::is_https(Some(base)).then(|| {
        format!(
            "{}/poster/{}.png",
            base.trim_end_matches('/'),
            code.as_str()
        )
    })
}

async fn poster(
    State(state): State<WebState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let code = file
        .strip_suffix(".png")
        .and_then(|c| InviteCode::parse(c).ok())
        .filter(|c| file.len() == c.as_str().len() + 4)
        .ok_or(WebError::NotFound)?;
    let mut conn = state.store.pool().acquire().await?;
    let Some((unit_name, expires_at)) = invites::usable(&mut conn, &code, now_ms()).await? else {
        return Err(WebError::NotFound);
    };
    let link = crate::officer::invite_link(&mut conn, &code).await?;
    let png = crate::officer::poster(
        &state.i18n,
        &unit_name,
        &code,
        link.as_deref(),
        expires_at.unwrap_or(0),
    )
    .ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        png,
    )
        .into_response())
}
