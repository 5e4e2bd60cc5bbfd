//! Three instances on one PostgreSQL, in webhook mode, against the limit-enforcing fake
//! Bot API: a broadcast and a burst of inbound updates, and the sending instance killed
//! with SIGKILL midway. Every update is processed once and in order per chat, every
//! recipient is reached, and the bot's rate limit holds across the handover.
//! (SQLite refuses a second instance: see tests/single_instance.rs.)

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Backend, FakeTelegram, TestApp, TestDb, TgUser, seed_broadcast};
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::store::Store;
use futures::StreamExt;
use serde_json::json;
use sqlx::Row;

const RECIPIENTS: i64 = 1_500;
const RATE: usize = 100;
const GUESTS: i64 = 150;
const UPDATES_EACH: i64 = 3;
const SECRET: &str = "cluster-test-secret";

struct Instance {
    child: Option<Child>,
    hook: String,
}

/// A failing test must not leave servers holding database connections behind.
impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn serve(db: &str, fake: &FakeTelegram) -> Instance {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .arg("serve")
        .env("DATABASE_URL", db)
        .env("TELOXIDE_TOKEN", "1:CLUSTER-TEST")
        .env("TELOXIDE_API_URL", fake.url())
        .env("CONGDOAN_SEND_RATE", RATE.to_string())
        .env("CONGDOAN_LISTEN", format!("127.0.0.1:{port}"))
        .env("CONGDOAN_PUBLIC_URL", "https://bot.congdoan.example")
        .env("CONGDOAN_WEBHOOK_SECRET", SECRET)
        .env("CONGDOAN_SEND_LEASE_SECS", "2")
        .env("RUST_LOG", "warn")
        .env_remove("ZALO_BOT_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start congdoan-bot serve");
    Instance {
        child: Some(child),
        hook: format!("http://127.0.0.1:{port}/webhook/telegram"),
    }
}

async fn wait_until(what: &str, secs: u64, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn healthy(client: &reqwest::Client, hook: &str) -> bool {
    let url = hook.replace("/webhook/telegram", "/healthz");
    matches!(client.get(url).send().await, Ok(r) if r.status() == 200)
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    sqlx::query(sql)
        .fetch_one(store.pool())
        .await
        .expect("count")
        .try_get::<i64, _>(0)
        .expect("count value")
}

/// Deliver one update like Telegram does: to the load balancer, which picks a live
/// instance; a failed delivery is tried again (on the next instance).
async fn deliver(
    client: &reqwest::Client,
    hooks: &[String],
    first: usize,
    update: serde_json::Value,
) {
    for attempt in 0..30 {
        let hook = &hooks[(first + attempt) % hooks.len()];
        let answer = client
            .post(hook)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(&update)
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        match &answer {
            Ok(r) if r.status() == 200 => return,
            Ok(r) => eprintln!(
                "update {}: {hook} answered {}",
                update["update_id"],
                r.status()
            ),
            // The killed instance refuses connections, as behind a load balancer.
            Err(e) if e.is_connect() => {}
            Err(e) => eprintln!("update {}: {hook}: {e:?}", update["update_id"]),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("update {} never accepted", update["update_id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_on_one_postgresql_survive_losing_one() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let store = Store::open(&db.url).await.expect("store");
    let unit_id = seed_broadcast(&store, RECIPIENTS).await;

    let fake = FakeTelegram::start().await;
    fake.enforce_limits(RATE);
    let client = reqwest::Client::new();

    // The first instance starts alone, so it is the one sending when it is killed.
    let mut instances = vec![serve(&db.url, &fake)];
    wait_until("the first instance sends", 60, async || {
        fake.sent_count() > 0
    })
    .await;
    instances.push(serve(&db.url, &fake));
    instances.push(serve(&db.url, &fake));
    for i in &instances {
        let hook = i.hook.clone();
        wait_until("instance healthy", 60, async || {
            healthy(&client, &hook).await
        })
        .await;
    }
    let hooks: Vec<String> = instances.iter().map(|i| i.hook.clone()).collect();

    // 150 newcomers each join in three quick messages: the invite code, "đồng ý" to the
    // privacy notice, then /help. The three land on three different instances at nearly
    // the same moment; only handled one at a time and in order do they make a member.
    let invite = store
        .create_invite(unit_id, Role::Member, GUESTS, None)
        .await
        .expect("invite")
        .code;
    let steps = [
        format!("/start {}", invite.as_str()),
        "đồng ý".to_string(),
        "/help".to_string(),
    ];
    // Like Telegram, one chat's updates are delivered one after another; different
    // chats at the same time.
    let chats: Vec<Vec<(usize, serde_json::Value)>> = (0..GUESTS)
        .map(|g| {
            steps
                .iter()
                .enumerate()
                .map(|(k, text)| {
                    let user = TgUser::new(9_000_000 + g, "Khách");
                    let mut update = user.text(text);
                    let i = g * UPDATES_EACH + k as i64;
                    update["update_id"] = json!(1 + i);
                    (i as usize, update)
                })
                .collect()
        })
        .collect();
    let deliver_chat = |chat: Vec<(usize, serde_json::Value)>| {
        let (client, hooks) = (&client, &hooks);
        async move {
            for (i, u) in chat {
                deliver(client, hooks, i, u).await;
            }
        }
    };
    let (first_half, second_half) = chats.split_at(chats.len() / 2);
    futures::stream::iter(first_half.iter().cloned())
        .for_each_concurrent(24, deliver_chat)
        .await;

    // Kill the sending instance a third of the way into the broadcast.
    wait_until("a third of the broadcast sent", 120, async || {
        fake.sent_count() >= (RECIPIENTS / 3) as usize
    })
    .await;
    let mut leader = instances[0].child.take().expect("first instance");
    leader.kill().expect("SIGKILL");
    leader.wait().expect("reaped");
    let at_kill = fake.sent_count();
    let in_flight = count(
        &store,
        "SELECT COUNT(*) FROM outbox WHERE status = 'sending'",
    )
    .await;
    eprintln!("killed the sender after {at_kill} sends, {in_flight} in flight");

    // The rest of the burst still goes to all three addresses: the dead one refuses
    // and the update is delivered again elsewhere.
    futures::stream::iter(second_half.iter().cloned())
        .for_each_concurrent(24, deliver_chat)
        .await;

    let total_updates = GUESTS * UPDATES_EACH;
    wait_until(
        "every update processed and every message sent",
        180,
        async || {
            count(&store, "SELECT COUNT(*) FROM inbox WHERE status <> 'done'").await == 0
                && count(&store, "SELECT COUNT(*) FROM inbox").await == total_updates
                && count(
                    &store,
                    "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
                )
                .await
                    == 0
        },
    )
    .await;
    assert!(
        fake.sent_count() > at_kill,
        "another instance took over sending"
    );

    // Every update processed once and in order: every newcomer became a member, and
    // got what a single instance would have answered.
    let joined = count(
        &store,
        "SELECT COUNT(*) FROM identities WHERE CAST(chat_id AS BIGINT) >= 9000000",
    )
    .await;
    if joined != GUESTS {
        for m in fake.sent_to(9_000_050) {
            eprintln!("to guest 50: {}", m.text);
        }
    }
    assert_eq!(joined, GUESTS, "every newcomer joined");
    let replies: HashMap<i64, usize> = sqlx::query(
        "SELECT CAST(chat_id AS BIGINT) AS c, CAST(COUNT(*) AS BIGINT) AS n FROM outbox
         WHERE CAST(chat_id AS BIGINT) >= 9000000 GROUP BY chat_id",
    )
    .fetch_all(store.pool())
    .await
    .expect("replies")
    .iter()
    .map(|r| (r.get("c"), r.get::<i64, _>("n") as usize))
    .collect();
    assert_eq!(replies.len() as i64, GUESTS);
    let per_guest = replies[&9_000_000];
    assert!(
        replies.values().all(|n| *n == per_guest),
        "the same answers for everyone: {replies:?}"
    );
    for g in 0..GUESTS {
        let said = fake.sent_to(9_000_000 + g);
        assert!(
            said.iter().any(|m| m.text.contains("Bạn đã tham gia")),
            "guest {g}: {said:?}"
        );
    }
    // ... and in the order they arrived, per chat, whichever instance took each one.
    let processed = sqlx::query("SELECT id, chat_id, processed_at FROM inbox ORDER BY id")
        .fetch_all(store.pool())
        .await
        .expect("inbox");
    let mut by_chat: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
    for r in &processed {
        by_chat
            .entry(r.get("chat_id"))
            .or_default()
            .push((r.get("id"), r.get("processed_at")));
    }
    for (chat, seen) in by_chat {
        assert!(
            seen.windows(2).all(|w| w[0].1 <= w[1].1),
            "chat {chat}: updates processed out of arrival order {seen:?}"
        );
    }

    // Every recipient reached; duplicates at most what was in flight at the kill.
    let mut got: HashMap<i64, usize> = HashMap::new();
    for m in fake.sent() {
        *got.entry(m.chat_id).or_default() += 1;
    }
    let mut twice = 0;
    let members: Vec<i64> = sqlx::query(
        "SELECT CAST(chat_id AS BIGINT) AS c FROM identities WHERE CAST(chat_id AS BIGINT) < 9000000",
    )
        .fetch_all(store.pool())
        .await
        .expect("identities")
        .iter()
        .map(|r| r.get("c"))
        .collect();
    for chat in &members {
        let n = got.get(chat).copied().unwrap_or(0);
        assert!(n >= 1, "recipient {chat} never got the broadcast");
        twice += n - 1;
    }
    for (chat, stored) in &replies {
        let n = got.get(chat).copied().unwrap_or(0);
        assert!(n >= *stored, "guest {chat} got {n} of {stored} replies");
        twice += n - stored;
    }
    eprintln!("{twice} messages sent twice");
    assert!(
        twice as i64 <= in_flight,
        "{twice} duplicates but only {in_flight} were in flight"
    );
    assert_eq!(fake.violations(), 0, "the bot's rate limit was broken");

    drop(instances);
    store.close().await;
    db.drop_db().await;
}

/// The claim itself, step by step with two transactions standing for two instances:
/// a chat's update being processed in one holds back that chat's next update in the
/// other, never the other chats', and an update waits for the earlier ones of its chat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_chat_is_processed_by_one_instance_at_a_time_in_order() {
    use congdoan_bot::core::event::{Channel, ChatKind, InboundEvent, Payload};
    use congdoan_bot::store::{Backend as StoreBackend, inbox};

    let Some(db) = TestDb::new(Backend::Postgres).await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let store = Store::open(&db.url).await.expect("store");
    let event = |update: &str, chat: &str| InboundEvent {
        channel: Channel::Telegram,
        update_id: update.to_string(),
        chat_id: chat.to_string(),
        chat_kind: ChatKind::Private,
        from: None,
        payload: Payload::Text {
            text: "/help".to_string(),
        },
        sent_at: None,
    };
    for (update, chat) in [("1", "100"), ("2", "100"), ("3", "200")] {
        assert!(
            store
                .inbox_insert(&event(update, chat))
                .await
                .expect("insert")
        );
    }
    let rows = store.inbox_pending(10, i64::MAX).await.expect("pending");
    assert_eq!(rows.len(), 3);
    let pg = StoreBackend::Postgres;

    // Instance A takes chat 100's first update and is still working on it.
    let mut a = store.begin().await.expect("tx a");
    assert!(inbox::claim(&mut a, pg, &rows[0]).await.expect("claim"));
    // Instance B: not that update (taken), not chat 100's next (A holds the chat), but
    // chat 200's, yes.
    let mut b = store.begin().await.expect("tx b");
    assert!(!inbox::claim(&mut b, pg, &rows[0]).await.expect("claim"));
    assert!(!inbox::claim(&mut b, pg, &rows[1]).await.expect("claim"));
    b.rollback().await.expect("rollback");
    let mut b = store.begin().await.expect("tx b");
    assert!(inbox::claim(&mut b, pg, &rows[2]).await.expect("claim"));
    b.commit().await.expect("commit");
    // A gives up (a crash): the first update is pending again, so the second still waits.
    a.rollback().await.expect("rollback");
    let mut b = store.begin().await.expect("tx b");
    assert!(!inbox::claim(&mut b, pg, &rows[1]).await.expect("claim"));
    b.rollback().await.expect("rollback");
    // Once the first is done, the second is free.
    let mut a = store.begin().await.expect("tx a");
    assert!(inbox::claim(&mut a, pg, &rows[0]).await.expect("claim"));
    inbox::finish(&mut a, rows[0].id, "done", None, now_ms())
        .await
        .expect("finish");
    a.commit().await.expect("commit");
    let mut b = store.begin().await.expect("tx b");
    assert!(inbox::claim(&mut b, pg, &rows[1]).await.expect("claim"));
    b.commit().await.expect("commit");

    store.close().await;
    db.drop_db().await;
}

/// Polling mode with two instances: only the elected one long-polls (Telegram refuses a
/// second getUpdates with 409), and when it dies the other takes over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_one_instance_polls_and_another_takes_over() {
    let Some(mut t) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let second = congdoan_bot::app::start(t.config.clone())
        .await
        .expect("second instance");
    let guests: Vec<TgUser> = (0..20)
        .map(|i| TgUser::new(8_800_000 + i, "Khách"))
        .collect();
    for g in &guests[..10] {
        let id = t.fake.push(g.text("/help"));
        t.wait_processed(id).await;
    }
    t.wait_outbox_empty().await;
    // Let both instances run side by side through several long polls.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(t.fake.poll_conflicts(), 0, "both instances polled at once");

    // The polling instance (the first one started) dies; the second takes over.
    t.kill().await;
    for g in &guests[10..] {
        let id = t.fake.push(g.text("/help"));
        t.wait_processed(id).await;
    }
    t.wait_outbox_empty().await;
    for g in &guests {
        let got = t.fake.sent_to(g.id);
        assert_eq!(got.len(), 1, "one answer for {}: {got:?}", g.id);
        assert!(got[0].text.contains("Các lệnh bạn dùng được"));
    }
    second.stop().await;
    t.finish().await;
}
