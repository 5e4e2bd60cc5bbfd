//! Invite codes: unguessable, limited in uses and time.

use sqlx::Row;

use super::{Conn, Store, StoreError};
use crate::core::conversation::InviteStatus;
use crate::core::domain::{InviteCode, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvite {
    pub code: InviteCode,
    pub expires_at: Option<i64>,
}

impl Store {
    pub async fn create_invite(
        &self,
        unit_id: i64,
        role: Role,
        max_uses: i64,
        expires_at: Option<i64>,
    ) -> Result<NewInvite, StoreError> {
        let now = crate::core::time::now_ms();
        loop {
            let code = InviteCode::generate();
            let inserted = sqlx::query(
                "INSERT INTO invites (code, unit_id, role, max_uses, uses, expires_at, created_at)
                 VALUES ($1, $2, $3, $4, 0, $5, $6) ON CONFLICT (code) DO NOTHING",
            )
            .bind(code.as_str())
            .bind(unit_id)
            .bind(role.as_str())
            .bind(max_uses)
            .bind(expires_at)
            .bind(now)
            .execute(self.pool())
            .await?
            .rows_affected();
            // 60 random bits: a clash is practically impossible, but never reuse a code.
            if inserted == 1 {
                return Ok(NewInvite { code, expires_at });
            }
        }
    }
}

pub async fn status(
    conn: &mut Conn,
    code: &InviteCode,
    now: i64,
) -> Result<InviteStatus, StoreError> {
    let row = sqlx::query(
        "SELECT i.role, i.max_uses, i.uses, i.expires_at, u.name
         FROM invites i JOIN units u ON u.id = i.unit_id WHERE i.code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(InviteStatus::Unknown);
    };
    let expires_at: Option<i64> = r.try_get("expires_at")?;
    let max_uses: i64 = r.try_get("max_uses")?;
    let uses: i64 = r.try_get("uses")?;
    if expires_at.is_some_and(|e| e <= now) {
        return Ok(InviteStatus::Expired);
    }
    if uses >= max_uses {
        return Ok(InviteStatus::UsedUp);
    }
    let Ok(role) = Role::parse(&r.try_get::<String, _>("role")?) else {
        return Ok(InviteStatus::Unknown);
    };
    Ok(InviteStatus::Valid {
        unit_name: r.try_get("name")?,
        role,
    })
}

/// Count one use, atomically; `None` when the code is no longer usable.
pub async fn consume(
    conn: &mut Conn,
    code: &InviteCode,
    now: i64,
) -> Result<Option<(i64, Role)>, StoreError> {
    let row = sqlx::query(
        "UPDATE invites SET uses = uses + 1
         WHERE code = $1 AND uses < max_uses AND (expires_at IS NULL OR expires_at > $2)
         RETURNING unit_id, role",
    )
    .bind(code.as_str())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let role = Role::parse(&r.try_get::<String, _>("role")?).ok();
    Ok(role.map(|role| (r.try_get("unit_id").unwrap_or_default(), role)))
}

pub use crate::core::conversation::officer::InviteBrief;

/// Create an invite made in chat: `unit_id` must be an open unit of the subtree at
/// `officer_path` and `role` no higher than `officer_role` (checked here again, whatever
/// the caller checked). `None`: refused, nothing written.
#[allow(clippy::too_many_arguments)]
pub async fn create_in_subtree(
    conn: &mut Conn,
    officer_path: &str,
    officer_role: Role,
    created_by: i64,
    unit_id: i64,
    role: Role,
    max_uses: i64,
    expires_at: i64,
    now: i64,
) -> Result<Option<InviteCode>, StoreError> {
    if !crate::core::conversation::officer::may_grant(officer_role, role)
        || !(1..=crate::core::conversation::officer::MAX_INVITE_USES).contains(&max_uses)
    {
        return Ok(None);
    }
    loop {
        let code = InviteCode::generate();
        let inserted = sqlx::query(
            "INSERT INTO invites (code, unit_id, role, max_uses, uses, expires_at, created_at, created_by)
             SELECT $1, u.id, $2, $3, 0, $4, $5, $6 FROM units u
             WHERE u.id = $7 AND u.path LIKE $8 AND u.closed_at IS NULL
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code.as_str())
        .bind(role.as_str())
        .bind(max_uses)
        .bind(expires_at)
        .bind(now)
        .bind(created_by)
        .bind(unit_id)
        .bind(format!("{officer_path}%"))
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(Some(code));
        }
        // Nothing inserted: the unit is not allowed (then never), or the code clashed.
        let allowed = super::units::open_in_subtree(conn, officer_path, unit_id)
            .await?
            .is_some();
        if !allowed {
            return Ok(None);
        }
    }
}

/// Usable invites of the subtree at `officer_path`, newest first (only `code`, when
/// given).
pub async fn active_in_subtree(
    conn: &mut Conn,
    officer_path: &str,
    code: Option<&InviteCode>,
    now: i64,
    limit: i64,
) -> Result<Vec<InviteBrief>, StoreError> {
    let rows = sqlx::query(
        "SELECT i.code, i.unit_id, u.name, i.role, i.uses, i.max_uses, i.expires_at
         FROM invites i JOIN units u ON u.id = i.unit_id
         WHERE u.path LIKE $1 AND u.closed_at IS NULL AND i.uses < i.max_uses
           AND (i.expires_at IS NULL OR i.expires_at > $2) AND ($3 = '' OR i.code = $3)
         ORDER BY i.created_at DESC, i.code LIMIT $4",
    )
    .bind(format!("{officer_path}%"))
    .bind(now)
    .bind(code.map_or("", |c| c.as_str()))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(InviteBrief {
                code: r.try_get("code")?,
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("name")?,
                role: Role::parse(&r.try_get::<String, _>("role")?).unwrap_or(Role::Member),
                uses: r.try_get("uses")?,
                max_uses: r.try_get("max_uses")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .collect()
}

/// Revoke a usable invite of the subtree (it expires now); returns its unit id, `None`
/// when the code is not one of the subtree's usable invites.
pub async fn revoke_in_subtree(
    conn: &mut Conn,
    officer_path: &str,
    code: &InviteCode,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "UPDATE invites SET expires_at = $1, revoked_at = $1
         WHERE code = $2 AND (expires_at IS NULL OR expires_at > $1)
           AND unit_id IN (SELECT id FROM units WHERE path LIKE $3)
         RETURNING unit_id",
    )
    .bind(now)
    .bind(code.as_str())
    .bind(format!("{officer_path}%"))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("unit_id")).transpose()?)
}

/// The unit an invite is for (any status): (id, name, path).
pub async fn unit_of(
    conn: &mut Conn,
    code: &InviteCode,
) -> Result<Option<(i64, String, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.path FROM invites i JOIN units u ON u.id = i.unit_id
         WHERE i.code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("path")?)))
        .transpose()
}

/// A usable invite's unit name and expiry (for its poster), `None` otherwise.
pub async fn usable(
    conn: &mut Conn,
    code: &InviteCode,
    now: i64,
) -> Result<Option<(String, Option<i64>)>, StoreError> {
    let row = sqlx::query(
        "SELECT u.name, i.expires_at FROM invites i JOIN units u ON u.id = i.unit_id
         WHERE i.code = $1 AND i.uses < i.max_uses AND (i.expires_at IS NULL OR i.expires_at > $2)
           AND u.closed_at IS NULL",
    )
    .bind(code.as_str())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((r.try_get("name")?, r.try_get("expires_at")?)))
        .transpose()
}
