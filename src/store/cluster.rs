//! PostgreSQL advisory locks for several instances: session locks elect the leader of
//! a job (see `crate::cluster`), transaction locks keep one chat's updates in order.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{Conn, StoreError};

/// A stable 64-bit lock key for a name (the same in every instance and version).
pub fn lock_key(name: &str) -> i64 {
    let digest = Sha256::digest(format!("congdoan-bot:{name}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

pub fn job_key(job: &str) -> i64 {
    lock_key(&format!("job:{job}"))
}

pub fn chat_key(channel: &str, chat_id: &str) -> i64 {
    lock_key(&format!("chat:{channel}:{chat_id}"))
}

/// Take the session lock `key` if nobody holds it.
pub async fn try_lock(conn: &mut Conn, key: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query("SELECT pg_try_advisory_lock($1) AS won")
        .bind(key)
        .fetch_one(&mut *conn)
        .await?
        .try_get("won")?)
}

pub async fn unlock(conn: &mut Conn, key: i64) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn ping(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("SELECT 1").execute(&mut *conn).await?;
    Ok(())
}

/// Take the transaction lock `key` if nobody holds it; freed at commit or rollback.
pub async fn try_lock_for_tx(conn: &mut Conn, key: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query("SELECT pg_try_advisory_xact_lock($1) AS won")
        .bind(key)
        .fetch_one(&mut *conn)
        .await?
        .try_get("won")?)
}
