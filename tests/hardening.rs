//! Nothing one person sends stops the bot for the others, and the README's promises
//! hold: parked updates, /healthz, typed answers bound to what was shown, backlogs after
//! downtime, complete deletion, audited tip exports, drafts kept, stale sends.

mod common;

use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, TestApp, TgUser, cast, texts};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::store::{commitments, members};
use serde_json::json;
use sqlx::Row;

on_both_backends!(
    a_panicking_update_is_parked_and_nobody_else_waits,
    the_letter_that_once_stopped_the_bot_is_summarised,
    healthz_says_when_a_loop_is_down,
    a_typed_one_signs_what_was_put_to_the_person,
    a_backlog_sent_at_a_normal_pace_is_all_handled,
    deleting_my_data_leaves_nothing_behind,
    exporting_tips_is_audited,
    an_old_button_keeps_the_draft,
    a_guest_cannot_reset_the_lockout,
    a_channel_without_sender_does_not_stop_retention,
    a_typed_one_skips_the_place_on_zalo,
    an_empty_webhook_secret_is_refused,
);

const POISON: &str = "💥 tin nhắn làm bot lỗi";

/// The operator's command line, on the test's database.
fn operator(t: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .args(args)
        .env("DATABASE_URL", &t.db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run")
}

fn http(t: &TestApp) -> String {
    let addr = t
        .app
        .as_ref()
        .and_then(|a| a.http_addr)
        .expect("the app listens");
    format!("http://{addr}")
}

async fn a_panicking_update_is_parked_and_nobody_else_waits(backend: Backend) {
    let Some(mut t) = TestApp::spawn_with(backend, |c| {
        c.panic_on_text = Some(POISON.to_string());
        c.retry_base_ms = 20;
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    else {
        return;
    };
    let c = cast(&t, 70_000).await;
    // The poison goes in first; the others write right after it.
    let poison_id = t.fake.push(c.worker.text(POISON));
    for who in [&c.officer, &c.leader, &c.direct] {
        let help = texts(&t.say(who, "/help").await);
        assert!(help.contains("/chithi"), "{help}");
    }
    t.wait_processed(poison_id).await;
    t.wait_outbox_empty().await;
    let told = texts(&t.fake.sent_to(c.worker.id));
    assert_eq!(
        told.matches("bot chưa xử lý được tin nhắn vừa rồi").count(),
        1,
        "told once: {told}"
    );
    let row =
        sqlx::query("SELECT id, status, attempts, error, payload FROM inbox WHERE update_id = $1")
            .bind(poison_id.to_string())
            .fetch_one(t.store.pool())
            .await
            .expect("row");
    let inbox_id: i64 = row.get("id");
    assert_eq!(row.get::<String, _>("status"), "failed");
    assert_eq!(row.get::<i64, _>("attempts"), 5);
    assert!(row.get::<String, _>("error").contains("panic"));
    assert!(
        row.get::<Option<String>, _>("payload").is_some(),
        "kept for a retry"
    );
    let metrics = reqwest::get(format!("{}/metrics", http(&t)))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(
        metrics.contains("congdoan_updates_parked_total"),
        "{metrics}"
    );
    assert!(
        metrics.contains("congdoan_update_failures_total"),
        "{metrics}"
    );

    // An operator sees it without its content, from the command line.
    let parked = operator(&t, &["inbox", "parked"]);
    let listing = String::from_utf8_lossy(&parked.stdout);
    assert!(listing.contains(&format!("#{inbox_id}")), "{listing}");
    assert!(
        listing.contains("telegram") && listing.contains("panic"),
        "{listing}"
    );
    assert!(!listing.contains("làm bot lỗi"), "no content: {listing}");

    // After a restart the parked update is not taken again: the others go on.
    t.restart(|c| c.panic_on_text = None).await;
    let after = texts(&t.say(&c.leader, "/help").await);
    assert!(after.contains("/chithi"), "{after}");
    assert_eq!(
        t.count_for(
            "SELECT attempts FROM inbox WHERE update_id = $1",
            &poison_id.to_string()
        )
        .await,
        5
    );
    // Fixed: the operator queues it again and this time it is handled.
    let retried = operator(&t, &["inbox", "retry", &inbox_id.to_string()]);
    assert!(retried.status.success(), "{retried:?}");
    t.wait_processed(poison_id).await;
    t.wait_outbox_empty().await;
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM inbox WHERE update_id = $1 AND status = 'done'",
            &poison_id.to_string()
        )
        .await,
        1
    );
    let bogus = operator(&t, &["inbox", "retry", "987654"]);
    assert!(!bogus.status.success());
    assert!(String::from_utf8_lossy(&bogus.stderr).contains("Không có tin bị giữ lại"));
    t.finish().await;
}

async fn the_letter_that_once_stopped_the_bot_is_summarised(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 71_000).await;
    let letter = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/directive/full-width-digits-law.txt"
    ))
    .expect("corpus letter");
    assert!(
        letter.chars().count() >= 300,
        "long enough to be a directive"
    );
    let draft = texts(&t.say(&c.officer, &letter).await);
    // The full-width "ngày １９/８" is read as 19/8, and offered as a campaign date.
    assert!(
        draft.contains("(ngày 19/8)") && draft.contains("Gửi cho ai?"),
        "{draft}"
    );
    // And the bot still answers everyone.
    assert!(texts(&t.say(&c.worker, "/help").await).contains("/chithi"));
    t.finish().await;
}

async fn healthz_says_when_a_loop_is_down(backend: Backend) {
    let Some(mut t) = TestApp::spawn_with(backend, |c| {
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    else {
        return;
    };
    let url = format!("{}/healthz", http(&t));
    let ok = reqwest::get(&url).await.expect("healthz");
    assert_eq!(ok.status(), 200);
    if let Some(app) = t.app.as_mut() {
        app.abort_processing().await;
    }
    let down = reqwest::get(&url).await.expect("healthz");
    assert_eq!(down.status(), 503);
    assert!(down.text().await.expect("body").contains("processor"));
    t.finish().await;
}

/// The officer's view of themselves, as the processor builds it.
async fn member_view(t: &TestApp, user: &TgUser) -> congdoan_bot::core::conversation::MemberView {
    let mut conn = t.store.pool().acquire().await.expect("conn");
    members::by_identity(&mut conn, "telegram", &user.id.to_string())
        .await
        .expect("db")
        .expect("a member")
}

async fn open_commitment(t: &TestApp, officer: &TgUser, text: &str, days: i64) -> i64 {
    let view = member_view(t, officer).await;
    let i18n = congdoan_bot::i18n::I18n::new();
    let draft = congdoan_bot::core::conversation::CommitDraft {
        text: text.to_string(),
        signers: congdoan_bot::core::conversation::Signers::Everyone,
        deadline_at: now_ms() + days * 24 * 3600 * 1000,
        remind_weekdays: vec![],
        remind_every_days: 0,
        remind_hour: 8,
    };
    let mut tx = t.store.begin().await.expect("tx");
    let (id, _) = commitments::create(&mut tx, &i18n, &view, &draft, now_ms())
        .await
        .expect("create");
    tx.commit().await.expect("commit");
    t.wait_outbox_empty().await;
    id
}

async fn signed(t: &TestApp, campaign: i64) -> Vec<(i64, String)> {
    sqlx::query(
        "SELECT s.version, s.text_hash FROM commitment_signatures s
         JOIN identities i ON i.member_id = s.member_id
         WHERE s.campaign_id = $1 ORDER BY s.version",
    )
    .bind(campaign)
    .fetch_all(t.store.pool())
    .await
    .expect("db")
    .iter()
    .map(|r| (r.get("version"), r.get("text_hash")))
    .collect()
}

async fn a_typed_one_signs_what_was_put_to_the_person(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 72_000).await;
    // A has the earlier deadline; B is put to the worker last. "1" answers B.
    let a = open_commitment(&t, &c.officer, "Cam kết A: giữ trật tự khu trọ", 10).await;
    let b = open_commitment(&t, &c.officer, "Cam kết B: phòng cháy chữa cháy", 60).await;
    let answer = texts(&t.say(&c.worker, "1").await);
    assert!(answer.contains("Cam kết B"), "{answer}");
    assert_eq!(signed(&t, b).await.len(), 1);
    assert!(signed(&t, a).await.is_empty(), "A was not the question");

    // A's text changes while the v2 message cannot reach the worker: "1" must not sign
    // v2 unseen. The bot shows the new text and asks again.
    let now = now_ms();
    sqlx::query(
        "UPDATE members SET unreachable_at = $1 WHERE id IN
           (SELECT member_id FROM identities WHERE external_id = $2)",
    )
    .bind(now)
    .bind(c.worker.id.to_string())
    .execute(t.store.pool())
    .await
    .expect("unreachable");
    let officer = member_view(&t, &c.officer).await;
    let i18n = congdoan_bot::i18n::I18n::new();
    let mut tx = t.store.begin().await.expect("tx");
    let v2 = "Cam kết A (bản sửa): giữ trật tự, báo người lạ cho tổ trưởng";
    commitments::revise(&mut tx, &i18n, &officer, a, v2, now)
        .await
        .expect("revise");
    tx.commit().await.expect("commit");
    let shown = t.say(&c.worker, "1").await;
    let shown_text = texts(&shown);
    assert!(
        shown_text.contains("báo người lạ cho tổ trưởng"),
        "{shown_text}"
    );
    assert!(
        signed(&t, a).await.is_empty(),
        "nothing signed unseen: {shown_text}"
    );
    // Having seen it, "1" signs exactly version 2.
    let done = texts(&t.say(&c.worker, "1").await);
    assert!(done.contains("Đã ghi nhận cam kết"), "{done}");
    assert_eq!(
        signed(&t, a).await,
        vec![(2, congdoan_bot::core::conversation::text_hash(v2))]
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM pending_prompts p JOIN identities i ON i.member_id = p.member_id
             WHERE i.external_id = $1",
            &c.worker.id.to_string()
        )
        .await,
        0,
        "both answered"
    );
    t.finish().await;
}

async fn a_backlog_sent_at_a_normal_pace_is_all_handled(backend: Backend) {
    // Receiving runs, processing does not (the bot's worker is down).
    let Some(mut t) = TestApp::spawn_with(backend, |c| {
        c.inbound_per_min = 5;
        c.run_processor = false;
    })
    .await
    else {
        return;
    };
    let lan = TgUser::new(73_001, "Lan");
    let mut ids = vec![];
    for _ in 0..9 {
        ids.push(t.fake.push(lan.text("/help")));
    }
    // Stored, not yet handled.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while t.count("SELECT COUNT(*) FROM inbox").await < 9 {
        assert!(tokio::time::Instant::now() < deadline, "not stored");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    t.restart(|c| c.run_processor = true).await;
    for id in &ids {
        t.wait_processed(*id).await;
    }
    t.wait_outbox_empty().await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'dropped'")
            .await,
        0
    );
    assert_eq!(t.fake.sent_to(lan.id).len(), 9, "one answer to each");

    // A backlog judged late, but sent one every 15 s: not a flood.
    let start = common::fake_telegram::now_secs() - 300;
    let mut ids = vec![];
    for i in 0..9 {
        let mut update = lan.text("/help");
        update["message"]["date"] = json!(start + i * 15);
        ids.push(t.fake.push(update));
    }
    for id in &ids {
        t.wait_processed(*id).await;
    }
    t.wait_outbox_empty().await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'dropped'")
            .await,
        0
    );
    // A real flood (all sent in the same second) is still cut.
    let now = common::fake_telegram::now_secs();
    let mut ids = vec![];
    for _ in 0..8 {
        let mut update = lan.text("/help");
        update["message"]["date"] = json!(now);
        ids.push(t.fake.push(update));
    }
    for id in &ids {
        t.wait_processed(*id).await;
    }
    assert!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'dropped'")
            .await
            > 0
    );
    t.finish().await;
}

async fn deleting_my_data_leaves_nothing_behind(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| {
        c.panic_on_text = Some(POISON.to_string());
        c.retry_base_ms = 10;
    })
    .await
    else {
        return;
    };
    let c = cast(&t, 74_000).await;
    let worker_chat = c.worker.id.to_string();
    // A named tip: the officers' alert names the worker.
    t.say(&c.worker, "/baotin").await;
    t.press(&c.worker, "tip:cat:theft").await;
    t.say(&c.worker, "Mất xe máy trước dãy trọ số 5").await;
    t.press(&c.worker, "tip:skip").await;
    t.press(&c.worker, "tip:when:now").await;
    t.press(&c.worker, "tip:photos:done").await;
    let done = texts(&t.press(&c.worker, "tip:anon:no").await);
    let code: String = done
        .split("/theodoi ")
        .nth(1)
        .map(|c| {
            c.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .expect("a receipt code");
    assert!(code.starts_with("TB-"), "{done}");
    let alert = texts(&t.fake.sent_to(c.officer.id));
    assert!(alert.contains("Công nhân Hoa"), "{alert}");
    // A commitment signed, so /dulieu has a signature to show.
    let id = open_commitment(&t, &c.officer, "Cam kết giữ gìn an ninh trật tự", 30).await;
    t.say(&c.worker, "1").await;
    // A parked update of theirs (it keeps the message), a tip half written, and the rest
    // of a broadcast still queued for them.
    let poison = t.fake.push(c.worker.text(POISON));
    t.wait_processed(poison).await;
    t.say(&c.worker, "/baotin").await;
    t.press(&c.worker, "tip:cat:fire").await;
    t.say(&c.worker, "Dây điện chập cháy ở phòng 12").await;

    let mine = texts(&t.say(&c.worker, "/dulieu").await);
    assert!(
        mine.contains(&code) && mine.contains("Mới, chờ tiếp nhận"),
        "{mine}"
    );
    assert!(
        mine.contains("Cam kết giữ gìn an ninh trật tự (bản 1)"),
        "{mine}"
    );
    assert!(mine.contains("xoá sau 30 ngày"), "{mine}");
    assert!(mine.contains("Tổ tự quản nhà trọ số 1"), "{mine}");
    assert!(id > 0);

    t.say(&c.worker, "/xoadulieu").await;
    sqlx::query(
        "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at)
         VALUES ('telegram', $1, '{\"type\":\"message\",\"text\":\"rest of a broadcast\"}', 10, 'pending', 0, $2, $2)",
    )
    .bind(&worker_chat)
    .bind(now_ms() + 3_600_000)
    .execute(t.store.pool())
    .await
    .expect("queued");
    let bye = texts(&t.press(&c.worker, "delete:yes").await);
    assert!(bye.contains("Đã xoá toàn bộ dữ liệu"), "{bye}");

    let gone = [
        (
            "SELECT COUNT(*) FROM members WHERE display_name = 'Công nhân Hoa'",
            "member",
        ),
        (
            "SELECT COUNT(*) FROM conversations WHERE chat_id = $1",
            "conversation",
        ),
        (
            "SELECT COUNT(*) FROM inbox WHERE chat_id = $1 AND payload IS NOT NULL",
            "inbox content",
        ),
        (
            "SELECT COUNT(*) FROM inbox WHERE chat_id = $1 AND status = 'failed'",
            "parked",
        ),
        (
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND status = 'pending'",
            "queued to them",
        ),
        (
            "SELECT COUNT(*) FROM identities WHERE chat_id = $1",
            "identity",
        ),
    ];
    for (sql, what) in gone {
        let n = sqlx::query(sql)
            .bind(&worker_chat)
            .fetch_one(t.store.pool())
            .await
            .expect("count")
            .get::<i64, _>(0);
        assert_eq!(n, 0, "{what} left behind");
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%Công nhân Hoa%'")
            .await,
        0,
        "their name in messages to others"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM tips WHERE reporter_member_id IS NOT NULL")
            .await,
        0
    );
    // The tip and the signature count stay for the union's figures.
    assert_eq!(t.count("SELECT COUNT(*) FROM tips").await, 1);
    t.finish().await;
}

async fn exporting_tips_is_audited(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 75_000).await;
    for what in ["Mất điện thoại", "Người lạ lảng vảng"] {
        t.say(&c.worker, "/baotin").await;
        t.press(&c.worker, "tip:cat:theft").await;
        t.say(&c.worker, what).await;
        t.press(&c.worker, "tip:skip").await;
        t.press(&c.worker, "tip:when:now").await;
        t.press(&c.worker, "tip:photos:done").await;
        t.press(&c.worker, "tip:anon:yes").await;
    }
    t.say(&c.officer, "/xuat").await;
    t.press(&c.officer, "exp:what:tips").await;
    t.press(&c.officer, "exp:fmt:csv").await;
    assert_eq!(t.fake.uploads_to(c.officer.id).len(), 1);
    let row = sqlx::query(
        "SELECT e.tips, u.code, m.display_name, e.at FROM tip_exports e
         JOIN units u ON u.id = e.unit_id JOIN members m ON m.id = e.member_id",
    )
    .fetch_one(t.store.pool())
    .await
    .expect("an audit row");
    assert_eq!(row.get::<i64, _>("tips"), 2);
    assert_eq!(row.get::<String, _>("code"), "CDCS-ABC");
    assert_eq!(row.get::<String, _>("display_name"), "Cán bộ Thu");
    assert!(row.get::<i64, _>("at") > now_ms() - 60_000);
    t.finish().await;
}

async fn an_old_button_keeps_the_draft(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 76_000).await;
    let id = open_commitment(&t, &c.officer, "Cam kết an toàn giao thông", 30).await;
    // Half-way through a tip, the worker taps «Tôi cam kết» on the older message.
    t.say(&c.worker, "/baotin").await;
    t.press(&c.worker, "tip:cat:theft").await;
    t.say(&c.worker, "Mất ví ở nhà xe").await;
    let tapped = texts(&t.press(&c.worker, &format!("cm:sign:{id}:1")).await);
    assert!(tapped.contains("Đã ghi nhận cam kết"), "{tapped}");
    assert!(tapped.contains("vẫn đang soạn dở"), "{tapped}");
    assert!(
        tapped.contains("Ở đâu") || tapped.contains("ở đâu"),
        "asked again: {tapped}"
    );
    // The draft goes on from where it was, words kept.
    t.say(&c.worker, "Nhà xe dãy B").await;
    t.press(&c.worker, "tip:when:now").await;
    t.press(&c.worker, "tip:photos:done").await;
    let done = texts(&t.press(&c.worker, "tip:anon:no").await);
    assert!(done.contains("TB-"), "{done}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM tips WHERE description = 'Mất ví ở nhà xe' AND location_text = 'Nhà xe dãy B'")
            .await,
        1
    );
    t.finish().await;
}

async fn a_guest_cannot_reset_the_lockout(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let guest = TgUser::new(77_001, "Khách");
    for _ in 0..5 {
        t.say(&guest, "/start AAAA-BBBB-CCCC").await;
    }
    let locked = texts(&t.say(&guest, "/start AAAA-BBBB-CCCD").await);
    assert!(locked.contains("thử lại sau"), "{locked}");
    t.say(&guest, "/xoadulieu").await;
    let code = t
        .invite("TTQ-01", congdoan_bot::core::domain::Role::Member, 1, None)
        .await;
    let still = texts(&t.say(&guest, &format!("/start {}", code.as_str())).await);
    assert!(still.contains("thử lại sau"), "{still}");
    t.finish().await;
}

async fn a_channel_without_sender_does_not_stop_retention(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let now = now_ms();
    // A Zalo message queued when Zalo's token was still set, then Telegram ones.
    for (channel, chat) in [("zalo", "z1"), ("telegram", "1"), ("telegram", "2")] {
        sqlx::query(
            "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at)
             VALUES ($1, $2, '{\"type\":\"message\",\"text\":\"Họp tổ lúc 19h\"}', 10, $3, 0, $4, $4)",
        )
        .bind(channel)
        .bind(chat)
        .bind(if channel == "zalo" { "pending" } else { "sent" })
        .bind(now)
        .execute(t.store.pool())
        .await
        .expect("row");
    }
    let later = now + 31 * 24 * 3600 * 1000;
    // Before: the pending Zalo row held the erasure back for good.
    t.store.erase_old_messages(later).await.expect("erase");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%Họp tổ%'")
            .await,
        3
    );
    // The bot serves Telegram only: the Zalo message fails with its reason, then the
    // erasure goes on past it.
    let failed = t
        .store
        .fail_orphaned_sends(&["telegram"], now + 2 * 3600 * 1000)
        .await
        .expect("orphans");
    assert_eq!(failed, 1);
    t.store.erase_old_messages(later).await.expect("erase");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%Họp tổ%'")
            .await,
        0,
        "later texts erased too"
    );
    let failed = sqlx::query("SELECT status, error FROM outbox WHERE channel = 'zalo'")
        .fetch_one(t.store.pool())
        .await
        .expect("row");
    assert_eq!(failed.get::<String, _>("status"), "failed");
    assert!(failed.get::<String, _>("error").contains("no sender"));
    t.finish().await;
}

async fn a_typed_one_skips_the_place_on_zalo(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let code = t
        .invite("TTQ-01", congdoan_bot::core::domain::Role::Member, 1, None)
        .await;
    let lan = ZaloUser::new("8a1b2c3d4e5f60718299", "Lan");
    t.say(&lan, code.as_str()).await;
    t.say(&lan, "1").await;
    t.say(&lan, "/baotin").await;
    t.say(&lan, "1").await;
    t.say(&lan, "Mất xe đạp ở nhà xe").await;
    // "1. Bỏ qua" was the option: the place is skipped, not stored as "1".
    let when = ztexts(&t.say(&lan, "1").await);
    assert!(when.contains("Xảy ra lúc nào"), "{when}");
    t.say(&lan, "1").await;
    t.say(&lan, "xong").await;
    let done = ztexts(&t.say(&lan, "2").await);
    assert!(done.contains("Mã theo dõi: TB-"), "{done}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM tips WHERE location_text IS NULL")
            .await,
        1
    );
    t.finish().await;
}

async fn an_empty_webhook_secret_is_refused(backend: Backend) {
    let Some(db) = common::TestDb::new(backend).await else {
        return;
    };
    let fake = common::FakeTelegram::start().await;
    let config = congdoan_bot::app::ServeConfig {
        telegram_token: Some("123:TEST".to_string()),
        telegram_api_url: Some(fake.url()),
        listen: Some("127.0.0.1:0".parse().expect("addr")),
        public_url: Some("https://bot.example.org".to_string()),
        webhook_secret: Some(String::new()),
        ..congdoan_bot::app::ServeConfig::new(&db.url)
    };
    let refused = congdoan_bot::app::start(config).await;
    let Err(e) = refused else {
        panic!("an empty secret would accept calls that carry none");
    };
    assert!(e.to_string().contains("CONGDOAN_WEBHOOK_SECRET"), "{e}");
    // Nothing was registered with Telegram.
    assert!(fake.webhook().is_none());
    db.drop_db().await;
}
