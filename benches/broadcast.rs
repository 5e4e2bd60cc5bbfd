//! Broadcast engine against the limit-enforcing fake Bot API (real HTTP on loopback).
//!
//! (a) N recipients at the default 30/s: achieved rate as a fraction of the limit and
//!     the count of limit violations (429s the bot provoked);
//! (b) the same with the limit at 100,000/s: raw engine throughput and peak RSS;
//! (c) the obvious loop with teloxide's Throttle adaptor, as the baseline.
//!
//!     cargo bench --bench broadcast                     # SQLite, N = 10,000
//!     BROADCAST_N=2000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench --bench broadcast
//!     BROADCAST_PARTS=b cargo bench --bench broadcast  # only (b), the raw throughput

#[path = "../tests/common/fake_telegram.rs"]
#[allow(dead_code)]
mod fake_telegram;

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::peak_rss_mb;
use congdoan_bot::channels::Transport;
use congdoan_bot::channels::telegram::{TelegramTransport, make_bot};
use congdoan_bot::cluster::Leadership;
use congdoan_bot::core::event::Outbound;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::sender::{SendLimits, Sender};
use congdoan_bot::store::Store;
use congdoan_bot::store::outbox::{self, PRIORITY_BULK};
use fake_telegram::FakeTelegram;
use futures::StreamExt;
use teloxide::adaptors::throttle::Limits;
use teloxide::prelude::*;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

const TEXT: &str = "⏰ <b>Còn 7 ngày</b>: Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8/2027).";

async fn wait_for(fake: &FakeTelegram, n: usize, limit: Duration) -> Duration {
    let t0 = Instant::now();
    while fake.sent_count() < n && t0.elapsed() < limit {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    t0.elapsed()
}

async fn engine(label: &str, url: &str, n: usize, rate: u32) -> anyhow::Result<()> {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(rate as usize);
    let store = Store::open(url).await?;
    sqlx::query("DELETE FROM outbox")
        .execute(store.pool())
        .await?;
    let body = Outbound::Message {
        text: TEXT.into(),
        buttons: vec![],
    };
    let mut tx = store.begin().await?;
    for i in 0..n {
        outbox::enqueue(
            &mut tx,
            "telegram",
            &(1_000_000 + i).to_string(),
            &body,
            PRIORITY_BULK,
            now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    let bot = make_bot("1:BENCH", Some(&fake.url()))?;
    let sender = Sender {
        store: store.clone(),
        transport: Arc::new(Transport::Telegram(TelegramTransport { bot })),
        limits: SendLimits::telegram(rate),
        outbox_ready: Arc::new(Notify::new()),
        leadership: Leadership::always("sender:telegram"),
        zalo_photos: None,
    };
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(sender.run(shutdown.clone()));
    let budget = Duration::from_secs_f64(n as f64 / f64::from(rate) * 3.0 + 60.0);
    let wall = wait_for(&fake, n, budget).await;
    shutdown.cancel();
    let _ = task.await;
    let sent = fake.sent_count();
    let span = fake.sending_span().unwrap_or(wall).as_secs_f64().max(1e-9);
    let achieved = (sent.saturating_sub(1)) as f64 / span;
    println!(
        "{label}: {sent}/{n} delivered in {:.1} s | {:.0} msg/s = {:.3} of the {rate}/s limit | violations {} | peak RSS {:.1} MB",
        wall.as_secs_f64(),
        achieved,
        achieved / f64::from(rate),
        fake.violations(),
        peak_rss_mb()
    );
    store.close().await;
    Ok(())
}

/// The obvious loop: every recipient through teloxide's Throttle, 32 at a time.
async fn throttle_baseline(n: usize, rate: u32) -> anyhow::Result<()> {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(rate as usize);
    let limits = Limits {
        messages_per_sec_overall: rate,
        ..Limits::default()
    };
    let bot = make_bot("1:BENCH", Some(&fake.url()))?.throttle(limits);
    let t0 = Instant::now();
    futures::stream::iter(0..n)
        .for_each_concurrent(32, |i| {
            let bot = bot.clone();
            async move {
                let _ = bot
                    .send_message(ChatId(1_000_000 + i as i64), TEXT)
                    .parse_mode(teloxide::types::ParseMode::Html)
                    .await;
            }
        })
        .await;
    let wall = t0.elapsed();
    let sent = fake.sent_count();
    let span = fake.sending_span().unwrap_or(wall).as_secs_f64().max(1e-9);
    let achieved = (sent.saturating_sub(1)) as f64 / span;
    println!(
        "throttle baseline: {sent}/{n} delivered in {:.1} s | {:.0} msg/s = {:.3} of the {rate}/s limit | violations {} (each a lost message: no retry)",
        wall.as_secs_f64(),
        achieved,
        achieved / f64::from(rate),
        fake.violations()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("BROADCAST_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("broadcast.db").display());
    let mut targets = vec![("sqlite", sqlite)];
    if let Ok(admin_url) = std::env::var("BENCH_DATABASE_URL") {
        let url = common::fresh_postgres(&admin_url, "congdoan_bench_broadcast").await?;
        targets.push(("postgres", url));
    }
    // BROADCAST_PARTS=b runs only the raw-throughput part (a and c take N/30 seconds).
    let parts = std::env::var("BROADCAST_PARTS").unwrap_or_else(|_| "abc".into());
    for (label, url) in &targets {
        if parts.contains('a') {
            engine(&format!("(a) {label} at 30/s"), url, n, 30).await?;
        }
        if parts.contains('b') {
            engine(&format!("(b) {label} at 100000/s"), url, n, 100_000).await?;
        }
    }
    if parts.contains('c') {
        throttle_baseline(n, 30).await?;
    }
    Ok(())
}
