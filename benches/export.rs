//! Exports at the chat limit: 100,000 members of one unit (EXPORT_ROWS to change it),
//! time to count, read, write .xlsx and .csv, the files' sizes and the peak memory.
//! These figures set `CHAT_EXPORT_MAX_ROWS`: exports are built in memory.
//!
//!     cargo bench --bench export
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench export

mod common;

use std::time::Instant;

use congdoan_bot::core::domain::Lang;
use congdoan_bot::i18n::I18n;
use congdoan_bot::reports::ExportKind;
use congdoan_bot::reports::export::{to_csv, to_xlsx};
use congdoan_bot::store::Store;
use congdoan_bot::store::reports::{export_rows, export_table};

async fn measure(backend: &str, store: &Store, rows: i64) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO units (id, code, parent_id, name, kind, path, depth, created_at, updated_at)
         VALUES (1, 'CDCS-BENCH', NULL, 'Công đoàn cơ sở Công ty May Việt Tiến', 'grassroots', '/1/', 0, 0, 0)",
    )
    .execute(store.pool())
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {rows})
         INSERT INTO members (unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT 1, 'member', 'Nguyễn Thị Hồng Nhung ' || CAST(n AS TEXT), 'vi', 0, 1700000000000 FROM seq"
    )))
    .execute(store.pool())
    .await?;
    let i18n = I18n::new();
    let before = common::peak_rss_mb();
    let mut conn = store.pool().acquire().await?;
    let t = Instant::now();
    let counted = export_rows(&mut conn, ExportKind::Members, "/1/").await?;
    let count_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let table = export_table(&mut conn, &i18n, Lang::Vi, ExportKind::Members, "/1/").await?;
    let read_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let xlsx = to_xlsx(&table)?;
    let xlsx_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let csv = to_csv(&table)?;
    let csv_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(counted == table.rows.len() as i64, "count and rows differ");
    println!(
        "{backend}: {counted} members | count {count_ms:.0} ms | read {read_s:.2} s | xlsx {xlsx_s:.2} s, {:.1} MB | csv {csv_s:.2} s, {:.1} MB | peak RSS {before:.0} MB before, {:.0} MB after",
        xlsx.len() as f64 / 1e6,
        csv.len() as f64 / 1e6,
        common::peak_rss_mb()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows: i64 = std::env::var("EXPORT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&url).await?;
    measure("SQLite", &store, rows).await?;
    store.close().await;
    if let Ok(admin_url) = std::env::var("BENCH_DATABASE_URL") {
        let url = common::fresh_postgres(&admin_url, "congdoan_bench_export").await?;
        let store = Store::open(&url).await?;
        measure("PostgreSQL", &store, rows).await?;
        store.close().await;
        common::drop_postgres(&admin_url, "congdoan_bench_export").await?;
    }
    Ok(())
}
