//! The bot on Zalo, played as users through the fake Zalo Bot API: onboarding with
//! typed answers, plain text (bold titles in Zalo's html mode), redeliveries and the
//! (chat, message) key, the webhook and its verification, photos passed on to
//! Telegram, voice messages, groups with mentions, "typing…", long texts, and Zalo's
//! error table (403 retried, a quota 429 pausing Zalo sending without losing anything).

mod common;

use std::time::Duration;

use common::fake_zalo::{FakeZalo, ZALO_TOKEN, ZSent, ZaloApp, ZaloUser, ztexts};
use common::{Backend, TgUser, texts};
use congdoan_bot::channels::DeliveryOutcome;
use congdoan_bot::channels::zalo::{WebhookCheck, ZaloClient, ZaloTransport};
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
    a_zalo_broadcast_waits_out_the_quota_and_reaches_everyone,
    zalo_is_told_the_webhook_only_once_the_bot_listens,
    the_log_says_when_zalo_cannot_reach_the_webhook,
    a_tip_photo_sent_on_zalo_reaches_the_officers,
    voice_and_withheld_messages_get_an_answer,
    two_peoples_messages_with_one_message_id_are_both_processed,
    commands_in_a_zalo_group_come_after_a_mention,
    bold_titles_go_in_zalo_html_and_fall_back_to_plain_text,
    zalo_shows_typing_before_slow_answers,
);

/// What Zalo shows is plain text: no tags, no entities (in html mode the fake shows
/// what a person sees).
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

/// A port nobody listens on yet, for a public URL that must be known before start.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

async fn webhook_checks_the_secret_and_stores_before_200(backend: Backend) {
    const SECRET: &str = "zalo-hook-secret-0001";
    let port = free_port();
    let Some(t) = ZaloApp::spawn_with(backend, |cfg| {
        cfg.listen = Some(format!("127.0.0.1:{port}").parse().expect("addr"));
        cfg.public_url = Some(format!("http://127.0.0.1:{port}/"));
        cfg.webhook_secret = Some(SECRET.to_string());
    })
    .await
    else {
        return;
    };
    assert_eq!(
        t.zalo.webhook(),
        Some((
            format!("http://127.0.0.1:{port}/webhook/zalo"),
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

    // A 403 is Zalo's "Internal server error": retried like a 5xx, delivered, and
    // Cường is not taken for someone who blocked the bot.
    t.zalo.internal_next(1);
    let got = ztexts(&t.say(&cuong, "/help").await);
    assert!(got.contains("/start"), "{got}");
    // Out of quota (429): the message waits for the quota, then goes out; nothing fails.
    t.zalo.quota_next(1);
    let got = ztexts(&t.say(&cuong, "/help").await);
    assert!(got.contains("/start"), "{got}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE channel = 'zalo' AND status <> 'sent'")
            .await,
        0
    );
    let metrics = congdoan_bot::app::metrics_handle().render();
    assert!(
        metrics.contains("congdoan_zalo_quota_exceeded_total"),
        "{metrics}"
    );
    // A recipient Zalo does not know (a 400 about them) is the only kind that is
    // given up on (and marked unreachable), at once.
    t.zalo.block(&cuong.id);
    let got = t.say(&cuong, "/help").await;
    assert!(got.is_empty(), "{got:?}");
    let status: String =
        sqlx::query("SELECT status FROM outbox WHERE channel = 'zalo' ORDER BY id DESC LIMIT 1")
            .fetch_one(t.store.pool())
            .await
            .expect("row")
            .get("status");
    assert_eq!(status, "unreachable");
    assert!(t.zalo.refused().is_empty(), "{:?}", t.zalo.refused());
    t.finish().await;
}

fn transport(fake: &FakeZalo) -> ZaloTransport {
    ZaloTransport::new(ZaloClient::new(ZALO_TOKEN, Some(&fake.url())).expect("client"))
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
    // Zalo's table: 403 is an internal server error, 429 is the quota.
    fake.internal_next(1);
    assert!(matches!(
        zalo.deliver("u1", &hi).await,
        DeliveryOutcome::Transient(_)
    ));
    fake.quota_next(1);
    match zalo.deliver("u1", &hi).await {
        DeliveryOutcome::QuotaExceeded(e) => assert!(e.contains("zalo quota exceeded"), "{e}"),
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

    // A wrong token (HTTP 200, ok:false, error_code 401: about the bot, not the
    // message, so retried) or a dead server never leaks the token into the error.
    let wrong =
        ZaloTransport::new(ZaloClient::new("9999:wrong-token", Some(&fake.url())).expect("client"));
    match wrong.deliver("u1", &hi).await {
        DeliveryOutcome::Transient(e) => {
            assert!(e.contains("401") && !e.contains("wrong-token"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Method names are case-sensitive; an unknown one is a 400.
    let client = ZaloClient::new(ZALO_TOKEN, Some(&fake.url())).expect("client");
    match client
        .call(
            "sendmessage",
            &json!({"chat_id": "u1", "text": "x"}),
            Duration::from_secs(5),
        )
        .await
    {
        Err(congdoan_bot::channels::zalo::ZaloError::Api { status, .. }) => assert_eq!(status, 400),
        other => panic!("{other:?}"),
    }
    let dead = ZaloTransport::new(
        ZaloClient::new("9999:secret-token", Some("http://127.0.0.1:9")).expect("client"),
    );
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

/// An officer on Zalo broadcasts by typing numbers. Zalo's quota is used up when it
/// starts (429 "Quota exceeded"): Zalo sending pauses instead of failing anyone, the
/// officer is told once, progress does not pile up while nothing moves, and when the
/// quota is back every member gets the message and the report says 3/3.
async fn a_zalo_broadcast_waits_out_the_quota_and_reaches_everyone(backend: Backend) {
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
    // The quota is used up; and Cúc's first attempt once it is back fails (502).
    t.zalo.quota_exhausted(true);
    t.zalo.fail_for(&workers[2].id, 1);
    let calls_before = t.zalo.calls("sendMessage");
    let confirm = t.zalo.push(officer.text("1"));
    t.wait_processed(&confirm).await;
    let id: i64 = sqlx::query("SELECT MAX(id) AS id FROM broadcasts")
        .fetch_one(t.store.pool())
        .await
        .expect("broadcast")
        .get("id");

    // The sender tries once a second (the test's quota interval), one message a time.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while t.zalo.calls("sendMessage") < calls_before + 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the paused sender does not try again"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let tries = t.zalo.calls("sendMessage") - calls_before;
    assert!(tries <= 6, "{tries} tries in about 3 seconds: not paused");
    // Nothing reached anyone, nothing was given up, no attempt counted against a message.
    for w in &workers {
        assert!(
            t.zalo
                .sent_to(&w.id)
                .iter()
                .all(|m| !m.text.contains("Họp tổ"))
        );
    }
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM outbox WHERE channel = 'zalo'
             AND status IN ('failed', 'unreachable')"
        )
        .await,
        0
    );
    let waiting: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE broadcast_id = $1 AND status IN ('pending', 'sending')
         AND attempts = 0",
    )
    .bind(id)
    .fetch_one(t.store.pool())
    .await
    .expect("count")
    .get("n");
    assert_eq!(waiting, 3);
    // The officer, author of the broadcast, is told once (on Zalo it waits too).
    let notice =
        "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND payload LIKE '%hết hạn mức gửi tin%'";
    assert_eq!(t.count_for(notice, &officer.id).await, 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE unreachable_at IS NOT NULL")
            .await,
        0
    );

    // Zalo cannot edit the start's "0/3", so a new progress message comes each minute,
    // but only when something moved: two minutes of pause queue none.
    let i18n = I18n::new();
    for expected in [0, 0] {
        sqlx::query(
            "UPDATE broadcasts SET started_at = started_at - 61000,
                    progress_at = CASE WHEN progress_at IS NULL THEN NULL ELSE progress_at - 61000 END
             WHERE id = $1",
        )
        .bind(id)
        .execute(t.store.pool())
        .await
        .expect("rewind");
        assert_eq!(
            scheduler::fast_tick(&t.store, &i18n, now_ms())
                .await
                .expect("tick"),
            expected
        );
    }

    // The quota is back: everything goes out, the report counts all three.
    t.zalo.quota_exhausted(false);
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
    assert!(report.contains("Bắt đầu gửi tới 3 người"), "{report}");
    assert_eq!(
        report
            .matches("Zalo báo bot đã hết hạn mức gửi tin")
            .count(),
        1,
        "told once: {report}"
    );
    assert_eq!(report.matches("Đang gửi: 0/3").count(), 1, "{report}");
    assert!(
        report.contains("Báo cáo gửi tin") && report.contains("Đã gửi: 3/3"),
        "{report}"
    );
    assert!(!report.contains("tin chưa gửi được"), "{report}");
    for w in &workers {
        assert!(ztexts(&t.zalo.sent_to(&w.id)).contains("Họp tổ 19h"));
    }
    t.finish().await;
}

/// The webhook is registered once the bot's listener answers: Zalo's verification call
/// reaches it (and is stored as nothing), and the bot knows it.
async fn zalo_is_told_the_webhook_only_once_the_bot_listens(backend: Backend) {
    let port = free_port();
    let Some(t) = ZaloApp::spawn_with(backend, |cfg| {
        cfg.listen = Some(format!("127.0.0.1:{port}").parse().expect("addr"));
        cfg.public_url = Some(format!("http://127.0.0.1:{port}"));
    })
    .await
    else {
        return;
    };
    assert_eq!(
        t.app.as_ref().and_then(|a| a.zalo_webhook.clone()),
        Some(WebhookCheck::Verified)
    );
    let verification = t.zalo.verification().expect("a verification call");
    assert_eq!(verification["ok"], json!(true), "{verification}");
    assert_eq!(verification["status_code"], json!(200), "{verification}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo'")
            .await,
        0
    );
    assert_eq!(t.zalo.calls("getUpdates"), 0);
    t.finish().await;
}

/// When Zalo cannot reach the public URL, the bot still starts (Telegram keeps working)
/// and says so: in the log and at start-up (`RunningApp::zalo_webhook`, which `serve`
/// prints).
async fn the_log_says_when_zalo_cannot_reach_the_webhook(backend: Backend) {
    let nobody = free_port();
    let Some(t) = ZaloApp::spawn_with(backend, |cfg| {
        cfg.listen = Some("127.0.0.1:0".parse().expect("addr"));
        cfg.public_url = Some(format!("http://127.0.0.1:{nobody}"));
    })
    .await
    else {
        return;
    };
    let check = t.app.as_ref().and_then(|a| a.zalo_webhook.clone());
    let Some(WebhookCheck::Unreachable(detail)) = check else {
        panic!("{check:?}");
    };
    assert!(detail.contains("cannot connect"), "{detail}");
    let i18n = I18n::new();
    let printed = congdoan_bot::tr!(
        i18n,
        congdoan_bot::core::domain::Lang::Vi,
        "cli-zalo-webhook-unreachable",
        detail = detail.as_str()
    );
    assert!(
        printed.contains("Zalo không gọi được địa chỉ webhook") && printed.contains(&detail),
        "{printed}"
    );
    // The bot runs: its endpoints answer.
    let addr = t
        .app
        .as_ref()
        .and_then(|a| a.http_addr)
        .expect("http listening");
    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    t.finish().await;
}

/// A housing-group leader reports a tip on Zalo with a photo. The officer on Telegram
/// gets the photo itself (downloaded from Zalo, uploaded to Telegram: the same bytes);
/// the officer on Zalo gets it by its URL, caption and all.
async fn a_tip_photo_sent_on_zalo_reaches_the_officers(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let officers = t.invite("CDCS-ABC", Role::Officer, 2, None).await;
    let thu = TgUser::new(801, "Cán bộ Thu");
    t.join(&thu, &officers).await;
    let ha = ZaloUser::new("0ff1ce2a", "Cán bộ Hà");
    t.say(&ha, officers.as_str()).await;
    t.say(&ha, "1").await;
    let code = t.invite("TTQ-01", Role::Leader, 1, None).await;
    let lan = ZaloUser::new("8a1b2c3d4e5f60718293", "Lan Tổ trưởng");
    t.say(&lan, code.as_str()).await;
    t.say(&lan, "1").await;

    t.say(&lan, "/baotin").await;
    t.say(&lan, "người lạ khả nghi").await;
    t.say(&lan, "Hai người lạ hỏi thăm phòng trống lúc nửa đêm")
        .await;
    t.say(&lan, "Dãy trọ số 2").await;
    t.say(&lan, "2").await;
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
    jpeg.extend((0..40_000u32).map(|i| (i % 251) as u8));
    jpeg.extend([0xff, 0xd9]);
    let url = t.zalo.serve_photo("tip-cua-sau.jpg", "image/jpeg", &jpeg);
    t.send(&lan.id, lan.image_at(&url, "cửa sau")).await;
    let photos = ztexts(&t.say(&lan, "xong").await);
    assert!(photos.contains("1. Ẩn danh"), "{photos}");
    let done = ztexts(&t.say(&lan, "2").await);
    let start = done.find("TB-").expect("receipt");
    let receipt = done[start..start + 14].to_string();
    t.t.wait_outbox_empty().await;

    let uploads = t.fake.uploads_to(thu.id);
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    assert!(uploads[0].1 == jpeg, "the bytes Zalo served");
    let alert = texts(&t.fake.sent_to(thu.id));
    assert!(alert.contains(&receipt), "{alert}");
    let ha_saw = t.zalo.sent_to(&ha.id);
    let photo = ha_saw
        .iter()
        .find(|m| m.photo.is_some())
        .expect("the Zalo officer's photo");
    assert_eq!(photo.photo.as_deref(), Some(url.as_str()));
    assert!(photo.text.starts_with("Ảnh kèm tin báo"), "{}", photo.text);
    assert_eq!(t.zalo.photo_downloads(), 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM tip_photos WHERE channel = 'zalo'")
            .await,
        1
    );
    assert!(t.zalo.refused().is_empty(), "{:?}", t.zalo.refused());
    t.finish().await;
}

/// A voice message (and content Zalo withholds) gets a short answer, and a question
/// that was pending stays pending.
async fn voice_and_withheld_messages_get_an_answer(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let binh = ZaloUser::new("b1nh", "Bình");
    let voice = ztexts(&t.send(&binh.id, binh.voice()).await);
    assert!(
        voice.contains("Bot chưa nghe được tin nhắn thoại, bạn hãy gõ chữ"),
        "{voice}"
    );
    let withheld = ztexts(&t.send(&binh.id, binh.withheld()).await);
    assert!(
        withheld.contains("Bot chỉ đọc được tin nhắn chữ"),
        "{withheld}"
    );
    let code = t.invite("TTQ-01", Role::Member, 1, None).await;
    let welcome = ztexts(&t.say(&binh, code.as_str()).await);
    assert!(welcome.contains("1. Đồng ý"), "{welcome}");
    let voice = ztexts(&t.send(&binh.id, binh.voice()).await);
    assert!(voice.contains("tin nhắn thoại"), "{voice}");
    let joined = ztexts(&t.say(&binh, "1").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);
    t.finish().await;
}

/// Nothing says Zalo's message ids are unique across chats: two people's messages that
/// carry the same id are both stored and answered; a redelivery is still stored once.
async fn two_peoples_messages_with_one_message_id_are_both_processed(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let an = ZaloUser::new("a0a0a0a0", "An");
    let bao = ZaloUser::new("b0b0b0b0", "Bảo");
    let (ka, ua) = t
        .zalo
        .stamp_as("16f6366b3f02645a3d15", &mut an.text(code.as_str()));
    let (kb, ub) = t
        .zalo
        .stamp_as("16f6366b3f02645a3d15", &mut bao.text(code.as_str()));
    assert_ne!(ka, kb);
    t.zalo.push_stamped(ua);
    t.zalo.push_stamped(ub);
    t.wait_processed(&ka).await;
    t.wait_processed(&kb).await;
    t.wait_outbox_empty().await;
    for who in [&an, &bao] {
        assert!(
            ztexts(&t.zalo.sent_to(&who.id)).contains("1. Đồng ý"),
            "{} was answered",
            who.name
        );
    }
    t.zalo.push_again(&ka);
    let joined = ztexts(&t.say(&an, "1").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo'")
            .await,
        3
    );
    t.finish().await;
}

/// In a group Zalo delivers only what mentions the bot, so a command comes after the
/// mention ("@Bot Công Đoàn /help"): it is read as the command; chatter stays unanswered.
async fn commands_in_a_zalo_group_come_after_a_mention(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let binh = ZaloUser::new("b1nh", "Bình");
    let group = "g7a8b9c0d1e2";
    for text in ["@Bot Công Đoàn /help", "@Bot Công Đoàn /help extra"] {
        let got = ztexts(&t.send(group, binh.in_group(group, text)).await);
        assert!(
            got.contains("Bot chỉ làm việc trong chat riêng"),
            "{text}: {got}"
        );
    }
    for text in ["@Bot Công Đoàn chào cả nhà", "@Bot Công Đoàn", "@Bot a/b"] {
        let got = t.send(group, binh.in_group(group, text)).await;
        assert!(got.is_empty(), "{text}: {got:?}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    assert!(t.zalo.sent_to(&binh.id).is_empty());
    t.finish().await;
}

/// Bold titles go in Zalo's html parse mode when the text needs no entity; anything
/// else, and everything after Zalo refuses html, goes as plain text.
async fn bold_titles_go_in_zalo_html_and_fall_back_to_plain_text(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("CDCS-ABC", Role::Member, 1, None).await;
    let lan = ZaloUser::new("6ede9afa66b88fe6d6a9", "Lan");
    // The welcome names "Công ty May <ABC> & Co": plain text.
    let welcome = t.say(&lan, code.as_str()).await;
    assert!(
        welcome.iter().all(|m| m.parse_mode.is_none()),
        "{welcome:?}"
    );
    assert!(ztexts(&welcome).contains("Công ty May <ABC> & Co"));
    t.say(&lan, "1").await;
    let link = t.say(&lan, "/lienket").await;
    assert_eq!(link.len(), 1, "{link:?}");
    assert_eq!(link[0].parse_mode.as_deref(), Some("html"));
    assert_eq!(link[0].bold.len(), 1, "{link:?}");
    let code_shown = link[0].bold[0].clone();
    assert!(
        link[0].text.contains(&format!("/lienket {code_shown}")),
        "{link:?}"
    );
    assert_plain(&link);

    // An older Zalo that refuses parse_mode: the same message arrives as plain text,
    // and so does the next one, without another refusal.
    t.zalo.refuse_html();
    let link = t.say(&lan, "/lienket").await;
    assert_eq!(link.len(), 1, "{link:?}");
    assert!(link[0].parse_mode.is_none());
    assert!(link[0].text.contains("Mã liên kết của bạn"), "{link:?}");
    let calls = t.zalo.calls("sendMessage");
    let again = t.say(&lan, "/lienket").await;
    assert!(again[0].parse_mode.is_none());
    assert_eq!(t.zalo.calls("sendMessage"), calls + 1);
    assert!(t.zalo.refused().is_empty(), "{:?}", t.zalo.refused());
    t.finish().await;
}

/// "typing…" shows before answers that take a moment (a roll-up, a pasted letter to
/// parse), not before quick ones.
async fn zalo_shows_typing_before_slow_answers(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let mai = ZaloUser::new("0ff1cer", "Cán bộ Mai");
    t.say(
        &mai,
        t.invite("CDCS-ABC", Role::Officer, 1, None).await.as_str(),
    )
    .await;
    t.say(&mai, "1").await;
    let typing = format!("sendChatAction:{}", mai.id);
    t.say(&mai, "/help").await;
    assert!(!t.zalo.log().contains(&typing), "{:?}", t.zalo.log());

    let before = t.zalo.log().len();
    let rollup = ztexts(&t.say(&mai, "/tonghop").await);
    assert!(!rollup.is_empty());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !t.zalo.log()[before..].contains(&typing) {
        assert!(tokio::time::Instant::now() < deadline, "no typing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let log = t.zalo.log().split_off(before);
    let typed_at = log.iter().position(|l| *l == typing).expect("typing");
    let answered_at = log
        .iter()
        .position(|l| *l == format!("sendMessage:{}", mai.id))
        .expect("answer");
    assert!(typed_at < answered_at, "{log:?}");

    let letter = "Căn cứ Kế hoạch số 414/KH-UBND, Ban Thường vụ đề nghị các cấp công đoàn tổ chức tuyên truyền, phổ biến đến đoàn viên, người lao động. ".repeat(3);
    let before = t.zalo.log().len();
    t.say(&mai, &letter).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !t.zalo.log()[before..].contains(&typing) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no typing for a letter"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(t.zalo.refused().is_empty(), "{:?}", t.zalo.refused());
    t.finish().await;
}

#[tokio::test]
async fn photo_captions_are_left_out_when_empty_and_never_cut() {
    let fake = FakeZalo::start().await;
    let zalo = transport(&fake);
    let url = fake.serve_photo("p.jpg", "image/jpeg", b"\xff\xd8\xff\xd9");
    let photo = |caption: &str| Outbound::Media {
        kind: congdoan_bot::core::event::MediaKind::Photo,
        file_id: url.clone(),
        caption: caption.to_string(),
        buttons: vec![],
    };
    assert_eq!(zalo.deliver("u1", &photo("")).await, DeliveryOutcome::Sent);
    assert_eq!(
        zalo.deliver("u1", &photo("<b></b>")).await,
        DeliveryOutcome::Sent
    );
    let sent = fake.sent_to("u1");
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|m| m.photo.is_some() && m.text.is_empty()));
    let mut long = String::new();
    for i in 1..=60 {
        long.push_str(&format!(
            "{i}. Dãy trọ số {i}: cửa sau không khóa, đèn hỏng.\n"
        ));
    }
    assert!(long.chars().count() > 2000);
    assert_eq!(
        zalo.deliver("u2", &photo(&long)).await,
        DeliveryOutcome::Sent
    );
    let sent = fake.sent_to("u2");
    assert!(sent.len() >= 2, "{sent:?}");
    assert!(sent[0].photo.is_some() && sent[1..].iter().all(|m| m.photo.is_none()));
    let joined = sent
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(joined.trim_end(), long.trim_end(), "nothing cut");
    assert!(fake.refused().is_empty(), "{:?}", fake.refused());
}

#[tokio::test]
async fn zalo_photos_are_downloaded_only_from_zalo_hosts_and_only_images() {
    let fake = FakeZalo::start().await;
    let default = ZaloClient::new(ZALO_TOKEN, Some(&fake.url())).expect("client");
    let url = fake.serve_photo("a.jpg", "image/jpeg", b"\xff\xd8\xff\xd9");
    // By default only Zalo's CDN hosts: the fake's 127.0.0.1 is refused, not fetched.
    assert!(matches!(
        default.download_photo(&url, 1000).await,
        Err(DeliveryOutcome::Permanent(_))
    ));
    assert_eq!(fake.photo_downloads(), 0);
    let client = default.with_photo_hosts(&["127.0.0.1".to_string()]);
    assert_eq!(
        client.download_photo(&url, 1000).await.expect("photo"),
        b"\xff\xd8\xff\xd9"
    );
    let page = fake.serve_photo("b.jpg", "text/html", b"<html>");
    assert!(matches!(
        client.download_photo(&page, 1000).await,
        Err(DeliveryOutcome::Permanent(e)) if e.contains("not an image")
    ));
    let big = fake.serve_photo("c.jpg", "image/png", &vec![7u8; 5000]);
    assert!(matches!(
        client.download_photo(&big, 1000).await,
        Err(DeliveryOutcome::Permanent(e)) if e.contains("larger")
    ));
    assert!(matches!(
        client.download_photo("not a url", 1000).await,
        Err(DeliveryOutcome::Permanent(_))
    ));
    assert!(matches!(
        client
            .download_photo(&format!("{}/photos/missing.jpg", fake.url()), 1000)
            .await,
        Err(DeliveryOutcome::Permanent(_))
    ));
}
