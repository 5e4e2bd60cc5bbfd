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
