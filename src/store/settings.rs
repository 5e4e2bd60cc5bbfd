//! Small key/value settings (the bot's username, learnt from getMe, for invite links;
//! the retention job's watermarks).

use sqlx::Row;

use super::{Conn, Store, StoreError};

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get::<String, _>("value")).transpose()?)
}

pub async fn set(conn: &mut Conn, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        get(&mut *self.pool().acquire().await?, key).await
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        set(&mut *self.pool().acquire().await?, key, value).await
    }
}
