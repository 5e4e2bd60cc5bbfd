//! Per-unit counters that database triggers keep current (migration 0022): members and
//! reachable members per unit and role, signatures per campaign version, «Đã nắm» asked
//! and confirmed per directive or broadcast. A roll-up sums them over the units of a
//! subtree (about 10,000 rows for the whole country) instead of scanning a million
//! members; [`drift`] recounts everything from the base tables, for the tests.

use std::collections::{BTreeMap, HashMap};

use sqlx::Row;
use tracing::instrument;

use super::{Conn, StoreError};

/// Figures of a unit's subtree summed for the unit itself and for each direct child's
/// own subtree, from per-unit rows keyed by unit path.
#[derive(Debug, Clone)]
pub struct Rolled<const N: usize> {
    pub total: [i64; N],
    children: HashMap<i64, [i64; N]>,
}

impl<const N: usize> Rolled<N> {
    /// `rows`: (unit path, figures) of units in the subtree of `unit_path`; rows outside
    /// it are ignored.
    pub fn from_rows(unit_path: &str, rows: impl IntoIterator<Item = (String, [i64; N])>) -> Self {
        let mut total = [0; N];
        let mut children: HashMap<i64, [i64; N]> = HashMap::new();
        for (path, figures) in rows {
            let Some(child) = child_below(unit_path, &path) else {
                continue;
            };
            add(&mut total, &figures);
            if let Some(child) = child {
                add(children.entry(child).or_insert([0; N]), &figures);
            }
        }
        Rolled { total, children }
    }

    /// A direct child's figures (zeros when nothing below it was counted).
    pub fn child(&self, unit_id: i64) -> [i64; N] {
        self.children.get(&unit_id).copied().unwrap_or([0; N])
    }

    /// The figures of the unit itself when `unit_id` is the unit the roll-up was made
    /// for, else of that direct child.
    pub fn of(&self, own_unit: i64, unit_id: i64) -> [i64; N] {
        if unit_id == own_unit {
            self.total
        } else {
            self.child(unit_id)
        }
    }
}

fn add<const N: usize>(into: &mut [i64; N], figures: &[i64; N]) {
    for (a, b) in into.iter_mut().zip(figures) {
        *a += b;
    }
}

/// Where a unit's figures count in its ancestor's roll-up: `None` outside the subtree,
/// `Some(None)` for the ancestor itself, `Some(Some(child))` for the direct child whose
/// subtree holds it. Paths are `/1/2/37/`: the child is the first segment after the
/// ancestor's path.
fn child_below(ancestor_path: &str, path: &str) -> Option<Option<i64>> {
    let rest = path.strip_prefix(ancestor_path)?;
    Some(
        rest.split('/')
            .next()
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok()),
    )
}

/// The member counters of every unit in a subtree, one row per unit and role, read once
/// and summed in several ways: all members, or a campaign's signers only. Police
/// liaisons are not union members and are never counted.
#[derive(Debug, Clone, Default)]
pub struct MemberCounts {
    /// (unit path, role, members, reachable)
    rows: Vec<(String, String, i64, i64)>,
}

impl MemberCounts {
    #[instrument(skip_all)]
    pub async fn load(conn: &mut Conn, unit_path: &str) -> Result<Self, StoreError> {
        let rows = sqlx::query(
            "SELECT u.path, t.role, CAST(t.members AS BIGINT) AS members,
                    CAST(t.reachable AS BIGINT) AS reachable
             FROM unit_tallies t JOIN units u ON u.id = t.unit_id
             WHERE u.path LIKE $1 AND (t.members <> 0 OR t.reachable <> 0)
               AND t.role <> 'liaison'",
        )
        .bind(format!("{unit_path}%"))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("path")?,
                r.try_get("role")?,
                r.try_get("members")?,
                r.try_get("reachable")?,
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(MemberCounts { rows })
    }

    /// [members, reachable] for `unit_path` and each of its direct children.
    pub fn below(&self, unit_path: &str) -> Rolled<2> {
        Rolled::from_rows(
            unit_path,
            self.rows
                .iter()
                .map(|(path, _, members, reachable)| (path.clone(), [*members, *reachable])),
        )
    }

    /// Members a campaign asks to sign (`signers`: a role, or `everyone`), counted only in
    /// units inside the campaign's own subtree (`campaign_path`).
    pub fn scope_below(&self, unit_path: &str, campaign_path: &str, signers: &str) -> Rolled<1> {
        Rolled::from_rows(
            unit_path,
            self.rows
                .iter()
                .filter(|(path, role, _, _)| {
                    path.starts_with(campaign_path) && (signers == "everyone" || role == signers)
                })
                .map(|(path, _, members, _)| (path.clone(), [*members])),
        )
    }
}

/// Members and reachable members of every unit in the subtree of `unit_path`.
pub async fn members_below(conn: &mut Conn, unit_path: &str) -> Result<Rolled<2>, StoreError> {
    Ok(MemberCounts::load(conn, unit_path).await?.below(unit_path))
}

/// Members of the unit itself, not of the units below it.
pub async fn members_of(conn: &mut Conn, unit_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "SELECT CAST(COALESCE(SUM(members), 0) AS BIGINT) AS n FROM unit_tallies
         WHERE unit_id = $1 AND role <> 'liaison'",
    )
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

/// A campaign's [signed, scope] per unit of the viewer's subtree that lies inside the
/// campaign's own subtree: signatures of its current version by the role it asks, over
/// the members of that role (`counts`: the viewer's subtree, read once per page).
#[instrument(skip_all)]
pub async fn signatures_below(
    conn: &mut Conn,
    counts: &MemberCounts,
    campaign_id: i64,
    unit_path: &str,
) -> Result<Rolled<2>, StoreError> {
    let Some(campaign) = sqlx::query(
        "SELECT cu.path, c.signers FROM commitment_campaigns c
         JOIN units cu ON cu.id = c.unit_id WHERE c.id = $1",
    )
    .bind(campaign_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Rolled::from_rows(unit_path, []));
    };
    let campaign_path: String = campaign.try_get("path")?;
    let signers: String = campaign.try_get("signers")?;
    let signed = sqlx::query(
        "SELECT u.path, CAST(SUM(t.signed) AS BIGINT) AS n
         FROM commitment_campaigns c
         JOIN signature_tallies t ON t.campaign_id = c.id AND t.version = c.current_version
         JOIN units u ON u.id = t.unit_id
         WHERE c.id = $1 AND u.path LIKE $2 AND u.path LIKE $3
           AND (c.signers = 'everyone' OR c.signers = t.role) AND t.role <> 'liaison'
         GROUP BY u.path",
    )
    .bind(campaign_id)
    .bind(format!("{unit_path}%"))
    .bind(format!("{campaign_path}%"))
    .fetch_all(&mut *conn)
    .await?;
    let scope = counts.scope_below(unit_path, &campaign_path, &signers);
    let mut rows = Vec::with_capacity(signed.len());
    for r in &signed {
        rows.push((r.try_get::<String, _>("path")?, [r.try_get("n")?, 0]));
    }
    let mut rolled = Rolled::from_rows(unit_path, rows);
    rolled.total[1] = scope.total[0];
    for (child, [n]) in scope.children {
        rolled.children.entry(child).or_insert([0, 0])[1] = n;
    }
    Ok(rolled)
}

/// «Đã nắm» of one directive or broadcast: [confirmed, asked] per unit of the subtree.
#[instrument(skip_all)]
pub async fn acks_below(
    conn: &mut Conn,
    kind: &str,
    object_id: i64,
    unit_path: &str,
) -> Result<Rolled<2>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.path, CAST(SUM(t.acked) AS BIGINT) AS acked, CAST(SUM(t.asked) AS BIGINT) AS asked
         FROM ack_tallies t JOIN units u ON u.id = t.unit_id
         WHERE t.kind = $1 AND t.object_id = $2 AND u.path LIKE $3
         GROUP BY u.path",
    )
    .bind(kind)
    .bind(object_id)
    .bind(format!("{unit_path}%"))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<String, _>("path")?,
            [r.try_get("acked")?, r.try_get("asked")?],
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Rolled::from_rows(unit_path, rows))
}

/// A unit and its direct children, the unit first, then by name: the rows of a roll-up.
pub async fn unit_and_children(
    conn: &mut Conn,
    unit_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query(
        "SELECT id, name FROM units WHERE id = $1 OR parent_id = $1
         ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END, name, id",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
    .collect()
}

type Counts = BTreeMap<String, Vec<i64>>;

async fn counts(conn: &mut Conn, sql: &'static str, width: usize) -> Result<Counts, StoreError> {
    let mut out = Counts::new();
    for r in sqlx::query(sql).fetch_all(&mut *conn).await? {
        let key: String = r.try_get(0)?;
        let figures = (1..=width)
            .map(|i| r.try_get::<i64, _>(i))
            .collect::<Result<Vec<_>, _>>()?;
        if figures.iter().any(|n| *n != 0) {
            out.insert(key, figures);
        }
    }
    Ok(out)
}

/// Every counter that differs from a full recount of the base tables, described (empty
/// when all agree). Slow on a big database: for tests and an operator's check.
#[instrument(skip_all)]
pub async fn drift(conn: &mut Conn) -> Result<Vec<String>, StoreError> {
    let pairs: [(&str, &'static str, &'static str, usize); 3] = [
        (
            "unit",
            "SELECT CAST(m.unit_id AS TEXT) || ' ' || m.role, CAST(COUNT(*) AS BIGINT),
                    CAST(SUM(CASE WHEN m.unreachable_at IS NULL AND EXISTS
                        (SELECT 1 FROM identities i WHERE i.member_id = m.id) THEN 1 ELSE 0 END) AS BIGINT)
             FROM members m GROUP BY m.unit_id, m.role",
            "SELECT CAST(unit_id AS TEXT) || ' ' || role, CAST(members AS BIGINT),
                    CAST(reachable AS BIGINT) FROM unit_tallies",
            2,
        ),
        (
            "signatures",
            "SELECT CAST(s.campaign_id AS TEXT) || ' v' || CAST(s.version AS TEXT) || ' '
                    || CAST(m.unit_id AS TEXT) || ' ' || m.role, CAST(COUNT(*) AS BIGINT)
             FROM commitment_signatures s JOIN members m ON m.id = s.member_id
             GROUP BY s.campaign_id, s.version, m.unit_id, m.role",
            "SELECT CAST(campaign_id AS TEXT) || ' v' || CAST(version AS TEXT) || ' '
                    || CAST(unit_id AS TEXT) || ' ' || role, CAST(signed AS BIGINT)
             FROM signature_tallies",
            1,
        ),
        (
            "acks",
            "SELECT a.kind || ' ' || CAST(a.object_id AS TEXT) || ' ' || CAST(m.unit_id AS TEXT),
                    CAST(COUNT(*) AS BIGINT), CAST(COUNT(a.acked_at) AS BIGINT)
             FROM acknowledgements a JOIN members m ON m.id = a.member_id
             GROUP BY a.kind, a.object_id, m.unit_id",
            "SELECT kind || ' ' || CAST(object_id AS TEXT) || ' ' || CAST(unit_id AS TEXT),
                    CAST(asked AS BIGINT), CAST(acked AS BIGINT) FROM ack_tallies",
            2,
        ),
    ];
    let mut out = vec![];
    for (name, recount_sql, tally_sql, width) in pairs {
        let recount = counts(conn, recount_sql, width).await?;
        let tallied = counts(conn, tally_sql, width).await?;
        let keys: std::collections::BTreeSet<&String> =
            recount.keys().chain(tallied.keys()).collect();
        for key in keys {
            let (a, b) = (recount.get(key), tallied.get(key));
            if a != b {
                out.push(format!("{name} {key}: counted {a:?}, kept {b:?}"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_counts_in_its_ancestors_row_and_its_childs() {
        assert_eq!(child_below("/1/", "/1/"), Some(None));
        assert_eq!(child_below("/1/", "/1/2/37/"), Some(Some(2)));
        assert_eq!(child_below("/1/", "/1/20/"), Some(Some(20)));
        assert_eq!(child_below("/1/2/", "/1/20/"), None);
        assert_eq!(child_below("/1/2/", "/3/"), None);
        let rolled = Rolled::from_rows(
            "/1/",
            [
                ("/1/".to_string(), [1, 1]),
                ("/1/2/".to_string(), [2, 1]),
                ("/1/2/9/".to_string(), [3, 0]),
                ("/1/4/".to_string(), [5, 5]),
                ("/7/".to_string(), [100, 100]),
            ],
        );
        assert_eq!(rolled.total, [11, 7]);
        assert_eq!(rolled.child(2), [5, 1]);
        assert_eq!(rolled.child(4), [5, 5]);
        assert_eq!(rolled.child(9), [0, 0]);
        assert_eq!(rolled.of(1, 1), [11, 7]);
    }
}
