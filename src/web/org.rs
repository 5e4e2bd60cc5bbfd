//! Đơn vị & đoàn viên: a unit of the officer's subtree (their own by default) with its
//! open child units one level down and breadcrumbs up to the officer's own unit, never
//! above; the unit's members page by page and a search by name over its whole subtree;
//! a member's card (unit, role, the channels the bot reaches them on, never a chat id);
//! and the chat's actions: change a role, move to another unit, remove, create and
//! revoke invites (with the printable QR poster of `/poster/CODE.png`).
//!
//! Every action goes through `crate::officer::perform`, the function that applies the
//! `/donvi` and `/moi` effects in chat: the store checks the subtree and the role
//! ceiling again in SQL, the member is told in chat, the audit log gets the same line.
//! The checks the chat makes before it asks the store are made here with the same rule
//! functions and refused with the chat's own words. An id from a path or a form that is
//! not in the officer's subtree is a 404.

use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sqlx::Row;

use super::session::{NoFields, Officer, Post};
use super::{Loc, Nav, WebError, WebState, parse_id, path_id};
use crate::core::conversation::officer::{
    Actor, LISTED_LEVELS, MAX_INVITE_DAYS, MAX_INVITE_USES, MAX_REASON_CHARS, MEMBERS_PER_PAGE,
    MemberBrief, OfficerEffect, UnitBrief, invite_defaults, may_grant, may_manage,
};
use crate::core::domain::{InviteCode, Role, UnitCode};
use crate::core::time::{format_date, now_ms};
use crate::store::{Conn, invites, roster, tallies, units};

/// Invites listed on a unit's page.
const INVITES_LISTED: i64 = 50;
/// Units offered as a move's destination (a typed unit code reaches the others).
const MOVE_TARGETS: i64 = 200;
/// Longest search text.
const MAX_QUERY_CHARS: usize = 100;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/org", get(home))
        .route("/org/{id}", get(unit))
        .route("/org/members/{id}", get(member))
        .route("/org/members/{id}/role", post(set_role))
        .route("/org/members/{id}/move", post(move_member))
        .route("/org/members/{id}/remove", post(remove))
        .route("/org/invites", post(create_invite))
        .route("/org/invites/{code}/revoke", post(revoke_invite))
}

/// Outcome messages an action may redirect with; any other value shows nothing.
const FLASHES: &[&str] = &["role", "moved", "removed", "invite", "revoked"];

fn flash(l: &Loc, ok: &str) -> Option<String> {
    FLASHES
        .iter()
        .find(|f| **f == ok)
        .map(|f| l.t(&format!("web-org-ok-{f}")))
}

fn role_label(l: &Loc, role: Role) -> String {
    l.t(match role {
        Role::Member => "role-member",
        Role::Leader => "role-leader",
        Role::Officer => "role-officer",
        Role::Liaison => "role-liaison",
    })
}

pub struct Crumb {
    pub id: i64,
    pub name: String,
}

pub struct ChildRow {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub members: i64,
}

pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub unit: String,
}

pub struct InviteRow {
    pub code: String,
    pub grouped: String,
    pub unit: String,
    pub role: String,
    pub left: i64,
    pub max_uses: i64,
    pub expires: String,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "org.html")]
struct UnitPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    flash: Option<String>,
    unit_id: i64,
    unit_name: String,
    unit_code: String,
    /// From the officer's own unit down to the parent of this one.
    crumbs: Vec<Crumb>,
    /// Members of the unit's whole subtree, and directly in it.
    members_total: i64,
    members_direct: i64,
    children: Vec<ChildRow>,
    query: String,
    list_title: String,
    rows: Vec<MemberRow>,
    page_text: String,
    prev: Option<String>,
    next: Option<String>,
    truncated: bool,
    invites: Vec<InviteRow>,
    invite_units: Vec<Opt>,
    roles: Vec<Opt>,
    default_uses: i64,
    default_days: i64,
    max_uses: i64,
    max_days: i64,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    ok: String,
}

/// Untrusted query text: a search of at most 100 characters and a page number.
fn list_query(raw: Option<&str>) -> Result<(String, i64, String), WebError> {
    let q: ListQuery = match raw {
        Some(r) => {
            serde_urlencoded::from_str(r).map_err(|_| WebError::BadInput("web-err-filter"))?
        }
        None => ListQuery::default(),
    };
    let query = q.q.split_whitespace().collect::<Vec<_>>().join(" ");
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(WebError::BadInput("web-err-org-search"));
    }
    let page = match q.page.trim() {
        "" => 0,
        p => p
            .parse::<i64>()
            .ok()
            .filter(|p| (0..1_000_000).contains(p))
            .ok_or(WebError::BadInput("web-err-filter"))?,
    };
    Ok((query, page, q.ok))
}

/// An open unit of the officer's subtree; anything else (another branch, a closed or
/// unknown unit) is "not found".
async fn unit_in_scope(conn: &mut Conn, officer: &Officer, id: i64) -> Result<UnitBrief, WebError> {
    units::open_in_subtree(conn, &officer.member.unit_path, id)
        .await?
        .ok_or(WebError::NotFound)
}

/// A member of the officer's subtree; anything else is "not found".
async fn member_in_scope(
    conn: &mut Conn,
    officer: &Officer,
    id: i64,
) -> Result<MemberBrief, WebError> {
    roster::one_in_subtree(conn, &officer.member.unit_path, id)
        .await?
        .ok_or(WebError::NotFound)
}

/// The units from the officer's own down to the parent of `unit` (ids read from its
/// path, each looked up inside the subtree again).
async fn crumbs(
    conn: &mut Conn,
    officer: &Officer,
    unit: &UnitBrief,
) -> Result<Vec<Crumb>, WebError> {
    let own = &officer.member.unit_path;
    let Some(below) = unit.path.strip_prefix(own.as_str()) else {
        return Err(WebError::NotFound);
    };
    let mut ids = vec![officer.member.unit_id];
    ids.extend(
        below
            .split('/')
            .filter_map(|p| p.parse::<i64>().ok())
            .filter(|id| *id != unit.id),
    );
    let mut out = vec![];
    if unit.id == officer.member.unit_id {
        return Ok(out);
    }
    for id in ids {
        if let Some(u) = units::open_in_subtree(conn, own, id).await? {
            out.push(Crumb {
                id: u.id,
                name: u.name,
            });
        }
    }
    Ok(out)
}

fn page_url(unit_id: i64, query: &str, page: i64) -> String {
    let qs = if query.is_empty() {
        format!("page={page}")
    } else {
        serde_urlencoded::to_string([("q", query.to_string()), ("page", page.to_string())])
            .unwrap_or_default()
    };
    format!("/org/{unit_id}?{qs}#members")
}

async fn home(
    State(state): State<WebState>,
    officer: Officer,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let id = officer.member.unit_id;
    render_unit(&state, &officer, id, query.as_deref()).await
}

async fn unit(
    State(state): State<WebState>,
    officer: Officer,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    render_unit(&state, &officer, path_id(path)?, query.as_deref()).await
}

async fn render_unit(
    state: &WebState,
    officer: &Officer,
    id: i64,
    raw: Option<&str>,
) -> Result<Html<String>, WebError> {
    let (query, page, ok) = list_query(raw)?;
    let now = now_ms();
    let m = &officer.member;
    let l = state.loc(m.lang);
    let mut conn = state.store.pool().acquire().await?;
    let unit = unit_in_scope(&mut conn, officer, id).await?;
    let crumbs = crumbs(&mut conn, officer, &unit).await?;
    // The per-unit counters (store::tallies): one read for the unit and its children.
    let counted = tallies::members_below(&mut conn, &unit.path).await?;
    let members_total = counted.total[0];
    let members_direct = tallies::members_of(&mut conn, unit.id).await?;
    let children = units::open_children(&mut conn, unit.id)
        .await?
        .into_iter()
        .map(|c| ChildRow {
            members: counted.child(c.id)[0],
            id: c.id,
            name: c.name,
            code: c.code,
        })
        .collect::<Vec<_>>();

    let (total, found, truncated) = if query.is_empty() {
        let (total, rows) = roster::page(
            &mut conn,
            &m.unit_path,
            unit.id,
            None,
            page,
            MEMBERS_PER_PAGE,
        )
        .await?;
        (total, rows, false)
    } else {
        let f = roster::search(
            &mut conn,
            &m.unit_path,
            &unit.path,
            &query,
            page,
            MEMBERS_PER_PAGE,
        )
        .await?;
        (f.total, f.members, f.truncated)
    };
    let pages = ((total + MEMBERS_PER_PAGE - 1) / MEMBERS_PER_PAGE).max(1);
    let list_title = if query.is_empty() {
        l.tr("web-org-members-direct", &[("n", total.into())])
    } else {
        l.tr(
            "web-org-found",
            &[("n", total.into()), ("query", query.clone().into())],
        )
    };
    let page_text = if pages > 1 {
        l.tr(
            "web-org-page",
            &[("page", (page + 1).into()), ("pages", pages.into())],
        )
    } else {
        String::new()
    };
    let prev = (page > 0).then(|| page_url(unit.id, &query, (page - 1).min(pages - 1)));
    let next = (page + 1 < pages).then(|| page_url(unit.id, &query, page + 1));
    let rows = found
        .into_iter()
        .map(|r| MemberRow {
            id: r.id,
            role: role_label(&l, r.role),
            name: r.name,
            unit: r.unit_name,
        })
        .collect();

    let invites = invites::active_in_subtree(&mut conn, &unit.path, None, now, INVITES_LISTED)
        .await?
        .into_iter()
        .map(|i| InviteRow {
            grouped: InviteCode::parse(&i.code)
                .map(|c| c.grouped())
                .unwrap_or_else(|_| i.code.clone()),
            code: i.code,
            unit: i.unit_name,
            role: role_label(&l, i.role),
            left: i.max_uses - i.uses,
            max_uses: i.max_uses,
            expires: i
                .expires_at
                .map(format_date)
                .unwrap_or_else(|| l.t("officer-never")),
        })
        .collect();
    let mut invite_units = vec![Opt {
        value: unit.id.to_string(),
        label: unit.name.clone(),
        selected: true,
    }];
    invite_units.extend(children.iter().map(|c| Opt {
        value: c.id.to_string(),
        label: format!("· {}", c.name),
        selected: false,
    }));
    // Invites may also bring in the area's police liaison (officers only, as /moi).
    let roles = [Role::Member, Role::Leader, Role::Officer, Role::Liaison]
        .into_iter()
        .filter(|r| may_grant(m.role, *r))
        .map(|r| Opt {
            value: r.as_str().to_string(),
            label: role_label(&l, r),
            selected: r == Role::Member,
        })
        .collect();
    let (default_uses, default_days) = invite_defaults(Role::Member);
    let page = UnitPage {
        nav: Some(Nav::new(officer, "org")),
        csrf: officer.csrf.clone(),
        flash: flash(&l, &ok),
        unit_id: unit.id,
        unit_name: unit.name,
        unit_code: unit.code,
        crumbs,
        members_total,
        members_direct,
        children,
        query,
        list_title,
        rows,
        page_text,
        prev,
        next,
        truncated,
        invites,
        invite_units,
        roles,
        default_uses,
        default_days,
        max_uses: MAX_INVITE_USES,
        max_days: MAX_INVITE_DAYS,
        l,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "org_member.html")]
struct MemberPage {
    l: Loc,
    nav: Option<Nav>,
    csrf: String,
    flash: Option<String>,
    id: i64,
    name: String,
    role: String,
    unit_id: i64,
    unit_name: String,
    joined: String,
    /// The channels the bot knows them on ("Telegram", "Zalo"), never a chat id.
    channels: Vec<String>,
    reachable: bool,
    /// The officer may change, move or remove them; otherwise why not (the chat's words).
    manageable: bool,
    refusal: String,
    roles: Vec<Opt>,
    units: Vec<Opt>,
    reason_max: usize,
}

async fn member(
    State(state): State<WebState>,
    officer: Officer,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let id = path_id(path)?;
    let (_, _, ok) = list_query(query.as_deref())?;
    let m = &officer.member;
    let l = state.loc(m.lang);
    let mut conn = state.store.pool().acquire().await?;
    let t = member_in_scope(&mut conn, &officer, id).await?;
    let row = sqlx::query("SELECT joined_at, unreachable_at FROM members WHERE id = $1")
        .bind(t.id)
        .fetch_one(&mut *conn)
        .await?;
    let joined_at: i64 = row.try_get("joined_at")?;
    let unreachable_at: Option<i64> = row.try_get("unreachable_at")?;
    let channels: Vec<String> = sqlx::query(
        "SELECT DISTINCT channel FROM identities WHERE member_id = $1 ORDER BY channel",
    )
    .bind(t.id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("channel"))
    .collect::<Result<Vec<_>, _>>()?
    .into_iter()
    .map(|c| match c.as_str() {
        "telegram" | "zalo" | "zalo_oa" => l.t(&format!("web-channel-{}", c.replace('_', "-"))),
        _ => l.t("web-channel-other"),
    })
    .collect();
    let manageable = may_manage(&Actor::from(m), t.id, &t.unit_path, t.role);
    let roles = [Role::Member, Role::Leader, Role::Officer]
        .into_iter()
        .filter(|r| may_grant(m.role, *r) && *r != t.role)
        .map(|r| Opt {
            value: r.as_str().to_string(),
            label: role_label(&l, r),
            selected: false,
        })
        .collect();
    let own_depth = units::brief_by_id(&mut conn, m.unit_id)
        .await?
        .map_or(0, |u| u.depth);
    let units = units::open_subtree(
        &mut conn,
        &m.unit_path,
        own_depth,
        LISTED_LEVELS,
        MOVE_TARGETS,
    )
    .await?
    .into_iter()
    .filter(|u| u.id != t.unit_id)
    .map(|u| Opt {
        value: u.id.to_string(),
        label: format!(
            "{}{} ({})",
            "· ".repeat((u.depth - own_depth).clamp(0, 5) as usize),
            u.name,
            u.code
        ),
        selected: false,
    })
    .collect();
    let page = MemberPage {
        nav: Some(Nav::new(&officer, "org")),
        csrf: officer.csrf.clone(),
        flash: flash(&l, &ok),
        id: t.id,
        name: t.name,
        role: role_label(&l, t.role),
        unit_id: t.unit_id,
        unit_name: t.unit_name,
        joined: format_date(joined_at),
        reachable: unreachable_at.is_none() && !channels.is_empty(),
        channels,
        manageable,
        refusal: l.t("officer-member-refused"),
        roles,
        units,
        reason_max: MAX_REASON_CHARS,
        l,
    };
    Ok(Html(page.render()?))
}

/// Apply `effect` as the chat does, in `tx` (which holds the checks made before it):
/// a refusal by the store is the chat's reason and nothing changes; otherwise commit,
/// wake the sender (the member is told in chat) and go to `to`.
async fn finish(
    state: &WebState,
    officer: &Officer,
    mut tx: crate::store::Tx,
    effect: OfficerEffect,
    to: String,
) -> Result<Response, WebError> {
    let now = now_ms();
    let done =
        crate::officer::perform(&mut tx, &state.i18n, &officer.member, "web", &effect, now).await?;
    if let Some(key) = done.refused {
        // Dropped, not committed: nothing changed.
        return Err(WebError::BadInput(key));
    }
    tx.commit().await?;
    state.outbox_ready.notify_waiters();
    Ok(Redirect::to(&to).into_response())
}

/// The member of the path, who must be in the subtree (else 404) and whom the officer
/// may manage (else the chat's refusal).
async fn target(
    conn: &mut Conn,
    officer: &Officer,
    path: Result<Path<String>, PathRejection>,
) -> Result<MemberBrief, WebError> {
    let t = member_in_scope(conn, officer, path_id(path)?).await?;
    if !may_manage(&Actor::from(&officer.member), t.id, &t.unit_path, t.role) {
        return Err(WebError::BadInput("officer-member-refused"));
    }
    Ok(t)
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn set_role(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<RoleForm>,
) -> Result<Response, WebError> {
    let officer = &post.officer;
    let mut tx = state.store.begin().await?;
    let t = target(&mut tx, officer, path).await?;
    let role =
        Role::parse(post.form.role.trim()).map_err(|_| WebError::BadInput("web-err-org-role"))?;
    if !may_grant(officer.member.role, role) {
        return Err(WebError::BadInput("officer-role-too-high"));
    }
    if role == t.role {
        return Err(WebError::BadInput("web-err-org-same-role"));
    }
    let effect = OfficerEffect::SetRole {
        member_id: t.id,
        role,
    };
    finish(
        &state,
        officer,
        tx,
        effect,
        format!("/org/members/{}?ok=role", t.id),
    )
    .await
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    unit: String,
    /// A unit code typed instead (for units not in the list).
    #[serde(default)]
    code: String,
}

async fn move_member(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<MoveForm>,
) -> Result<Response, WebError> {
    let officer = &post.officer;
    let own = officer.member.unit_path.as_str();
    let mut tx = state.store.begin().await?;
    let t = target(&mut tx, officer, path).await?;
    let code = post.form.code.trim();
    let to = if !code.is_empty() {
        let code = UnitCode::parse(code).map_err(|_| WebError::BadInput("web-err-org-code"))?;
        // As a typed code in chat: not one of the subtree's open units is refused.
        units::open_by_code_in_subtree(&mut tx, own, &code)
            .await?
            .ok_or(WebError::BadInput("officer-unit-refused"))?
    } else {
        let id =
            parse_id(post.form.unit.trim()).map_err(|_| WebError::BadInput("web-err-org-unit"))?;
        units::open_in_subtree(&mut tx, own, id)
            .await?
            .ok_or(WebError::NotFound)?
    };
    if to.id == t.unit_id {
        return Err(WebError::BadInput("officer-unit-refused"));
    }
    let effect = OfficerEffect::MoveMember {
        member_id: t.id,
        unit_id: to.id,
    };
    finish(
        &state,
        officer,
        tx,
        effect,
        format!("/org/members/{}?ok=moved", t.id),
    )
    .await
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    reason: String,
}

async fn remove(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<RemoveForm>,
) -> Result<Response, WebError> {
    let officer = &post.officer;
    let reason = post.form.reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(WebError::BadInput("web-err-org-reason-long"));
    }
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    let mut tx = state.store.begin().await?;
    let t = target(&mut tx, officer, path).await?;
    let effect = OfficerEffect::RemoveMember {
        member_id: t.id,
        reason,
    };
    finish(
        &state,
        officer,
        tx,
        effect,
        format!("/org/{}?ok=removed", t.unit_id),
    )
    .await
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    uses: String,
    #[serde(default)]
    days: String,
}

/// A whole number from a form field within `1..=max`.
fn count_field(raw: &str, max: i64, err: &'static str) -> Result<i64, WebError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or(WebError::BadInput(err))
}

async fn create_invite(
    State(state): State<WebState>,
    post: Post<InviteForm>,
) -> Result<Response, WebError> {
    let officer = &post.officer;
    let f = &post.form;
    let unit_id = parse_id(f.unit.trim()).map_err(|_| WebError::BadInput("web-err-org-unit"))?;
    let role = Role::parse(f.role.trim()).map_err(|_| WebError::BadInput("web-err-org-role"))?;
    let uses = count_field(&f.uses, MAX_INVITE_USES, "web-err-org-uses")?;
    let days = count_field(&f.days, MAX_INVITE_DAYS, "web-err-org-days")?;
    let mut tx = state.store.begin().await?;
    let unit = unit_in_scope(&mut tx, officer, unit_id).await?;
    if !may_grant(officer.member.role, role) {
        return Err(WebError::BadInput("officer-role-too-high"));
    }
    let effect = OfficerEffect::CreateInvite {
        unit_id: unit.id,
        role,
        uses,
        days,
    };
    finish(
        &state,
        officer,
        tx,
        effect,
        format!("/org/{}?ok=invite#invites", unit.id),
    )
    .await
}

async fn revoke_invite(
    State(state): State<WebState>,
    path: Result<Path<String>, PathRejection>,
    post: Post<NoFields>,
) -> Result<Response, WebError> {
    let officer = &post.officer;
    let Ok(Path(raw)) = path else {
        return Err(WebError::NotFound);
    };
    let code = InviteCode::parse(&raw).map_err(|_| WebError::NotFound)?;
    let mut tx = state.store.begin().await?;
    // One of the subtree's usable invites, or "not found" (another branch's, or spent).
    let listed =
        invites::active_in_subtree(&mut tx, &officer.member.unit_path, Some(&code), now_ms(), 1)
            .await?;
    let Some(invite) = listed.into_iter().next() else {
        return Err(WebError::NotFound);
    };
    let effect = OfficerEffect::RevokeInvite { code };
    finish(
        &state,
        officer,
        tx,
        effect,
        format!("/org/{}?ok=revoked#invites", invite.unit_id),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn every_outcome_has_its_words() {
        let i18n = I18n::new();
        for lang in [Lang::Vi, Lang::En] {
            let ids = i18n.message_ids(lang);
            let keys = FLASHES.iter().map(|f| format!("web-org-ok-{f}")).chain(
                [
                    "web-err-org-search",
                    "web-err-org-role",
                    "web-err-org-same-role",
                    "web-err-org-unit",
                    "web-err-org-code",
                    "web-err-org-reason-long",
                    "web-err-org-uses",
                    "web-err-org-days",
                    "web-channel-telegram",
                    "web-channel-zalo",
                    "web-channel-zalo-oa",
                    "web-channel-other",
                    "officer-member-refused",
                    "officer-role-too-high",
                    "officer-unit-refused",
                    "officer-invite-refused",
                ]
                .iter()
                .map(|k| k.to_string()),
            );
            for key in keys {
                assert!(ids.contains(&key), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn queries_and_counts_refuse_what_they_do_not_know() {
        assert_eq!(
            list_query(None).ok(),
            Some((String::new(), 0, String::new()))
        );
        assert_eq!(
            list_query(Some("q=%20Ho%C3%A0%20%20Lan&page=2&ok=role")).ok(),
            Some(("Hoà Lan".to_string(), 2, "role".to_string()))
        );
        for bad in [
            "page=x",
            "page=-1",
            "page=99999999",
            &format!("q={}", "á".repeat(101)),
        ] {
            assert!(list_query(Some(bad)).is_err(), "{bad}");
        }
        // Undecodable bytes are replaced, never a panic.
        assert!(list_query(Some("q=%FF")).is_ok());
        assert_eq!(count_field(" 25 ", 100, "e").ok(), Some(25));
        for bad in ["0", "101", "", "2.5", "mười"] {
            assert!(count_field(bad, 100, "e").is_err(), "{bad}");
        }
        assert_eq!(page_url(7, "", 2), "/org/7?page=2#members");
        assert_eq!(
            page_url(7, "Hoà & Lan", 1),
            "/org/7?q=Ho%C3%A0+%26+Lan&page=1#members"
        );
    }
}
