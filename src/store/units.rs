//! The union tree. Each unit keeps a materialised path of ids ("/1/5/23/") so a
//! subtree is one indexed prefix scan at any depth.

use std::collections::{HashMap, HashSet};

use sqlx::Row;

use super::{Store, StoreError};
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
        let rows = sqlx::query("SELECT unit_id, COUNT(*) AS n FROM members GROUP BY unit_id")
            .fetch_all(self.pool())
            .await?;
        let mut out = HashMap::new();
        for r in rows {
            out.insert(r.try_get("unit_id")?, r.try_get("n")?);
        }
        Ok(out)
    }
}
