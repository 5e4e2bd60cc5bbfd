//! Members as officers manage them from chat (and, later, the web console): a unit's
//! members page by page, one member, a role change, a move to another unit, a removal,
//! a move by invite. Every function takes the acting officer and checks the subtree and
//! the role ceiling again in SQL; texts for the people told come rendered from outside.

use sqlx::Row;

use super::{Conn, StoreError};
use crate::core::conversation::officer::{Actor, may_manage};
use crate::core::domain::{InviteCode, Lang, Role};
use crate::core::text::fold;

pub use crate::core::conversation::officer::MemberBrief;

const BRIEF: &str = "SELECT m.id, m.display_name, m.role, m.unit_id, u.name AS unit_name,
        u.path AS unit_path
     FROM members m JOIN units u ON u.id = m.unit_id";

fn brief(r: &sqlx::any::AnyRow) -> Result<MemberBrief, StoreError> {
    Ok(MemberBrief {
        id: r.try_get("id")?,
        name: r.try_get("display_name")?,
        role: Role::parse(&r.try_get::<String, _>("role")?).unwrap_or(Role::Member),
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
    })
}

/// Members directly in `unit_id` (in the subtree at `officer_path`), by name (the police
/// liaison is no member: `/congan` lists them); `query`
/// keeps those whose name contains it, ignoring case and tone marks' placement.
/// Returns how many matched and the page asked for.
pub async fn page(
    conn: &mut Conn,
    officer_path: &str,
    unit_id: i64,
    query: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<(i64, Vec<MemberBrief>), StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE m.unit_id = $1 AND u.path LIKE $2 AND m.role <> 'liaison'
         ORDER BY m.display_name, m.id LIMIT 20000"
    )))
    .bind(unit_id)
    .bind(format!("{officer_path}%"))
    .fetch_all(&mut *conn)
    .await?;
    let wanted = query.map(fold).filter(|q| !q.is_empty());
    let mut all = vec![];
    for r in &rows {
        let m = brief(r)?;
        if wanted.as_ref().is_none_or(|q| fold(&m.name).contains(q)) {
            all.push(m);
        }
    }
    let total = all.len() as i64;
    let skip = (page.max(0) * per_page) as usize;
    Ok((
        total,
        all.into_iter().skip(skip).take(per_page as usize).collect(),
    ))
}

/// Names read at most by one [`search`]; a larger subtree is searched one unit lower.
pub const SEARCH_SCAN: i64 = 50_000;

/// What [`search`] found: how many matched, whether the scan stopped at
/// [`SEARCH_SCAN`] names (then narrow the search), and the page asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub total: i64,
    pub truncated: bool,
    pub members: Vec<MemberBrief>,
}

/// Members anywhere in the subtree at `unit_path` (which must itself lie in the
/// officer's subtree at `officer_path`, checked here again) whose name contains `query`,
/// matched as the chat's member search does ([`fold`]: case, spaces and tone-mark
/// placement ignored), by name, one page.
pub async fn search(
    conn: &mut Conn,
    officer_path: &str,
    unit_path: &str,
    query: &str,
    page: i64,
    per_page: i64,
) -> Result<Found, StoreError> {
    let wanted = fold(query);
    if wanted.is_empty() || !unit_path.starts_with(officer_path) || officer_path.is_empty() {
        return Ok(Found::default());
    }
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE u.path LIKE $1 AND u.path LIKE $2
         ORDER BY m.display_name, m.id LIMIT $3"
    )))
    .bind(format!("{unit_path}%"))
    .bind(format!("{officer_path}%"))
    .bind(SEARCH_SCAN + 1)
    .fetch_all(&mut *conn)
    .await?;
    let truncated = rows.len() as i64 > SEARCH_SCAN;
    let mut all = vec![];
    for r in rows.iter().take(SEARCH_SCAN as usize) {
        let m = brief(r)?;
        if fold(&m.name).contains(&wanted) {
            all.push(m);
        }
    }
    let skip = (page.max(0) * per_page) as usize;
    Ok(Found {
        total: all.len() as i64,
        truncated,
        members: all.into_iter().skip(skip).take(per_page as usize).collect(),
    })
}

/// One member, only if they are in the subtree at `officer_path`.
pub async fn one_in_subtree(
    conn: &mut Conn,
    officer_path: &str,
    member_id: i64,
) -> Result<Option<MemberBrief>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE m.id = $1 AND u.path LIKE $2"
    )))
    .bind(member_id)
    .bind(format!("{officer_path}%"))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(brief).transpose()
}

/// The member `actor` may manage (see [`may_manage`]), else `None`.
async fn manageable(
    conn: &mut Conn,
    actor: &Actor,
    member_id: i64,
) -> Result<Option<MemberBrief>, StoreError> {
    Ok(one_in_subtree(conn, &actor.unit_path, member_id)
        .await?
        .filter(|m| may_manage(actor, m.id, &m.unit_path, m.role)))
}

/// Give a member of the subtree a new role, never above the actor's own. Returns the
/// member as they were; `None`: refused, nothing changed.
pub async fn set_role(
    conn: &mut Conn,
    actor: &Actor,
    member_id: i64,
    role: Role,
) -> Result<Option<MemberBrief>, StoreError> {
    // The police liaison is never made by, nor turned into a union role by, a change.
    if role > actor.role || role == Role::Liaison {
        return Ok(None);
    }
    let Some(m) = manageable(conn, actor, member_id).await? else {
        return Ok(None);
    };
    if m.role == Role::Liaison {
        return Ok(None);
    }
    let done = sqlx::query(
        "UPDATE members SET role = $1 WHERE id = $2
           AND unit_id IN (SELECT id FROM units WHERE path LIKE $3)",
    )
    .bind(role.as_str())
    .bind(m.id)
    .bind(format!("{}%", actor.unit_path))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((done == 1).then_some(m))
}

/// Move a member of the subtree to another open unit of it (role kept). Returns the
/// member as they were; `None`: refused.
pub async fn move_to(
    conn: &mut Conn,
    actor: &Actor,
    member_id: i64,
    unit_id: i64,
) -> Result<Option<MemberBrief>, StoreError> {
    super::units::tree_lock(conn).await?;
    let Some(m) = manageable(conn, actor, member_id).await? else {
        return Ok(None);
    };
    if m.unit_id == unit_id {
        return Ok(None);
    }
    let done = sqlx::query(
        "UPDATE members SET unit_id = $1 WHERE id = $2
           AND $1 IN (SELECT id FROM units WHERE path LIKE $3 AND closed_at IS NULL)",
    )
    .bind(unit_id)
    .bind(m.id)
    .bind(format!("{}%", actor.unit_path))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((done == 1).then_some(m))
}

/// The member `actor` may remove, checked in SQL; the removal itself is
/// [`super::members::delete`] (the person's data goes with their membership).
pub async fn removable(
    conn: &mut Conn,
    actor: &Actor,
    member_id: i64,
) -> Result<Option<MemberBrief>, StoreError> {
    manageable(conn, actor, member_id).await
}

/// A member moves by opening another unit's invite: one use of the invite is counted
/// and they take its unit and role, with everything they have (signatures, tips, linked
/// accounts keep their member id). Returns (old unit id, new unit id, role); `None` when
/// the invite is no longer usable.
pub async fn move_by_invite(
    conn: &mut Conn,
    member_id: i64,
    code: &InviteCode,
    now: i64,
) -> Result<Option<(i64, i64, Role)>, StoreError> {
    super::units::tree_lock(conn).await?;
    let old: Option<i64> = sqlx::query("SELECT unit_id FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("unit_id"))
        .transpose()?;
    let Some(old) = old else { return Ok(None) };
    let Some((unit_id, role)) = super::invites::consume(conn, code, now).await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE members SET unit_id = $1, role = $2, invite_code = $3 WHERE id = $4")
        .bind(unit_id)
        .bind(role.as_str())
        .bind(code.as_str())
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some((old, unit_id, role)))
}

/// Where to tell a member something: every linked chat, with their language.
pub async fn chats_of(
    conn: &mut Conn,
    member_id: i64,
) -> Result<Vec<(String, String, Lang)>, StoreError> {
    let rows = sqlx::query(
        "SELECT i.channel, i.chat_id, m.lang FROM identities i JOIN members m ON m.id = i.member_id
         WHERE i.member_id = $1 ORDER BY i.channel",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("channel")?,
                r.try_get("chat_id")?,
                Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default(),
            ))
        })
        .collect()
}

/// The officers nearest to the unit at `path`: its own, or else those of the closest
/// unit above it that has officers; as (member id, channel, chat, language).
pub async fn nearest_officers(
    conn: &mut Conn,
    path: &str,
) -> Result<Vec<(i64, String, String, Lang)>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.id, i.channel, i.chat_id, m.lang, u.depth FROM members m
         JOIN units u ON u.id = m.unit_id
         JOIN identities i ON i.member_id = m.id
         WHERE m.role = 'officer' AND $1 LIKE u.path || '%'
         ORDER BY u.depth DESC, m.id, i.channel",
    )
    .bind(path)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = vec![];
    let mut nearest: Option<i64> = None;
    for r in &rows {
        let depth: i64 = r.try_get("depth")?;
        if nearest.is_some_and(|d| d != depth) {
            break;
        }
        nearest = Some(depth);
        out.push((
            r.try_get("id")?,
            r.try_get("channel")?,
            r.try_get("chat_id")?,
            Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default(),
        ));
    }
    Ok(out)
}
