//! Inbound webhook throughput with 1, 2 and 3 instances of the real binary on one
//! PostgreSQL: a load balancer's worth of concurrent webhook POSTs spread over the
//! instances; figures for accepting (stored in the inbox, 200 answered) and for end to
//! end (processed by the core, replies queued).
//!
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench cluster
//!     CLUSTER_UPDATES=20000 CLUSTER_CONCURRENCY=128 …           # heavier load
//!     CLUSTER_INSTANCES=1 …                                      # only 1 (1..=N)

#[path = "../tests/common/fake_telegram.rs"]
#[allow(dead_code)]
mod fake_telegram;

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use congdoan_bot::store::Store;
use fake_telegram::{FakeTelegram, TgUser};
use futures::StreamExt;
use serde_json::json;
use sqlx::Row;

const SECRET: &str = "cluster-bench-secret";

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

async fn count(store: &Store, sql: &'static str) -> anyhow::Result<i64> {
    Ok(sqlx::query(sql).fetch_one(store.pool()).await?.try_get(0)?)
}

async fn run(
    admin_url: &str,
    instances: usize,
    updates: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    let name = format!("congdoan_bench_cluster_{instances}");
    let url = common::fresh_postgres(admin_url, &name).await?;
    // Migrate once before the instances race to do it.
    let store = Store::open(&url).await?;
    let fake = FakeTelegram::start().await;
    let mut children: Vec<(Child, String)> = Vec::new();
    for _ in 0..instances {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("TELOXIDE_TOKEN", "1:CLUSTER-BENCH")
            .env("TELOXIDE_API_URL", fake.url())
            .env("CONGDOAN_SEND_RATE", "100000")
            .env("CONGDOAN_LISTEN", format!("127.0.0.1:{port}"))
            .env("CONGDOAN_PUBLIC_URL", "https://bot.congdoan.example")
            .env("CONGDOAN_WEBHOOK_SECRET", SECRET)
            .env("RUST_LOG", "error")
            .env_remove("ZALO_BOT_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        children.push((child, format!("http://127.0.0.1:{port}")));
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    for (_, base) in &children {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{base}/healthz")).send().await
                && r.status() == 200
            {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "instance {base} did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let hooks: Vec<String> = children
        .iter()
        .map(|(_, b)| format!("{b}/webhook/telegram"))
        .collect();
    // Guests writing /help, three messages each: a real core answer per update.
    let bodies: Vec<String> = (0..updates)
        .map(|i| {
            let user = TgUser::new(5_000_000 + (i / 3) as i64, "Khách");
            let mut u = user.text("/help");
            u["update_id"] = json!(i + 1);
            u.to_string()
        })
        .collect();
    let t0 = Instant::now();
    let refused = futures::stream::iter(bodies.into_iter().enumerate())
        .map(|(i, body)| {
            let client = client.clone();
            let hook = hooks[i % hooks.len()].clone();
            async move {
                let r = client
                    .post(hook)
                    .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                !matches!(r, Ok(r) if r.status() == 200)
            }
        })
        .buffer_unordered(concurrency)
        .filter(|refused| std::future::ready(*refused))
        .count()
        .await;
    let accepted_in = t0.elapsed();
    let deadline = Instant::now() + Duration::from_secs(600);
    while count(
        &store,
        "SELECT COUNT(*) FROM inbox WHERE status = 'pending'",
    )
    .await?
        > 0
    {
        anyhow::ensure!(Instant::now() < deadline, "processing did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let processed_in = t0.elapsed();
    let done = count(&store, "SELECT COUNT(*) FROM inbox WHERE status = 'done'").await?;
    let rss: Vec<String> = children
        .iter()
        .map(|(c, _)| format!("{:.0}", common::peak_rss_mb_of(&c.id().to_string())))
        .collect();
    println!(
        "{instances} instance(s): {updates} webhooks, {concurrency} at a time | accepted {:.0}/s ({:.2} s, {refused} refused) | processed end to end {:.0}/s ({:.2} s, {done} done) | peak RSS per instance {} MB",
        updates as f64 / accepted_in.as_secs_f64(),
        accepted_in.as_secs_f64(),
        done as f64 / processed_in.as_secs_f64(),
        processed_in.as_secs_f64(),
        rss.join(" / ")
    );
    for (mut c, _) in children {
        // SIGTERM would be kinder; the database is thrown away anyway.
        let _ = c.kill();
        let _ = c.wait();
    }
    store.close().await;
    common::drop_postgres(admin_url, &name).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Ok(admin_url) = std::env::var("BENCH_DATABASE_URL") else {
        println!(
            "cluster: set BENCH_DATABASE_URL=postgres://… (several instances need PostgreSQL)"
        );
        return Ok(());
    };
    let updates = env_num("CLUSTER_UPDATES", 6_000);
    let concurrency = env_num("CLUSTER_CONCURRENCY", 64);
    for instances in 1..=env_num("CLUSTER_INSTANCES", 3) {
        run(&admin_url, instances, updates, concurrency).await?;
    }
    Ok(())
}
