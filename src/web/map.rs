//! The map of tips that carry a shared location (Tin báo → Bản đồ). Off unless a tile
//! server is configured (`CONGDOAN_MAP_TILES`): the browser then loads map tiles from
//! that server, and the page's Content-Security-Policy allows its images and nothing
//! else from it. Leaflet is vendored under `assets/web/vendor/leaflet` (BSD-2-Clause);
//! our own script draws the points it reads from `/tips/map.json`. The points carry no
//! words of the tip and no reporter: the receipt code, category, status and a link.
//! Without tiles the page lists the same points with their coordinates.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use super::session::Officer;
use super::{Loc, Nav, WebError, WebState};
use crate::core::time::format_date_time;
use crate::store::tips;

/// Points on one map at most (newest first).
const MAX_POINTS: i64 = 2_000;

/// A tile server URL template, checked once at start: https, with `{z}`, `{x}`, `{y}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapTiles {
    template: String,
    origin: String,
}

impl MapTiles {
    pub fn parse(raw: &str) -> Result<MapTiles, String> {
        let template = raw.trim();
        let rest = template
            .strip_prefix("https://")
            .ok_or("the tile server must be https://")?;
        let host = rest.split('/').next().unwrap_or_default();
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
        if !host_ok || host.contains('{') && !host.starts_with("{s}.") {
            return Err("the tile server's host is not valid".into());
        }
        if !["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p)) {
            return Err("the tile URL needs {z}, {x} and {y}".into());
        }
        if template
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ';'))
        {
            return Err("the tile URL has characters a URL cannot have".into());
        }
        // `{s}.tile.example.org` (Leaflet's subdomains) is allowed as `*.tile.example.org`.
        let origin_host = host.replacen("{s}.", "*.", 1);
        Ok(MapTiles {
            template: template.to_string(),
            origin: format!("https://{origin_host}"),
        })
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    /// What the Content-Security-Policy allows images from.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/tips/map", get(page))
        .route("/tips/map.json", get(points))
        .route("/assets/leaflet.js", get(leaflet_js))
        .route("/assets/leaflet.css", get(leaflet_css))
        .route("/assets/tips-map.js", get(map_js))
}

pub struct Point {
    pub id: i64,
    pub code: String,
    pub category: String,
    pub status: String,
    pub when: String,
    pub lat: String,
    pub lon: String,
}

#[derive(Template)]
#[template(path = "tips_map.html")]
struct MapPage {
    l: Loc,
    nav: Option<Nav>,
    tiles: Option<String>,
    points: Vec<Point>,
}

#[derive(Serialize)]
struct JsonPoint {
    id: i64,
    code: String,
    category: String,
    status: String,
    lat: f64,
    lon: f64,
}

async fn page(State(state): State<WebState>, officer: Officer) -> Result<Html<String>, WebError> {
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let points = tips::located_in_subtree(&mut conn, &officer.member.unit_path, false, MAX_POINTS)
        .await?
        .into_iter()
        .map(|t| Point {
            id: t.id,
            code: t.code,
            category: l.t(&t.category.label_id()),
            status: l.t(t.status.label_id()),
            when: format_date_time(t.created_at),
            lat: format!("{:.5}", t.latitude),
            lon: format!("{:.5}", t.longitude),
        })
        .collect();
    let page = MapPage {
        nav: Some(Nav::new(&officer, "tips")),
        tiles: state.map_tiles.as_ref().map(|t| t.template().to_string()),
        l,
        points,
    };
    Ok(Html(page.render()?))
}

async fn points(State(state): State<WebState>, officer: Officer) -> Result<Response, WebError> {
    let l = state.loc(officer.member.lang);
    let mut conn = state.store.pool().acquire().await?;
    let points: Vec<JsonPoint> =
        tips::located_in_subtree(&mut conn, &officer.member.unit_path, false, MAX_POINTS)
            .await?
            .into_iter()
            .map(|t| JsonPoint {
                id: t.id,
                code: t.code,
                category: l.t(&t.category.label_id()),
                status: l.t(t.status.label_id()),
                lat: t.latitude,
                lon: t.longitude,
            })
            .collect();
    Ok(Json(points).into_response())
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

async fn leaflet_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/vendor/leaflet/leaflet.js"),
    )
}

async fn leaflet_css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_bytes!("../../assets/web/vendor/leaflet/leaflet.css"),
    )
}

async fn map_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/tips-map.js"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_tile_templates_with_coordinates_are_taken() {
        let t = MapTiles::parse("https://tile.openstreetmap.org/{z}/{x}/{y}.png").expect("osm");
        assert_eq!(t.origin(), "https://tile.openstreetmap.org");
        let s =
            MapTiles::parse("https://{s}.tiles.example.vn/{z}/{x}/{y}.png").expect("subdomains");
        assert_eq!(s.origin(), "https://*.tiles.example.vn");
        for bad in [
            "http://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://tile.example.org/{z}/{x}.png",
            "https://tile.example.org/{z}/{x}/{y}.png'; script-src *",
            "https:///{z}/{x}/{y}",
            "https://ev{il}.org/{z}/{x}/{y}",
            "",
        ] {
            assert!(MapTiles::parse(bad).is_err(), "{bad}");
        }
    }
}
