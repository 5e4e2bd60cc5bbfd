//! The audit log of officers' actions on the tree (invites, units, roles, members
//! moving): who, what, when, on which unit or member; never message contents. Read by
//! the officers whose subtree holds either unit of an entry.

use sqlx::Row;

use super::{Conn, StoreError};

/// One action to record. `detail` is a short structured note (a role, a count, a
/// code), never what someone wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub actor_member_id: Option<i64>,
    pub action: &'a str,
    pub unit_id: i64,
    pub other_unit_id: Option<i64>,
    pub member_id: Option<i64>,
    pub detail: String,
}

pub async fn record(conn: &mut Conn, e: &Entry<'_>, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO officer_audit (at, actor_member_id, action, unit_id, other_unit_id, member_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now)
    .bind(e.actor_member_id)
    .bind(e.action)
    .bind(e.unit_id)
    .bind(e.other_unit_id)
    .bind(e.member_id)
    .bind(&e.detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub use crate::core::conversation::officer::AuditRow;

/// The newest entries touching the subtree at `path` (either unit in it).
pub async fn recent_in_subtree(
    conn: &mut Conn,
    path: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.at, a.action, a.detail, am.display_name AS actor, u.name AS unit,
                o.name AS other_unit, tm.display_name AS member
         FROM officer_audit a
         JOIN units u ON u.id = a.unit_id
         LEFT JOIN units o ON o.id = a.other_unit_id
         LEFT JOIN members am ON am.id = a.actor_member_id
         LEFT JOIN members tm ON tm.id = a.member_id
         WHERE u.path LIKE $1 OR o.path LIKE $1
         ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(format!("{path}%"))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditRow {
                at: r.try_get("at")?,
                action: r.try_get("action")?,
                actor: r.try_get("actor")?,
                unit: r.try_get("unit")?,
                other_unit: r.try_get("other_unit")?,
                member: r.try_get("member")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}
