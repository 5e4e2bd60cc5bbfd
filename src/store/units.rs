//! The union tree. Each unit keeps a materialised path of ids ("/1/5/23/") so a
//! subtree is one indexed prefix scan at any depth.

use std::collections::{HashMap, HashSet};

use sqlx::Row;

use super::{Conn, Store, StoreError};
use crate::core::domain::UnitCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    pub code: UnitCode,
    pub parent: Option<UnitCode>,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub path: String,
    pub depth: i64,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("unknown parent {parent} of unit {code}")]
    UnknownParent { code: String, parent: String },
    #[error("the tree has a cycle through unit {code}")]
    Cycle { code: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Store(StoreError::Db(e))
    }
}

impl Store {
    /// Insert or update units by code, in one transaction: names, kinds and parents
    /// change, ids (and so every member's unit) stay. Parents may be in the file or
    /// already in the database. A cycle or a missing parent changes nothing.
    pub async fn import_units(&self, records: &[UnitRecord]) -> Result<ImportReport, ImportError> {
        let now = crate::core::time::now_ms();
        let mut tx = self.begin().await?;
        // Officers may be changing the tree from chat at the same time.
        tree_lock(&mut tx).await?;
        let existing: Vec<Unit> =
            sqlx::query_as("SELECT id, code, parent_id, name, kind, path, depth FROM units")
                .fetch_all(&mut *tx)
                .await?;
        let mut by_code: HashMap<String, Unit> =
            existing.into_iter().map(|u| (u.code.clone(), u)).collect();
        let mut report = ImportReport::default();

        for r in records {
            if let Some(parent) = &r.parent {
                let in_file = records.iter().any(|x| &x.code == parent);
                if !in_file && !by_code.contains_key(parent.as_str()) {
                    return Err(ImportError::UnknownParent {
                        code: r.code.to_string(),
                        parent: parent.to_string(),
                    });
                }
            }
        }

        // Pass 1: every unit exists and has an id (new ones are inserted bare).
        let mut created: HashSet<String> = HashSet::new();
        for r in records {
            if by_code.contains_key(r.code.as_str()) {
                continue;
            }
            let id: i64 = sqlx::query(
                "INSERT INTO units (code, parent_id, name, kind, path, depth, created_at, updated_at)
                 VALUES ($1, NULL, $2, $3, '', -1, $4, $4) RETURNING id",
            )
            .bind(r.code.as_str())
            .bind(&r.name)
            .bind(&r.kind)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            by_code.insert(
                r.code.to_string(),
                Unit {
                    id,
                    code: r.code.to_string(),
                    parent_id: None,
                    name: r.name.clone(),
                    kind: r.kind.clone(),
                    path: String::new(),
                    depth: -1,
                },
            );
            created.insert(r.code.to_string());
        }

        // Pass 2: names, kinds and parents as the file says (units absent from the
        // file keep theirs).
        let ids: HashMap<String, i64> = by_code.iter().map(|(c, u)| (c.clone(), u.id)).collect();
        for r in records {
            let parent_id = r.parent.as_ref().and_then(|p| ids.get(p.as_str()).copied());
            let Some(u) = by_code.get_mut(r.code.as_str()) else {
                continue;
            };
            let changed = u.name != r.name || u.kind != r.kind || u.parent_id != parent_id;
            if created.contains(r.code.as_str()) {
                report.created += 1;
            } else if changed {
                report.updated += 1;
            } else {
                report.unchanged += 1;
            }
            if changed {
                sqlx::query("UPDATE units SET name = $1, kind = $2, parent_id = $3, updated_at = $4 WHERE id = $5")
                    .bind(&r.name)
                    .bind(&r.kind)
                    .bind(parent_id)
                    .bind(now)
                    .bind(u.id)
                    .execute(&mut *tx)
                    .await?;
                u.name = r.name.clone();
                u.kind = r.kind.clone();
                u.parent_id = parent_id;
            }
        }

        // Pass 3: recompute paths from the roots; whatever is not reached is a cycle.
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        let mut by_id: HashMap<i64, &Unit> = HashMap::new();
        for u in by_code.values() {
            children.entry(u.parent_id).or_default().push(u.id);
            by_id.insert(u.id, u);
        }
        let mut paths: HashMap<i64, (String, i64)> = HashMap::new();
        let mut stack: Vec<(i64, String, i64)> = children
            .get(&None)
            .map(|roots| roots.iter().map(|&id| (id, format!("/{id}/"), 0)).collect())
            .unwrap_or_default();
        while let Some((id, path, depth)) = stack.pop() {
            if let Some(kids) = children.get(&Some(id)) {
                for &k in kids {
                    stack.push((k, format!("{path}{k}/"), depth + 1));
                }
            }
            paths.insert(id, (path, depth));
        }
        if let Some(u) = by_id.values().find(|u| !paths.contains_key(&u.id)) {
            return Err(ImportError::Cycle {
                code: u.code.clone(),
            });
        }
        for u in by_code.values() {
            let (path, depth) = &paths[&u.id];
            if &u.path != path || u.depth != *depth {
                sqlx::query(
                    "UPDATE units SET path = $1, depth = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(path)
                .bind(*depth)
                .bind(now)
                .bind(u.id)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(report)
    }

    pub async fn unit_by_code(&self, code: &UnitCode) -> Result<Option<Unit>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, code, parent_id, name, kind, path, depth FROM units WHERE code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(self.pool())
        .await?)
    }

    /// All units in tree order (depth-first by path).
    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, code, parent_id, name, kind, path, depth FROM units ORDER BY path",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Members per unit (directly in it), for the tree view.
    pub async fn member_counts(&self) -> Result<HashMap<i64, i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT unit_id, COUNT(*) AS n FROM members WHERE role <> 'liaison' GROUP BY unit_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            out.insert(r.try_get("unit_id")?, r.try_get("n")?);
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------
// The tree as officers change it from chat (and, later, the web console). Every
// function takes the acting officer's unit path and checks the subtree again in SQL:
// whatever the caller passes, nothing outside `officer_path%` is read or changed.
// ---------------------------------------------------------------------------------

pub use crate::core::conversation::officer::UnitBrief;

const BRIEF: &str = "SELECT id, parent_id, code, name, kind, path, depth FROM units";

fn brief(r: &sqlx::any::AnyRow) -> Result<UnitBrief, StoreError> {
    Ok(UnitBrief {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        path: r.try_get("path")?,
        depth: r.try_get("depth")?,
    })
}

/// Open units of the subtree at `path`, at most `levels` below it, in tree order.
pub async fn open_subtree(
    conn: &mut Conn,
    path: &str,
    depth: i64,
    levels: i64,
    limit: i64,
) -> Result<Vec<UnitBrief>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE path LIKE $1 AND closed_at IS NULL AND depth <= $2
         ORDER BY path LIMIT $3"
    )))
    .bind(format!("{path}%"))
    .bind(depth + levels)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(brief).collect()
}

/// The open child units of `unit_id`, by name.
pub async fn open_children(conn: &mut Conn, unit_id: i64) -> Result<Vec<UnitBrief>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE parent_id = $1 AND closed_at IS NULL ORDER BY name, id"
    )))
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(brief).collect()
}

/// One open unit, only if it is in the subtree at `officer_path`.
pub async fn open_in_subtree(
    conn: &mut Conn,
    officer_path: &str,
    unit_id: i64,
) -> Result<Option<UnitBrief>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE id = $1 AND path LIKE $2 AND closed_at IS NULL"
    )))
    .bind(unit_id)
    .bind(format!("{officer_path}%"))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(brief).transpose()
}

/// One open unit by its code, only if it is in the subtree at `officer_path`.
pub async fn open_by_code_in_subtree(
    conn: &mut Conn,
    officer_path: &str,
    code: &UnitCode,
) -> Result<Option<UnitBrief>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE code = $1 AND path LIKE $2 AND closed_at IS NULL"
    )))
    .bind(code.as_str())
    .bind(format!("{officer_path}%"))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(brief).transpose()
}

/// Any unit by id (for names in messages), open or closed.
pub async fn brief_by_id(conn: &mut Conn, unit_id: i64) -> Result<Option<UnitBrief>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{BRIEF} WHERE id = $1")))
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(brief).transpose()
}

/// Members of each unit's whole subtree, for the units of the subtree at `path`.
pub async fn subtree_member_counts(
    conn: &mut Conn,
    path: &str,
    units: &[UnitBrief],
) -> Result<HashMap<i64, i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.path AS path, COUNT(*) AS n FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE $1 AND m.role <> 'liaison' GROUP BY u.path",
    )
    .bind(format!("{path}%"))
    .fetch_all(&mut *conn)
    .await?;
    let mut direct: Vec<(String, i64)> = vec![];
    for r in rows {
        direct.push((r.try_get("path")?, r.try_get("n")?));
    }
    Ok(units
        .iter()
        .map(|u| {
            let n = direct
                .iter()
                .filter(|(p, _)| p.starts_with(&u.path))
                .map(|(_, n)| n)
                .sum();
            (u.id, n)
        })
        .collect())
}

/// Changes to the tree's shape (a unit added, moved or closed, a member moved in) take
/// turns: on PostgreSQL a transaction-scoped advisory lock (two moves at once could
/// otherwise each see the other's old paths and make a cycle); SQLite's write
/// transactions already take turns.
pub async fn tree_lock(conn: &mut Conn) -> Result<(), StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(1717017)")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A new open child unit of `parent_id` (which must be open and in the subtree at
/// `officer_path`), with a generated code `DV-XXXXXXXX`. `None`: refused.
pub async fn add_child(
    conn: &mut Conn,
    officer_path: &str,
    parent_id: i64,
    name: &str,
    kind: &str,
    now: i64,
) -> Result<Option<UnitBrief>, StoreError> {
    tree_lock(conn).await?;
    let Some(parent) = open_in_subtree(conn, officer_path, parent_id).await? else {
        return Ok(None);
    };
    let id = loop {
        let code = format!("DV-{}", crate::core::domain::LinkCode::generate().as_str());
        let row = sqlx::query(
            "INSERT INTO units (code, parent_id, name, kind, path, depth, created_at, updated_at)
             VALUES ($1, $2, $3, $4, '', $5, $6, $6) ON CONFLICT (code) DO NOTHING RETURNING id",
        )
        .bind(&code)
        .bind(parent.id)
        .bind(name)
        .bind(kind)
        .bind(parent.depth + 1)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(r) = row {
            break r.try_get::<i64, _>("id")?;
        }
    };
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
        .bind(format!("{}{id}/", parent.path))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    brief_by_id(conn, id).await
}

/// Rename an open unit of the subtree; returns its old name, `None` when refused.
pub async fn rename(
    conn: &mut Conn,
    officer_path: &str,
    unit_id: i64,
    name: &str,
    now: i64,
) -> Result<Option<String>, StoreError> {
    let Some(unit) = open_in_subtree(conn, officer_path, unit_id).await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE units SET name = $1, updated_at = $2 WHERE id = $3 AND path LIKE $4")
        .bind(name)
        .bind(now)
        .bind(unit_id)
        .bind(format!("{officer_path}%"))
        .execute(&mut *conn)
        .await?;
    Ok(Some(unit.name))
}

/// Why a unit could not be moved or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeRefusal {
    /// Not a unit strictly below the officer's own (or not open), or the new parent is
    /// not in the subtree.
    OutsideSubtree,
    /// The new parent is the unit itself or below it.
    IntoItself,
    /// Members or open child units are still there.
    NotEmpty,
}

/// Move `unit_id` (strictly below the officer's unit) with its whole subtree under
/// `new_parent_id` (open, in the subtree, not inside the moved unit): parent, paths and
/// depths change in the caller's transaction; members, signatures, tips and invites keep
/// their unit ids, so every roll-up follows. Returns the old parent's id.
pub async fn move_under(
    conn: &mut Conn,
    officer_path: &str,
    unit_id: i64,
    new_parent_id: i64,
    now: i64,
) -> Result<Result<Option<i64>, TreeRefusal>, StoreError> {
    tree_lock(conn).await?;
    let (Some(unit), Some(parent)) = (
        open_in_subtree(conn, officer_path, unit_id).await?,
        open_in_subtree(conn, officer_path, new_parent_id).await?,
    ) else {
        return Ok(Err(TreeRefusal::OutsideSubtree));
    };
    if unit.path == officer_path {
        return Ok(Err(TreeRefusal::OutsideSubtree));
    }
    if parent.path.starts_with(&unit.path) {
        return Ok(Err(TreeRefusal::IntoItself));
    }
    let new_path = format!("{}{}/", parent.path, unit.id);
    let delta = parent.depth + 1 - unit.depth;
    sqlx::query("UPDATE units SET parent_id = $1, updated_at = $2 WHERE id = $3")
        .bind(parent.id)
        .bind(now)
        .bind(unit.id)
        .execute(&mut *conn)
        .await?;
    // Every path in the moved subtree: the new prefix, then what followed the old one.
    // (A moved unit's new path never starts with its old one, so the scan is stable.)
    sqlx::query(
        "UPDATE units SET path = $1 || substr(path, CAST($2 AS INTEGER)), depth = depth + $3,
                updated_at = $4
         WHERE path LIKE $5",
    )
    .bind(&new_path)
    .bind(unit.path.chars().count() as i64 + 1)
    .bind(delta)
    .bind(now)
    .bind(format!("{}%", unit.path))
    .execute(&mut *conn)
    .await?;
    Ok(Ok(unit.parent_id))
}

/// Close an emptied unit strictly below the officer's (no members in its subtree, no
/// open child): kept for history and reports, no longer offered; its invites expire.
pub async fn close(
    conn: &mut Conn,
    officer_path: &str,
    unit_id: i64,
    now: i64,
) -> Result<Result<UnitBrief, TreeRefusal>, StoreError> {
    tree_lock(conn).await?;
    let Some(unit) = open_in_subtree(conn, officer_path, unit_id).await? else {
        return Ok(Err(TreeRefusal::OutsideSubtree));
    };
    if unit.path == officer_path {
        return Ok(Err(TreeRefusal::OutsideSubtree));
    }
    let busy: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
                 WHERE u.path LIKE $1)
              + (SELECT COUNT(*) FROM units WHERE parent_id = $2 AND closed_at IS NULL) AS n",
    )
    .bind(format!("{}%", unit.path))
    .bind(unit.id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    if busy > 0 {
        return Ok(Err(TreeRefusal::NotEmpty));
    }
    sqlx::query("UPDATE units SET closed_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(unit.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE invites SET expires_at = $1, revoked_at = $1
         WHERE unit_id = $2 AND (expires_at IS NULL OR expires_at > $1)",
    )
    .bind(now)
    .bind(unit.id)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(unit))
}
