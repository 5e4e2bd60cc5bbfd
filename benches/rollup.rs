//! Commitment roll-up at the real scale: 10,000 units, 1,000,000 members, 600,000
//! signatures, built with bulk INSERT … SELECT (recursive CTE), then the time of a
//! whole-tree roll-up and of one province's, and of the Monday digest for every unit
//! that has officers (one member in 100, and one officer per unit above the grassroots). SQLite always; PostgreSQL too with
//! BENCH_DATABASE_URL (a database that may be emptied).
//!
//! Then the officers' console: the dashboard (Tổng quan) of the root and of one province
//! with 10,000 open tips, p50 and p95 of 20 runs each (target: province ≤ 100 ms, root
//! ≤ 300 ms at p95).
//!
//! `cargo bench --bench rollup`

use std::time::Instant;

use chrono::NaiveDate;
use congdoan_bot::core::calendar::local_time_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::store::{Store, commitments};
use congdoan_bot::web::dashboard::{UnitRow, figures_below};

const UNITS: i64 = 10_000;
const MEMBERS: i64 = 1_000_000;
const PROVINCES: i64 = 34;
const LEVEL3: i64 = 1_020;

async fn exec(store: &Store, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await
        .expect("bench sql");
}

fn seq(n: i64) -> String {
    format!("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {n})")
}

async fn build(store: &Store) {
    let t = Instant::now();
    let p_first = 2;
    let l3_first = p_first + PROVINCES;
    let l4_first = l3_first + LEVEL3;
    // Root, provinces, communes / industrial zones, grassroots unions.
    exec(store, format!(
        "{} INSERT INTO units (id, code, parent_id, name, kind, path, depth, created_at, updated_at)
         SELECT n, 'U' || CAST(n AS TEXT),
           CASE WHEN n = 1 THEN NULL
                WHEN n < {l3_first} THEN 1
                WHEN n < {l4_first} THEN {p_first} + (n - {l3_first}) % {PROVINCES}
                ELSE {l3_first} + (n - {l4_first}) % {LEVEL3} END,
           'Đơn vị ' || CAST(n AS TEXT), 'unit',
           CASE WHEN n = 1 THEN '/1/'
                WHEN n < {l3_first} THEN '/1/' || CAST(n AS TEXT) || '/'
                WHEN n < {l4_first} THEN '/1/' || CAST({p_first} + (n - {l3_first}) % {PROVINCES} AS TEXT) || '/' || CAST(n AS TEXT) || '/'
                ELSE '/1/' || CAST({p_first} + ((n - {l4_first}) % {LEVEL3}) % {PROVINCES} AS TEXT) || '/'
                     || CAST({l3_first} + (n - {l4_first}) % {LEVEL3} AS TEXT) || '/' || CAST(n AS TEXT) || '/' END,
           CASE WHEN n = 1 THEN 0 WHEN n < {l3_first} THEN 1 WHEN n < {l4_first} THEN 2 ELSE 3 END,
           0, 0
         FROM seq",
        seq(UNITS)
    ))
    .await;
    let grassroots = UNITS - l4_first + 1;
    exec(store, format!(
        "{} INSERT INTO members (id, unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT n, {l4_first} + n % {grassroots}, 'member', 'Đoàn viên ' || CAST(n AS TEXT), 'vi', 0, 0 FROM seq",
        seq(MEMBERS)
    ))
    .await;
    exec(store, "INSERT INTO commitment_campaigns (id, unit_id, title, signers, deadline_at, current_version, remind_hour, created_at)
         VALUES (1, 1, 'Cam kết', 'member', 9999999999999, 1, 8, 0)".into()).await;
    exec(
        store,
        "INSERT INTO commitment_versions (campaign_id, version, text, text_hash, created_at)
         VALUES (1, 1, 'Cam kết', 'h', 0)"
            .into(),
    )
    .await;
    exec(store, "INSERT INTO commitment_signatures (campaign_id, member_id, version, text_hash, signed_at, channel)
         SELECT 1, id, 1, 'h', 0, 'telegram' FROM members WHERE id % 5 < 3".into()).await;
    exec(store, "ANALYZE".into()).await;
    println!(
        "  built 10,000 units, 1,000,000 members, 600,000 signatures in {:.1?}",
        t.elapsed()
    );
}

/// The console's dashboard: p50/p95 for the root and one province, with open tips.
async fn dashboard(store: &Store) {
    let grassroots_first = 2 + PROVINCES + LEVEL3;
    let grassroots = UNITS - grassroots_first + 1;
    exec(
        store,
        format!(
            "{} INSERT INTO tips (receipt_code, unit_id, handling_unit_id, category, description,
                                  anonymous, status, escalate_at, created_at)
             SELECT 'B' || CAST(n AS TEXT), {grassroots_first} + n % {grassroots},
                    {grassroots_first} + n % {grassroots}, 'theft', 'Mất xe', 0, 'new',
                    CASE WHEN n % 3 = 0 THEN 1 ELSE NULL END, 0
             FROM seq",
            seq(10_000)
        ),
    )
    .await;
    let mut conn = store.pool().acquire().await.expect("conn");
    for (label, id, path) in [("root", 1i64, "/1/"), ("one province", 2, "/1/2/")] {
        let unit = UnitRow {
            id,
            name: label.to_string(),
            path: path.to_string(),
            parent_id: None,
        };
        let mut times = vec![];
        let mut children = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let below = figures_below(&mut conn, &unit, 1).await.expect("dashboard");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            children = below.children.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "  dashboard of the {label} ({children} child units): p50 {:.0} ms, p95 {:.0} ms",
            times[times.len() / 2],
            times[times.len() * 95 / 100 - 1]
        );
    }
}

async fn measure(name: &str, store: &Store) {
    println!("{name}:");
    build(store).await;
    let mut conn = store.pool().acquire().await.expect("conn");
    for (label, unit, path) in [("whole tree", 1i64, "/1/"), ("one province", 2, "/1/2/")] {
        let mut best = f64::MAX;
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let r = commitments::rollup(&mut conn, 1, unit, path)
                .await
                .expect("rollup");
            best = best.min(t.elapsed().as_secs_f64());
            last = Some(r);
        }
        let (rows, _, _) = last.expect("ran");
        let top = &rows[0];
        println!(
            "  {label}: {:.1} ms (best of 3); {} rows, {}/{} signed",
            best * 1000.0,
            rows.len(),
            top.signed,
            top.scope
        );
    }
    drop(conn);
    dashboard(store).await;

    let upper = 1 + PROVINCES + LEVEL3;
    exec(
        store,
        "UPDATE members SET role = 'officer' WHERE id % 100 = 0".into(),
    )
    .await;
    exec(
        store,
        format!(
            "{} INSERT INTO members (id, unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT {MEMBERS} + n, n, 'officer', 'Cán bộ ' || CAST(n AS TEXT), 'vi', 0, 0 FROM seq",
            seq(upper)
        ),
    )
    .await;
    let units: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT unit_id) FROM members WHERE role = 'officer'")
            .fetch_one(store.pool())
            .await
            .expect("units with officers");
    let monday = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let at = local_time_ms(monday, 8).expect("08:00") + 5 * 60_000;
    let t = Instant::now();
    store.send_digests(&I18n::new(), at).await.expect("digests");
    let took = t.elapsed().as_secs_f64();
    println!(
        "  Monday digest: {units} units with officers in {took:.1} s ({:.2} ms per unit)",
        took * 1000.0 / units as f64
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&url).await.expect("sqlite");
    measure("SQLite", &store).await;
    store.close().await;
    if let Ok(url) = std::env::var("BENCH_DATABASE_URL") {
        let store = Store::open(&url).await.expect("postgres");
        // TRUNCATE: no per-row delete triggers (store::tallies) on a million members.
        exec(
            &store,
            "TRUNCATE tips, digests_sent, commitment_reminders, commitment_signatures,
                      commitment_versions, commitment_campaigns, identities, members, units,
                      unit_tallies, signature_tallies, ack_tallies CASCADE"
                .into(),
        )
        .await;
        measure("PostgreSQL", &store).await;
        store.close().await;
    }
}
