//! kill -9 in the middle of a 5,000-recipient broadcast: the real binary, a real
//! SIGKILL, a restart. Everyone gets the message; the number who get it twice is at most
//! what was in flight (claimed, not yet recorded) at the kill.

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Backend, FakeTelegram, TestDb, seed_broadcast};
use congdoan_bot::store::Store;
use sqlx::Row;

on_both_backends!(a_broadcast_survives_kill_9);

const N: i64 = 5_000;

fn serve(db: &str, fake: &FakeTelegram) -> Child {
    Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .arg("serve")
        .env("DATABASE_URL", db)
        .env("TELOXIDE_TOKEN", "1:CRASH-TEST")
        .env("TELOXIDE_API_URL", fake.url())
        .env("CONGDOAN_SEND_RATE", "400")
        // A dead sender's claims are taken over after this (PostgreSQL; SQLite at once).
        .env("CONGDOAN_SEND_LEASE_SECS", "2")
        .env("RUST_LOG", "warn")
        .env_remove("CONGDOAN_LISTEN")
        .env_remove("ZALO_BOT_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start congdoan-bot serve")
}

async fn wait_until(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_broadcast_survives_kill_9(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    let store = Store::open(&db.url).await.expect("store");
    // 5,000 workers, each with a Telegram account, and the broadcast queued for them.
    seed_broadcast(&store, N).await;

    let fake = FakeTelegram::start().await;
    let mut bot = serve(&db.url, &fake);
    wait_until("a third sent", 120, || {
        fake.sent_count() >= (N / 3) as usize
    })
    .await;
    bot.kill().expect("SIGKILL");
    bot.wait().expect("reaped");
    let at_kill = fake.sent_count();
    let in_flight: i64 = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sending'")
        .fetch_one(store.pool())
        .await
        .expect("count")
        .get("n");
    let recorded: i64 = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'")
        .fetch_one(store.pool())
        .await
        .expect("count")
        .get("n");
    assert!(at_kill < N as usize, "killed too late to prove anything");

    let mut bot = serve(&db.url, &fake);
    let distinct = || {
        let mut per_chat: HashMap<i64, usize> = HashMap::new();
        for m in fake.sent() {
            *per_chat.entry(m.chat_id).or_default() += 1;
        }
        per_chat
    };
    wait_until("everyone reached", 180, || distinct().len() >= N as usize).await;
    // Let the last results be recorded before stopping.
    tokio::time::sleep(Duration::from_millis(500)).await;
    bot.kill().expect("stop");
    bot.wait().expect("reaped");

    let per_chat = distinct();
    let twice = per_chat.values().filter(|&&n| n > 1).count() as i64;
    let total = fake.sent_count() as i64;
    eprintln!(
        "{backend:?}: killed after {at_kill} sends ({recorded} recorded, {in_flight} in flight); \
         after restart {total} sends to {} people, {twice} twice",
        per_chat.len()
    );
    assert_eq!(per_chat.len() as i64, N);
    assert!(per_chat.values().all(|&n| n <= 2));
    assert!(
        twice <= in_flight,
        "{twice} people got it twice, but only {in_flight} were in flight"
    );
    assert_eq!(total, N + twice);
    let sent: i64 = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'")
        .fetch_one(store.pool())
        .await
        .expect("count")
        .get("n");
    assert_eq!(sent, N, "every row ends 'sent'");
    store.close().await;
    db.drop_db().await;
}
