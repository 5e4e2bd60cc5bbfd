//! The bot on Zalo, played as users through the fake Zalo Bot API: onboarding with
//! typed answers, plain text only, redeliveries, the webhook, long texts and failures.

mod common;

use std::time::Duration;

use common::Backend;
use common::fake_zalo::{FakeZalo, ZALO_TOKEN, ZSent, ZaloApp, ZaloUser, ztexts};
use congdoan_bot::channels::DeliveryOutcome;
use congdoan_bot::channels::zalo::{ZaloClient, ZaloTransport};
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::event::Outbound;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;
use serde_json::json;
use sqlx::Row;

on_both_backends!(
    joins_on_zalo_with_a_bare_code_and_a_typed_number,
    refusing_and_keywords_on_zalo,
    a_message_delivered_twice_is_processed_once,
    webhook_checks_the_secret_and_stores_before_200,
    photos_stickers_and_groups_on_zalo,
    failed_sends_are_retried_or_fail_visibly,
    a_zalo_broadcast_reports_progress_and_quota_failures_to_the_officer,
);

/// What Zalo shows is plain text: no tags, no entities.
fn assert_plain(sent: &[ZSent]) {
    for m in sent {
        for tag in ["<b>", "</b>", "<i>", "</i>", "&lt;", "&gt;", "&amp;", "<a "] {
            assert!(!m.text.contains(tag), "{tag} in {}", m.text);
        }
        let n = m.text.chars().count();
        assert!((1..=2000).contains(&n), "{n} characters");
    }
}

async fn joins_on_zalo_with_a_bare_code_and_a_typed_number(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("CDCS-ABC", Role::Leader, 3, None).await;
    let lan = ZaloUser::new("6ede9afa66b88fe6d6a9", "Lan Nguyễn");

    // No deep links on Zalo: the bare code, grouped and in lower case.
    let welcome = t.say(&lan, &code.grouped().to_lowercase()).await;
    assert_eq!(welcome.len(), 1, "{welcome:?}");
    assert_plain(&welcome);
    let w = &welcome[0].text;
    // The unit name comes through unescaped, as the member typed it.
    assert!(w.contains("Công ty May <ABC> & Co"), "{w}");
    assert!(w.contains("Bot sẽ lưu"), "privacy notice: {w}");
    assert!(
        w.contains("1. Đồng ý") && w.contains("2. Không đồng ý"),
        "numbered options: {w}"
    );
    assert!(w.contains("Trả lời bằng số"), "{w}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 0);

    let joined = t.say(&lan, "1").await;
    assert_plain(&joined);
    assert!(
        ztexts(&joined).contains("Bạn đã tham gia Công đoàn cơ sở Công ty May <ABC> & Co"),
        "{joined:?}"
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM identities WHERE channel = 'zalo' AND external_id = $1",
            &lan.id
        )
        .await,
        1
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
             WHERE u.code = $1 AND m.role = 'leader' AND m.display_name = 'Lan Nguyễn'",
            "CDCS-ABC"
        )
        .await,
        1
    );

    let help = t.say(&lan, "/help").await;
    assert_plain(&help);
    let help = ztexts(&help);
    assert!(
        help.contains("/camket") && help.contains("/baotin"),
        "{help}"
    );

    let data = ztexts(&t.say(&lan, "/dulieu").await);
    assert!(
        data.contains("Tên: Lan Nguyễn") && data.contains(&format!("zalo {}", lan.id)),
        "{data}"
    );
    // Nothing went out on Telegram, and Zalo never refused a request.
    assert!(t.fake.sent().is_empty());
    assert!(t.zalo.refused().is_empty(), "{:?}", t.zalo.refused());
    t.finish().await;
}

async fn refusing_and_keywords_on_zalo(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let minh = ZaloUser::new("a1b2c3d4e5f6", "Minh");
    let welcome = ztexts(&t.say(&minh, &format!("/start {}", code.as_str())).await);
    assert!(welcome.contains("Tổ tự quản nhà trọ số 1"), "{welcome}");
    let unclear = t.say(&minh, "có lẽ").await;
    assert_plain(&unclear);
    let unclear = ztexts(&unclear);
    assert!(unclear.contains("Bạn hãy chọn"), "{unclear}");
    assert!(unclear.contains("1. Đồng ý"), "asked again: {unclear}");
    let refused = ztexts(&t.say(&minh, "2").await);
    assert!(!refused.contains("Bạn đã tham gia"), "{refused}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 0);

    let hung = ZaloUser::new("ffee00112233", "Hùng");
    t.say(&hung, &format!("/start {}", code.as_str())).await;
    let joined = ztexts(&t.say(&hung, "Đồng ý").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);
    t.finish().await;
}

async fn a_message_delivered_twice_is_processed_once(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-02", Role::Member, 5, None).await;
    let an = ZaloUser::new("0badc0ffee", "An");
    let before = t.zalo.sent_to(&an.id).len();
    let first = t.zalo.push(an.text(code.as_str()));
    t.wait_processed(&first).await;
    // Zalo hands the same message out again; then the member answers.
    t.zalo.push_again(&first);
    let joined = ztexts(&t.say(&an, "1").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    assert_eq!(t.zalo.queued(), 0);
    let all = t.zalo.sent_to(&an.id).split_off(before);
    assert_eq!(
        all.iter().filter(|m| m.text.contains("Bot sẽ lưu")).count(),
        1,
        "the welcome is sent once: {all:?}"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo'")
            .await,
        2
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);
    t.finish().await;
}

async fn webhook_checks_the_secret_and_stores_before_200(backend: Backend) {
    const SECRET: &str = "zalo-hook-secret-0001";
    let Some(t) = ZaloApp::spawn_with(backend, |cfg| {
        cfg.listen = Some("127.0.0.1:0".parse().expect("addr"));
        cfg.public_url = Some("https://bot.example.org/".to_string());
        cfg.webhook_secret = Some(SECRET.to_string());
    })
    .await
    else {
        return;
    };
    assert_eq!(
        t.zalo.webhook(),
        Some((
            "https://bot.example.org/webhook/zalo".to_string(),
            SECRET.to_string()
        ))
    );
    let addr = t
        .app
        .as_ref()
        .and_then(|a| a.http_addr)
        .expect("http listening");
    let url = format!("http://{addr}/webhook/zalo");
    let http = reqwest::Client::new();
    let post = |secret: Option<&str>, body: String| {
        let mut req = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(s) = secret {
            req = req.header("X-Bot-Api-Secret-Token", s);
        }
        async move { req.send().await.expect("post").status().as_u16() }
    };

    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let lan = ZaloUser::new("6ede9afa66b88fe6d6a9", "Lan");
    let (id, update) = t.zalo.stamp(lan.text(code.as_str()));
    // Zalo wraps the update in its envelope.
    let body = json!({"ok": true, "result": update}).to_string();

    assert_eq!(post(None, body.clone()).await, 401);
    assert_eq!(post(Some("wrong-secret-0000000"), body.clone()).await, 401);
    assert_eq!(
        post(Some(&SECRET[..SECRET.len() - 1]), body.clone()).await,
        401
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo'")
            .await,
        0
    );
    assert_eq!(post(Some(SECRET), "not json".into()).await, 400);
    assert_eq!(post(Some(SECRET), "[1, 2]".into()).await, 400);
    // Well-formed, but nothing to act on.
    assert_eq!(
        post(Some(SECRET), json!({"event_name": "bot.added"}).to_string()).await,
        200
    );

    assert_eq!(post(Some(SECRET), body.clone()).await, 200);
    // 200 means stored.
    assert!(t.inbox_status(&id).await.is_some());
    t.wait_processed(&id).await;
    t.wait_outbox_empty().await;
    let welcome = ztexts(&t.zalo.sent_to(&lan.id));
    assert!(welcome.contains("1. Đồng ý"), "{welcome}");
    // Zalo retrying the same delivery changes nothing.
    assert_eq!(post(Some(SECRET), body).await, 200);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo'")
            .await,
        1
    );
    // The bare (unwrapped) update shape is accepted too.
    let (id2, update2) = t.zalo.stamp(lan.text("1"));
    assert_eq!(post(Some(SECRET), update2.to_string()).await, 200);
    t.wait_processed(&id2).await;
    t.wait_outbox_empty().await;
    assert!(ztexts(&t.zalo.sent_to(&lan.id)).contains("Bạn đã tham gia"));
    // In webhook mode the bot does not poll.
    assert_eq!(t.zalo.calls("getUpdates"), 0);
    t.finish().await;
}

async fn photos_stickers_and_groups_on_zalo(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let binh = ZaloUser::new("b1nh", "Bình");
    let sticker = ztexts(&t.send(&binh.id, binh.sticker()).await);
    assert!(
        sticker.contains("Bot chỉ đọc được tin nhắn chữ"),
        "{sticker}"
    );
    let photo = ztexts(&t.send(&binh.id, binh.image("cháy ở dãy trọ")).await);
    assert!(photo.contains("Bot chỉ đọc được tin nhắn chữ"), "{photo}");

    let group = "g7a8b9c0d1e2";
    let help = t.send(group, binh.in_group(group, "/help")).await;
    assert!(
        ztexts(&help).contains("Bot chỉ làm việc trong chat riêng"),
        "{help:?}"
    );
    let chatter = t.send(group, binh.in_group(group, "chào cả nhà")).await;
    assert!(chatter.is_empty(), "{chatter:?}");
    assert_eq!(t.zalo.sent_to(&binh.id).len(), 2);
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    // The answer in the group is sent under the group limit, Bình's under the private one.
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND in_group = 1",
            group
        )
        .await,
        1
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND in_group = 1",
            &binh.id
        )
        .await,
        0
    );
    t.finish().await;
}

async fn failed_sends_are_retried_or_fail_visibly(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let cuong = ZaloUser::new("c0ng", "Cường");
    // A 5xx: retried after a backoff, delivered.
    t.zalo.fail_next(1);
    let got = ztexts(&t.say(&cuong, "/help").await);
    assert!(got.contains("/start"), "{got}");
    // A 429: the sender pauses, then delivers.
    t.zalo.flood_next(1);
    let got = ztexts(&t.say(&cuong, "/help").await);
    assert!(got.contains("/start"), "{got}");

    // Out of quota: the message fails, with a clear error, counted.
    t.zalo.quota_next(1);
    let got = t.say(&cuong, "/help").await;
    assert!(got.is_empty(), "{got:?}");
    let row = sqlx::query(
        "SELECT status, error FROM outbox WHERE channel = 'zalo' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(t.store.pool())
    .await
    .expect("row");
    let status: String = row.try_get("status").expect("status");
    let error: Option<String> = row.try_get("error").expect("error");
    assert_eq!(status, "failed");
    assert!(
        error
            .as_deref()
            .unwrap_or("")
            .contains("zalo quota exceeded"),
        "{error:?}"
    );
    let metrics = congdoan_bot::app::metrics_handle().render();
    assert!(
        metrics.contains("congdoan_zalo_quota_failures_total"),
        "{metrics}"
    );
    t.finish().await;
}

fn transport(fake: &FakeZalo) -> ZaloTransport {
    ZaloTransport {
        client: ZaloClient::new(ZALO_TOKEN, Some(&fake.url())).expect("client"),
    }
}

fn message(text: &str) -> Outbound {
    Outbound::Message {
        text: text.to_string(),
        buttons: vec![],
    }
}

#[tokio::test]
async fn long_texts_split_cleanly_at_2000_characters() {
    let fake = FakeZalo::start().await;
    let zalo = transport(&fake);
    let mut html = String::from("<b>Kế hoạch số 414/KH-UBND &amp; Chỉ thị 48-CT/TW</b>\n");
    for i in 1..=120 {
        html.push_str(&format!(
            "{i}. Tổ chức tuyên truyền, phổ biến đến đoàn viên, người lao động.\n"
        ));
    }
    assert!(html.chars().count() > 6000);
    assert_eq!(
        zalo.deliver("u-long", &message(&html)).await,
        DeliveryOutcome::Sent
    );
    let sent = fake.sent_to("u-long");
    assert!(sent.len() >= 4, "{} parts", sent.len());
    assert_plain(&sent);
    assert!(
        sent[0]
            .text
            .starts_with("Kế hoạch số 414/KH-UBND & Chỉ thị 48-CT/TW")
    );
    // Split at line ends: every part starts with an item or the title, nothing lost.
    for part in &sent[1..] {
        assert!(
            part.text.chars().next().is_some_and(|c| c.is_ascii_digit()),
            "{}",
            part.text
        );
    }
    let joined = sent
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(joined.lines().count(), 121);
    assert!(joined.contains("120. Tổ chức tuyên truyền"));
    // One long word is cut hard, never beyond 2000.
    let word = "ệ".repeat(4500);
    assert_eq!(
        zalo.deliver("u-word", &message(&word)).await,
        DeliveryOutcome::Sent
    );
    let parts = fake.sent_to("u-word");
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts.iter().map(|p| p.text.chars().count()).sum::<usize>(),
        4500
    );
    // Only markup: nothing to send, nothing refused.
    assert_eq!(
        zalo.deliver("u-empty", &message("<b></b>")).await,
        DeliveryOutcome::Sent
    );
    assert!(fake.sent_to("u-empty").is_empty());
    assert!(fake.refused().is_empty(), "{:?}", fake.refused());
}

#[tokio::test]
async fn delivery_outcomes_from_zalo_errors() {
    let fake = FakeZalo::start().await;
    let zalo = transport(&fake);
    let hi = message("Xin chào");
    fake.flood_next(1);
    assert_eq!(
        zalo.deliver("u1", &hi).await,
        DeliveryOutcome::RetryAfter(Duration::from_secs(1))
    );
    fake.fail_next(1);
    assert!(matches!(
        zalo.deliver("u1", &hi).await,
        DeliveryOutcome::Transient(_)
    ));
    fake.block("u2");
    assert!(matches!(
        zalo.deliver("u2", &hi).await,
        DeliveryOutcome::Unreachable(_)
    ));
    fake.quota_next(1);
    match zalo.deliver("u1", &hi).await {
        DeliveryOutcome::Permanent(e) => assert!(e.contains("zalo quota exceeded"), "{e}"),
        other => panic!("{other:?}"),
    }
    // Callbacks don't exist on Zalo: nothing to do, never an error.
    let cb = Outbound::AnswerCallback {
        callback_id: "x".into(),
        text: None,
    };
    assert_eq!(zalo.deliver("u1", &cb).await, DeliveryOutcome::Sent);
    assert_eq!(zalo.deliver("u1", &hi).await, DeliveryOutcome::Sent);
    assert_eq!(fake.sent_to("u1").len(), 1);

    // A wrong token or a dead server never leaks the token into the error.
    let wrong = ZaloTransport {
        client: ZaloClient::new("9999:wrong-token", Some(&fake.url())).expect("client"),
    };
    match wrong.deliver("u1", &hi).await {
        DeliveryOutcome::Permanent(e) => assert!(!e.contains("wrong-token"), "{e}"),
        other => panic!("{other:?}"),
    }
    let dead = ZaloTransport {
        client: ZaloClient::new("9999:secret-token", Some("http://127.0.0.1:9")).expect("client"),
    };
    match dead.deliver("u1", &hi).await {
        DeliveryOutcome::Transient(e) => assert!(!e.contains("secret-token"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_zalo_token_stops_start() {
    let fake = FakeZalo::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let cfg = congdoan_bot::app::ServeConfig {
        zalo_token: Some("1:not-the-token".into()),
        zalo_api_url: Some(fake.url()),
        ..congdoan_bot::app::ServeConfig::new(&url)
    };
    let err = match congdoan_bot::app::start(cfg).await {
        Ok(_) => panic!("started with a wrong token"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("Zalo refused the token"), "{err}");
    assert!(!err.contains("not-the-token"), "{err}");
}

/// An officer on Zalo broadcasts by typing numbers. Zalo cannot edit messages, so
/// progress comes as an occasional new message; a member over Zalo's free quota is not
/// silently dropped: the report names how many the quota stopped.
async fn a_zalo_broadcast_reports_progress_and_quota_failures_to_the_officer(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |cfg| cfg.run_scheduler = false).await else {
        return;
    };
    let officer = ZaloUser::new("0ff1cer", "Cán bộ Mai");
    t.say(
        &officer,
        t.invite("CDCS-ABC", Role::Officer, 1, None).await.as_str(),
    )
    .await;
    t.say(&officer, "1").await;
    let code = t.invite("TTQ-01", Role::Member, 3, None).await;
    let workers = [
        ZaloUser::new("w0rker1", "Hoa"),
        ZaloUser::new("w0rker2", "Lan"),
        ZaloUser::new("w0rker3", "Cúc"),
    ];
    for w in &workers {
        t.say(w, code.as_str()).await;
        t.say(w, "1").await;
    }
    let ask = ztexts(&t.say(&officer, "/guitin").await);
    assert!(ask.contains("Gõ nội dung tin"), "{ask}");
    let targets = t.say(&officer, "Họp tổ 19h tối nay tại nhà văn hóa").await;
    assert_plain(&targets);
    assert!(
        ztexts(&targets).contains("1. Toàn bộ"),
        "{}",
        ztexts(&targets)
    );
    let preview = ztexts(&t.say(&officer, "1").await);
    assert!(
        preview.contains("Số người nhận: 3") && preview.contains("1. Gửi ngay"),
        "{preview}"
    );
    // Lan's messages are over the free quota; Cúc's first three attempts fail (502),
    // so hers waits for retries (1 s, 2 s, 4 s) while the rest is done.
    t.zalo.quota_for(&workers[1].id);
    t.zalo.fail_for(&workers[2].id, 3);
    let confirm = t.zalo.push(officer.text("1"));
    t.wait_processed(&confirm).await;
    let id: i64 = sqlx::query("SELECT MAX(id) AS id FROM broadcasts")
        .fetch_one(t.store.pool())
        .await
        .expect("broadcast")
        .get("id");

    // A minute into the broadcast (its clock moved back), Cúc's message still waits
    // for its retry: the officer gets a new progress message.
    sqlx::query(
        "UPDATE broadcasts SET started_at = started_at - 61000, progress_at = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(t.store.pool())
    .await
    .expect("rewind");
    let i18n = I18n::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !ztexts(&t.zalo.sent_to(&officer.id)).contains("Đang gửi: 0/3") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no first progress message"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before = t.zalo.sent_to(&officer.id).len();
    assert_eq!(
        scheduler::fast_tick(&t.store, &i18n, now_ms())
            .await
            .expect("tick"),
        1
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while t.zalo.sent_to(&officer.id).len() == before {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no progress message"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let progress = t.zalo.sent_to(&officer.id).split_off(before);
    assert_plain(&progress);
    let p = ztexts(&progress);
    assert!(p.contains("Đang gửi: ") && p.contains("/3"), "{p}");
    assert!(p.contains("Gõ /guitin huy để dừng gửi"), "{p}");

    // When everything has been tried, the report tells the quota apart.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        scheduler::fast_tick(&t.store, &i18n, now_ms())
            .await
            .expect("tick");
        let finished: Option<i64> = sqlx::query("SELECT finished_at FROM broadcasts WHERE id = $1")
            .bind(id)
            .fetch_one(t.store.pool())
            .await
            .expect("broadcast")
            .get("finished_at");
        if finished.is_some() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "broadcast not finished"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    t.wait_outbox_empty().await;
    let officer_saw = t.zalo.sent_to(&officer.id);
    assert_plain(&officer_saw);
    let report = ztexts(&officer_saw);
    let started = report.find("Bắt đầu gửi tới 3 người").expect("started");
    let first_progress = report.find("Đang gửi: 0/3").expect("progress");
    assert!(
        started < first_progress,
        "the announcement comes before the progress: {report}"
    );
    assert!(
        report.contains("Báo cáo gửi tin") && report.contains("Đã gửi: 2/3"),
        "{report}"
    );
    assert!(
        report.contains("Zalo hết hạn mức gửi miễn phí: 1 tin chưa gửi được"),
        "{report}"
    );
    assert!(ztexts(&t.zalo.sent_to(&workers[0].id)).contains("Họp tổ 19h"));
    assert!(ztexts(&t.zalo.sent_to(&workers[2].id)).contains("Họp tổ 19h"));
    assert!(!ztexts(&t.zalo.sent_to(&workers[1].id)).contains("Họp tổ 19h"));
    t.finish().await;
}
