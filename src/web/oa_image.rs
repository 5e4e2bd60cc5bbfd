//! `GET /oa-image/<token>.png`: an image the Zalo OA sends by URL (a chart), to whoever
//! holds the URL (Zalo's servers fetch it). No login: the token is the key, 256 random
//! bits that only that one message carries; only its SHA-256 is stored, beside that one
//! image, until it expires. A malformed, unknown or expired token is a plain 404.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{WebError, WebState, session};
use crate::core::time::now_ms;

pub fn router() -> Router<WebState> {
    Router::new().route("/oa-image/{file}", get(image))
}

async fn image(
    State(state): State<WebState>,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, WebError> {
    let Ok(Path(file)) = path else {
        return Err(WebError::NotFound);
    };
    let (token, ext) = file.split_once('.').ok_or(WebError::NotFound)?;
    if !session::well_formed(token) || !matches!(ext, "png" | "jpg") {
        return Err(WebError::NotFound);
    }
    let Some(img) = state
        .store
        .zalo_oa_image(&session::hash(&token.to_ascii_lowercase()), now_ms())
        .await?
    else {
        return Err(WebError::NotFound);
    };
    let wanted = if ext == "png" {
        "image/png"
    } else {
        "image/jpeg"
    };
    if img.content_type != wanted {
        return Err(WebError::NotFound);
    }
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(img.data_base64.as_bytes())
        .map_err(|_| WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, wanted),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
        .into_response())
}
