//! Shared by the benchmarks: peak memory and a throw-away PostgreSQL database.
#![allow(dead_code)]

use congdoan_bot::store::Store;

/// Peak resident set size of this process, in MB (Linux).
pub fn peak_rss_mb() -> f64 {
    peak_rss_mb_of("self")
}

/// Peak resident set size of process `pid` ("self" for this one), in MB (Linux).
pub fn peak_rss_mb_of(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Recreate database `name` next to `admin_url`'s and return its URL.
pub async fn fresh_postgres(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let admin = Store::connect(admin_url).await?;
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(admin.pool())
            .await?;
    }
    admin.close().await;
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let base = &base[..base.rfind('/').unwrap_or(base.len())];
    Ok(format!("{base}/{name}"))
}

/// Drop database `name` next to `admin_url`'s.
pub async fn drop_postgres(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let admin = Store::connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(admin.pool())
    .await?;
    admin.close().await;
    Ok(())
}
