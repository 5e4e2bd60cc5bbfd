//! Nothing lost, nothing doubled: crashes between receiving and processing, redelivered
//! updates, webhooks, and the platform saying no.

mod common;

use std::time::Duration;

use common::{Backend, TestApp, TgUser, texts};
use congdoan_bot::core::domain::Role;
use serde_json::json;

on_both_backends!(
    crash_between_receiving_and_processing,
    webhook_mode_checks_the_secret_and_stores_before_answering,
    flood_control_server_errors_and_blocked_users,
    a_new_sender_keeps_the_pace_of_a_group,
    message_texts_are_erased_after_30_days_and_counts_stay,
);

/// What passed through the bot is not kept for ever: after 30 days the words of sent
/// messages, the inbox rows and abandoned conversations go; the outbox rows stay for
/// delivery counts, and nothing still to be sent is touched.
async fn message_texts_are_erased_after_30_days_and_counts_stay(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let worker = TgUser::new(9400, "Công nhân Lan");
    t.join(&worker, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    // A tip report abandoned half-way: its words sit in the conversation.
    t.say(&worker, "/baotin").await;
    t.say(&worker, "2").await;
    t.say(&worker, "Có người bán ma túy ở dãy trọ số 5").await;
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 1);
    let now = congdoan_bot::core::time::now_ms();
    let later = sqlx::query(
        "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at)
         VALUES ('telegram', '9400', '{\"Message\":{\"text\":\"hẹn sau\",\"buttons\":[]}}', 10, 'pending', 0, $1, $2)",
    )
    .bind(now + 100 * 86_400_000)
    .bind(now);
    later
        .execute(t.store.pool())
        .await
        .expect("a message for later");
    let sent = t
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .await;
    assert!(sent >= 5, "{sent}");
    let i18n = congdoan_bot::i18n::I18n::new();
    let tick = |at: i64| {
        let store = t.store.clone();
        let i18n = &i18n;
        async move {
            congdoan_bot::scheduler::tick(&store, i18n, at)
                .await
                .expect("tick")
        }
    };

    tick(now + 29 * 86_400_000).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE payload = ''")
            .await,
        0,
        "nothing is erased before 30 days"
    );
    tick(now + 31 * 86_400_000).await;
    tick(now + 31 * 86_400_000 + 60_000).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND payload = ''")
            .await,
        sent,
        "every sent message's words are gone, the rows stay"
    );
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND payload LIKE '%hẹn sau%'"
        )
        .await,
        1,
        "a message still to be sent keeps its words"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM inbox").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%ma túy%'")
            .await,
        0
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);
    t.finish().await;
}

/// Telegram allows 20 messages a minute to a group; the sender spaces them 3 s apart. A
/// sender that starts (after a restart, or on another instance taking over) must go on
/// from the last message the one before sent there, not from a fresh minute.
async fn a_new_sender_keeps_the_pace_of_a_group(backend: Backend) {
    let Some(mut t) = TestApp::spawn(backend).await else {
        return;
    };
    let leader = TgUser::new(9300, "Tổ trưởng");
    let group = -100_777;
    let r = t.send(group, leader.in_group(group, "/start")).await;
    assert!(texts(&r).contains("chỉ làm việc trong chat riêng"), "{r:?}");
    let answered = std::time::Instant::now();
    t.restart(|_| {}).await;
    let r = t.send(group, leader.in_group(group, "/help")).await;
    let gap = answered.elapsed();
    assert!(texts(&r).contains("chỉ làm việc trong chat riêng"), "{r:?}");
    assert!(
        gap >= Duration::from_millis(2_900),
        "the second answer came {gap:?} after the first"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE chat_id = '-100777' AND in_group = 1 AND status = 'sent'")
            .await,
        2
    );
    t.finish().await;
}

async fn crash_between_receiving_and_processing(backend: Backend) {
    let Some(mut t) = TestApp::spawn_with(backend, |c| c.run_processor = false).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 10, None).await;
    let users: Vec<TgUser> = (0..5)
        .map(|i| TgUser::new(9100 + i, &format!("Công nhân {i}")))
        .collect();
    let mut updates = vec![];
    for u in &users {
        let mut update = u.text(&format!("/start {}", code.as_str()));
        let id = t.fake.push(update.clone());
        update["update_id"] = json!(id);
        updates.push(update);
    }
    let last = updates
        .last()
        .and_then(|u| u["update_id"].as_i64())
        .unwrap_or(0);
    // Received and confirmed to Telegram (the offset moved past them)...
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while t.fake.confirmed_offset() <= last {
        assert!(tokio::time::Instant::now() < deadline, "offset never moved");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // ...so they must already be in the inbox, unprocessed.
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'")
            .await,
        5
    );
    assert!(t.fake.sent().is_empty());

    t.kill().await;
    // Telegram may deliver some again (e.g. the confirming call was lost).
    t.fake.push_again(updates[0].clone());
    t.fake.push_again(updates[3].clone());
    t.restart(|c| c.run_processor = true).await;

    for u in &updates {
        t.wait_processed(u["update_id"].as_i64().unwrap_or(0)).await;
    }
    t.wait_outbox_empty().await;
    // Give a redelivered duplicate every chance to be (wrongly) processed.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    t.wait_outbox_empty().await;

    assert_eq!(t.count("SELECT COUNT(*) FROM inbox").await, 5);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'done'")
            .await,
        5
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM outbox").await, 5);
    for u in &users {
        let sent = t.fake.sent_to(u.id);
        assert_eq!(sent.len(), 1, "exactly one welcome for {}: {sent:?}", u.id);
        assert!(sent[0].text.contains("Bot sẽ lưu"));
    }
    // The conversations survived the crash: each can agree now.
    let joined = texts(&t.press(&users[2], "consent:yes").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    t.finish().await;
}

async fn webhook_mode_checks_the_secret_and_stores_before_answering(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| {
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
        c.public_url = Some("https://bot.congdoan.example/".to_string());
    })
    .await
    else {
        return;
    };
    let (url, secret) = t.fake.webhook().expect("setWebhook was called");
    assert_eq!(url, "https://bot.congdoan.example/webhook/telegram");
    let secret = secret.expect("a secret token is always set");
    assert_eq!(t.fake.calls("getUpdates"), 0, "no polling in webhook mode");

    let addr = t.app.as_ref().and_then(|a| a.http_addr).expect("http addr");
    let hook = format!("http://{addr}/webhook/telegram");
    let client = reqwest::Client::new();
    let user = TgUser::new(9201, "Hoa");
    let mut update = user.text("/help");
    update["update_id"] = json!(777);

    let r = client.post(&hook).json(&update).send().await.expect("post");
    assert_eq!(r.status(), 401, "no secret");
    let r = client
        .post(&hook)
        .header("X-Telegram-Bot-Api-Secret-Token", "wrong")
        .json(&update)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 401, "wrong secret");
    assert_eq!(t.count("SELECT COUNT(*) FROM inbox").await, 0);
    let r = client
        .post(&hook)
        .header("X-Telegram-Bot-Api-Secret-Token", &secret)
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400, "junk body");

    for _ in 0..2 {
        let r = client
            .post(&hook)
            .header("X-Telegram-Bot-Api-Secret-Token", &secret)
            .json(&update)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200);
        // Answered only once stored.
        assert_eq!(t.count("SELECT COUNT(*) FROM inbox").await, 1);
    }
    t.wait_processed(777).await;
    t.wait_outbox_empty().await;
    let sent = t.fake.sent_to(user.id);
    assert_eq!(
        sent.len(),
        1,
        "a redelivered webhook is processed once: {sent:?}"
    );
    assert!(sent[0].text.contains("Các lệnh bạn dùng được"));

    let health = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let metrics = client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(
        metrics.contains("congdoan_updates_processed_total"),
        "{metrics}"
    );
    assert!(metrics.contains("congdoan_inbox_updates"), "{metrics}");
    t.finish().await;
}

async fn flood_control_server_errors_and_blocked_users(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let u = TgUser::new(9301, "Phúc");
    t.join(&u, &code).await;

    // 429 with retry_after: the message waits and goes out, once.
    t.fake.flood_next(1);
    let help = t.say(&u, "/help").await;
    assert_eq!(help.len(), 1, "{help:?}");
    // 502 twice: retried with backoff, delivered once.
    t.fake.fail_next(2);
    let data = t.say(&u, "/dulieu").await;
    assert_eq!(data.len(), 1, "{data:?}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .await,
        0
    );
    assert_eq!(t.count("SELECT MAX(attempts) FROM outbox").await, 3);

    // Blocked: not an error; the member is marked unreachable until they write again.
    t.fake.block(u.id);
    let nothing = t.say(&u, "/help").await;
    assert!(nothing.is_empty());
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE status = 'unreachable'")
            .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE unreachable_at IS NOT NULL")
            .await,
        1
    );
    t.finish().await;
}
