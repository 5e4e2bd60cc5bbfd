//! The bot on a Zalo Official Account, played as OA users through the fake OA server
//! (signed webhooks, single-use refresh tokens, the 48-hour window on a settable
//! clock): joining by code and signing a commitment by typed numbers, a tip with a
//! shared location, a broadcast where some members are outside the 48 hours (nothing
//! refused by Zalo, the held messages delivered when they write, the report counting
//! them apart, a linked member reached on Telegram instead), a token refresh in the
//! middle of a broadcast, a refresh whose answer is lost, unfollow/follow, paid sending
//! up to its monthly cap, and webhooks that are badly signed, stale, replayed or
//! malformed; newcomers' names from the OA profile call, charts by a token URL, and
//! commitment reminders as ZNS templates when configured.

mod common;

use axum::http::StatusCode;
use common::fake_zalo_oa::{FakeOa, HOUR_MS, OaApp, oatexts};
use common::{Backend, TgUser, texts};
use congdoan_bot::core::domain::Role;
use serde_json::json;
use sqlx::Row;

on_both_backends!(
    joins_by_code_and_signs_a_commitment_on_the_oa,
    reports_a_tip_with_a_shared_location_on_the_oa,
    a_broadcast_waits_outside_48_hours_and_arrives_when_they_write,
    the_token_is_refreshed_in_the_middle_of_a_broadcast,
    a_refresh_whose_answer_is_lost_leaves_a_consistent_pair,
    a_crash_in_the_middle_of_a_refresh_keeps_the_old_pair_working,
    badly_signed_stale_replayed_or_malformed_webhooks_are_refused,
    unfollowing_makes_a_member_unreachable_here_until_they_follow_again,
    paid_sending_reaches_members_outside_48_hours_up_to_the_monthly_cap,
    a_newcomer_gets_the_name_of_their_oa_profile_and_a_failure_blocks_nothing,
    charts_reach_an_oa_officer_by_a_url_only_its_token_opens,
    a_commitment_reminder_outside_48_hours_goes_as_zns_only_when_configured,
);

/// The OA shows plain text: no tags, no entities, 1–2000 characters.
fn assert_plain(sent: &[common::fake_zalo_oa::OaSent]) {
    for m in sent {
        for tag in ["<b>", "</b>", "<i>", "&lt;", "&gt;", "&amp;"] {
            assert!(!m.text.contains(tag), "{tag} in {}", m.text);
        }
        let n = m.text.chars().count();
        assert!(n <= 2000, "{n} characters");
    }
}

fn code_in(text: &str) -> String {
    let start = text.find("<b>").expect("a code") + 3;
    text[start..start + 9].to_string()
}

async fn outbox_status_count(t: &OaApp, status: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'zalo_oa' AND status = $1")
        .bind(status.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("count")
        .get("n")
}

/// An officer on Telegram sends `text` to the whole subtree of CDCS-ABC; returns the
/// broadcast's id once its report went out.
async fn broadcast(t: &OaApp, officer: &TgUser, text: &str) -> i64 {
    t.t.say(officer, "/guitin").await;
    t.t.say(officer, text).await;
    t.t.press(officer, "bc:to:all").await;
    let started = texts(&t.t.press(officer, "bc:send").await);
    assert!(started.contains("Bắt đầu gửi"), "{started}");
    let id = t.count("SELECT COALESCE(MAX(id), 0) FROM broadcasts").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
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
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    t.t.wait_outbox_empty().await;
    t.wait_outbox_empty().await;
    id
}

async fn an_officer(t: &OaApp, id: i64) -> TgUser {
    let officer = TgUser::new(id, "Cán bộ Thu");
    t.t.join(
        &officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;
    officer
}

async fn joins_by_code_and_signs_a_commitment_on_the_oa(backend: Backend) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let officer = an_officer(&t, 4101).await;
    let code = t.invite("TTQ-01", Role::Member, 2, None).await;
    let lan = "8841203377710001";

    // No deep links: the bare code; the options are numbered, the answer typed.
    let welcome = t.say(lan, &code.grouped().to_lowercase()).await;
    assert_plain(&welcome);
    let w = oatexts(&welcome);
    assert!(
        w.contains("Tổ tự quản nhà trọ số 1") && w.contains("Bot sẽ lưu"),
        "{w}"
    );
    assert!(
        w.contains("1. Đồng ý") && w.contains("2. Không đồng ý"),
        "{w}"
    );
    let joined = oatexts(&t.say(lan, "1").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM identities WHERE channel = 'zalo_oa' AND chat_id = $1",
            lan
        )
        .await,
        1
    );

    // The officer opens a commitment on Telegram; on the OA it comes as text that says
    // to type 1.
    t.t.say(&officer, "/camket moi").await;
    t.t.say(
        &officer,
        "Cam kết an toàn về an ninh, trật tự\n1. Chấp hành pháp luật.",
    )
    .await;
    t.t.say(&officer, "1").await;
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    t.t.say(&officer, &format!("31/12/{next_year}")).await;
    t.t.say(&officer, "4").await;
    assert!(texts(&t.t.say(&officer, "1").await).contains("Đã gửi cam kết"));
    t.wait_outbox_empty().await;
    let asked = t.oa.sent_to(lan);
    assert_plain(&asked);
    let asked = oatexts(&asked);
    assert!(
        asked.contains("Cam kết mới từ") && asked.contains("gõ 1 để ký"),
        "{asked}"
    );
    assert!(oatexts(&t.say(lan, "1").await).contains("Đã ghi nhận"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures WHERE channel = 'zalo_oa'")
            .await,
        1
    );
    let report = texts(&t.t.say(&officer, "/tonghop").await);
    assert!(report.contains("Tổ tự quản nhà trọ số 1: 1/1"), "{report}");
    // One refresh made the first access token; Zalo refused nothing.
    assert_eq!(t.oa.refresh_calls(), 1);
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    assert!(
        t.oa.bad_refreshes().is_empty(),
        "{:?}",
        t.oa.bad_refreshes()
    );
    t.finish().await;
}

async fn reports_a_tip_with_a_shared_location_on_the_oa(backend: Backend) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let officer = an_officer(&t, 4201).await;
    let lan = "8841203377720001";
    t.join_oa(
        lan,
        t.invite("TTQ-01", Role::Leader, 1, None).await.as_str(),
    )
    .await;

    t.say(lan, "/baotin").await;
    t.say(lan, "người lạ khả nghi").await;
    t.say(lan, "Hai người lạ hỏi thăm phòng trống lúc nửa đêm")
        .await;
    // The place: a location shared from Zalo.
    let msg_id = t.oa.msg_id();
    let place = t
        .send(lan, &t.oa.location_event(lan, 10.7512, 106.7234, &msg_id))
        .await;
    assert!(!place.is_empty(), "the next question");
    t.say(lan, "2").await;
    let photos = oatexts(&t.say(lan, "xong").await);
    assert!(photos.contains("1. Ẩn danh"), "{photos}");
    let done = oatexts(&t.say(lan, "2").await);
    let start = done.find("TB-").expect("receipt");
    let receipt = done[start..start + 14].to_string();
    t.t.wait_outbox_empty().await;

    let alert = texts(&t.fake.sent_to(officer.id));
    assert!(alert.contains(&receipt), "{alert}");
    let r = sqlx::query("SELECT latitude, longitude FROM tips ORDER BY id DESC LIMIT 1")
        .fetch_one(t.store.pool())
        .await
        .expect("tip");
    let lat: Option<f64> = r.get("latitude");
    assert!(lat.is_some_and(|l| (l - 10.7512).abs() < 1e-6), "{lat:?}");
    let follow = oatexts(&t.say(lan, &format!("/theodoi {receipt}")).await);
    assert!(follow.contains(&receipt), "{follow}");
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    t.finish().await;
}

async fn a_broadcast_waits_outside_48_hours_and_arrives_when_they_write(backend: Backend) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let officer = an_officer(&t, 4301).await;
    let (an, binh, chi) = ("7700000000000001", "7700000000000002", "7700000000000003");
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    for u in [an, binh, chi] {
        t.join_oa(u, code.as_str()).await;
    }
    // Dung is on Telegram and linked her OA account.
    let dung_tg = TgUser::new(4302, "Công nhân Dung");
    t.t.join(&dung_tg, &t.invite("TTQ-02", Role::Member, 1, None).await)
        .await;
    let link = code_in(&texts(&t.t.say(&dung_tg, "/lienket").await));
    let dung = "7700000000000004";
    assert!(oatexts(&t.say(dung, &link).await).contains("Đã liên kết"));

    // Binh and Chi, and Dung on the OA, have not written for 49 hours and 8 days.
    t.age(binh, 49).await;
    t.age(chi, 8 * 24).await;
    t.age(dung, 50).await;
    let sent_before = t.oa.sent().len();
    let id = broadcast(&t, &officer, "Họp tổ 19h thứ Bảy tại nhà văn hóa").await;

    // An got it; nobody outside the window was tried: Zalo refused nothing.
    assert!(oatexts(&t.oa.sent_to(an)).contains("Họp tổ 19h"));
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    assert_eq!(t.oa.sent().len(), sent_before + 1, "{:?}", t.oa.sent());
    let pool = t.store.pool().clone();
    let held = |status: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE broadcast_id = $1 AND status = $2")
                .bind(id)
                .bind(status)
                .fetch_one(&pool)
                .await
                .expect("count")
                .get::<i64, _>("n")
        }
    };
    assert_eq!(held("outside_window").await, 2);
    // Dung got it on Telegram (her other account); the OA row says so.
    assert_eq!(held("elsewhere").await, 1);
    assert!(texts(&t.fake.sent_to(dung_tg.id)).contains("Họp tổ 19h"));
    // ZNS is off by default: nothing went that way.
    assert!(t.oa.zns().is_empty(), "{:?}", t.oa.zns());
    // Not failures, not attempts.
    let attempts = t
        .count("SELECT COALESCE(MAX(attempts), 0) FROM outbox WHERE status = 'outside_window'")
        .await;
    assert_eq!(attempts, 0);
    // The report counts them apart.
    let report = texts(&t.fake.sent_to(officer.id));
    assert!(report.contains("Báo cáo gửi tin"), "{report}");
    assert!(
        report.contains("Ngoài 48 giờ (Zalo OA): 2 tin đang chờ"),
        "{report}"
    );
    assert!(report.contains("Không gửi được: 0"), "{report}");
    // The officers' digest counts them apart too.
    let (unit_id, path): (i64, String) = {
        let r = sqlx::query("SELECT id, path FROM units WHERE code = 'CDCS-ABC'")
            .fetch_one(t.store.pool())
            .await
            .expect("unit");
        (r.get("id"), r.get("path"))
    };
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let facts = congdoan_bot::store::reports::digest_facts(
        &mut conn,
        unit_id,
        &path,
        0,
        congdoan_bot::core::time::now_ms(),
    )
    .await
    .expect("facts");
    drop(conn);
    assert_eq!(facts.outside_window, 2);
    let digest = congdoan_bot::core::digest::render_digest(
        &congdoan_bot::i18n::I18n::new(),
        congdoan_bot::core::domain::Lang::Vi,
        "CĐCS",
        congdoan_bot::core::digest::DigestEvery::Weekly,
        &facts,
    );
    assert!(
        digest.contains("Tin đang chờ ngoài 48 giờ (Zalo OA): 2"),
        "{digest}"
    );

    // Binh writes: first "Bạn có 1 tin mới", then the held message, then the answer.
    let got = t.say(binh, "/help").await;
    assert_plain(&got);
    assert!(got.len() >= 3, "{got:?}");
    assert!(got[0].text.contains("Bạn có 1 tin mới"), "{got:?}");
    assert!(got[1].text.contains("Họp tổ 19h"), "{got:?}");
    assert!(oatexts(&got[2..]).contains("/baotin"), "{got:?}");
    // Chi too, after 8 days (within Zalo's rules: she just wrote).
    let got = t.say(chi, "chào").await;
    assert!(got[0].text.contains("Bạn có 1 tin mới") && got[1].text.contains("Họp tổ"));
    assert_eq!(held("outside_window").await, 0);
    // An, Binh and Chi on the OA, Dung on Telegram.
    assert_eq!(held("sent").await, 4);
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    // Writing again brings nothing twice.
    let again = oatexts(&t.say(binh, "cảm ơn").await);
    assert!(!again.contains("tin mới"), "{again}");
    t.finish().await;
}

async fn the_token_is_refreshed_in_the_middle_of_a_broadcast(backend: Backend) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let officer = an_officer(&t, 4401).await;
    let code = t.invite("TTQ-01", Role::Member, 10, None).await;
    let users: Vec<String> = (1..=6).map(|i| format!("66000000000000{i:02}")).collect();
    for u in &users {
        t.join_oa(u, code.as_str()).await;
    }
    let refreshes = t.oa.refresh_calls();
    let (first_access, _) = t.stored_pair().await;
    // Zalo lets the access token expire after three more messages.
    t.oa.expire_access_after(3);
    broadcast(&t, &officer, "Nhắc: khám sức khỏe định kỳ sáng thứ Hai").await;

    for u in &users {
        let got = t.oa.sent_to(u);
        assert_eq!(
            got.iter()
                .filter(|m| m.text.contains("khám sức khỏe"))
                .count(),
            1,
            "{u}: {got:?}"
        );
    }
    // One refresh in the middle; the refused sends were the token's, retried once.
    assert_eq!(t.oa.refresh_calls(), refreshes + 1);
    let refused = t.oa.refused();
    assert!(refused.iter().all(|(_, code)| *code == -216), "{refused:?}");
    assert!(!refused.is_empty());
    // The stored pair is the one Zalo holds now.
    let (access, refresh) = t.stored_pair().await;
    assert_ne!(access, first_access);
    assert!(t.oa.access_valid(&access));
    assert_eq!(t.oa.live_refresh_tokens(), vec![refresh]);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE channel = 'zalo_oa' AND status <> 'sent'")
            .await,
        0
    );
    assert!(
        t.oa.bad_refreshes().is_empty(),
        "{:?}",
        t.oa.bad_refreshes()
    );
    t.finish().await;
}

async fn a_refresh_whose_answer_is_lost_leaves_a_consistent_pair(backend: Backend) {
    let Some(mut t) = OaApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 1, None).await;
    let minh = "5500000000000001";
    t.join_oa(minh, code.as_str()).await;
    let before = t.stored_pair().await;

    // Zalo spends the refresh token and makes a new pair, but its answer is lost (the
    // bot sees a 500: as if it had crashed before it could write the answer down).
    t.oa.lose_refresh_answers(1);
    t.oa.advance(26 * HOUR_MS); // the access token is past its 25 hours on Zalo's clock
    let status =
        t.oa.deliver(
            &t.webhook(),
            &t.oa.text_event(minh, "/help", &t.oa.msg_id()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The answer to /help waits; it does not fail.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while t.oa.refresh_calls() < 3 {
        assert!(tokio::time::Instant::now() < deadline, "no refresh tried");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The stored pair is still the whole old pair: never a new access token with an old
    // refresh token, never half written.
    assert_eq!(t.stored_pair().await, before);
    // Zalo's "spent" answer is written down once the bot has it (the fake counts the
    // call a moment before).
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let failure: Option<String> =
            sqlx::query("SELECT failure FROM zalo_oa_tokens WHERE id = 1")
                .fetch_one(t.store.pool())
                .await
                .expect("row")
                .get("failure");
        if failure.as_deref().is_some_and(|f| f.contains("-14014")) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "Zalo said the token was spent: {failure:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(t.stored_pair().await, before);
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    assert!(
        t.count(
            "SELECT COUNT(*) FROM outbox WHERE channel = 'zalo_oa' AND status IN ('pending', 'sending')"
        )
            .await
            >= 1
    );

    // The operator authorizes again and sets the new refresh token: the bot takes it
    // at start, refreshes once and the waiting answer goes out.
    let fresh = t.oa.authorize();
    let config = t.oa.config(&fresh);
    t.t.restart(|cfg| {
        cfg.listen = Some("127.0.0.1:0".parse().expect("addr"));
        cfg.zalo_oa = Some(config);
    })
    .await;
    t.wait_outbox_empty().await;
    assert!(oatexts(&t.oa.sent_to(minh)).contains("/baotin"));
    let (access, refresh) = t.stored_pair().await;
    assert!(t.oa.access_valid(&access));
    assert!(t.oa.live_refresh_tokens().contains(&refresh));
    // Restarting with the same token again keeps the rotated pair.
    let config = t.oa.config(&fresh);
    t.t.restart(|cfg| {
        cfg.listen = Some("127.0.0.1:0".parse().expect("addr"));
        cfg.zalo_oa = Some(config);
    })
    .await;
    assert_eq!(t.stored_pair().await, (access, refresh));
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    t.finish().await;
}

async fn a_crash_in_the_middle_of_a_refresh_keeps_the_old_pair_working(backend: Backend) {
    let Some(mut t) = OaApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 1, None).await;
    let minh = "5500000000000002";
    t.join_oa(minh, code.as_str()).await;
    let before = t.stored_pair().await;
    let refreshes = t.oa.refresh_calls();

    // The access token has ten minutes left: the next send refreshes first. Zalo spends
    // the refresh token, and the bot is killed before the answer comes.
    t.oa.hang_refresh_answers(true);
    sqlx::query("UPDATE zalo_oa_tokens SET access_expires_at = $1")
        .bind(congdoan_bot::core::time::now_ms() + 10 * 60_000)
        .execute(t.store.pool())
        .await
        .expect("due");
    let event = t.oa.text_event(minh, "/help", &t.oa.msg_id());
    assert_eq!(t.oa.deliver(&t.webhook(), &event).await, StatusCode::OK);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while t.oa.refresh_calls() == refreshes {
        assert!(tokio::time::Instant::now() < deadline, "no refresh tried");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    t.t.kill().await;
    // Nothing half written: the stored pair is the old one, whole.
    assert_eq!(t.stored_pair().await, before);
    assert!(!oatexts(&t.oa.sent_to(minh)).contains("/baotin"));

    // Back up: the stored refresh token is spent (Zalo says so, the bot records it),
    // but the old access token still works until it expires, so the answer goes out.
    t.oa.hang_refresh_answers(false);
    t.t.restart(|_| {}).await;
    t.wait_outbox_empty().await;
    assert!(oatexts(&t.oa.sent_to(minh)).contains("/baotin"));
    assert_eq!(t.stored_pair().await, before);
    let failure: Option<String> = sqlx::query("SELECT failure FROM zalo_oa_tokens WHERE id = 1")
        .fetch_one(t.store.pool())
        .await
        .expect("row")
        .get("failure");
    assert!(
        failure.is_some_and(|f| f.contains("-14014")),
        "spent, and said so"
    );
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    t.finish().await;
}

async fn badly_signed_stale_replayed_or_malformed_webhooks_are_refused(backend: Backend) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let hook = t.webhook();
    let code = t.invite("TTQ-01", Role::Member, 1, None).await;
    let user = "4400000000000001";
    let inbox = || t.count("SELECT COUNT(*) FROM inbox WHERE channel = 'zalo_oa'");

    let event = t.oa.text_event(user, code.as_str(), &t.oa.msg_id());
    let body = event.to_string();
    // No signature, a wrong one, one over another body, one with another secret.
    assert_eq!(
        t.oa.post_raw(&hook, &body, None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.oa.post_raw(&hook, &body, Some("mac=00")).await,
        StatusCode::UNAUTHORIZED
    );
    let other = t.oa.text_event(user, "khác", &t.oa.msg_id()).to_string();
    assert_eq!(
        t.oa.post_raw(&hook, &body, Some(&FakeOa::mac(&other)))
            .await,
        StatusCode::UNAUTHORIZED
    );
    let ts = event["timestamp"].as_str().expect("ts");
    let forged = congdoan_bot::channels::zalo_oa::signature(
        common::fake_zalo_oa::OA_APP_ID,
        body.as_bytes(),
        ts,
        "not-the-oa-secret",
    );
    assert_eq!(
        t.oa.post_raw(&hook, &body, Some(&format!("mac={forged}")))
            .await,
        StatusCode::UNAUTHORIZED
    );
    // Stale (10 minutes old), and someone else's app, both correctly signed.
    let mut stale = event.clone();
    stale["timestamp"] = json!((congdoan_bot::core::time::now_ms() - 10 * 60_000).to_string());
    let stale = stale.to_string();
    assert_eq!(
        t.oa.post_raw(&hook, &stale, Some(&FakeOa::mac(&stale)))
            .await,
        StatusCode::FORBIDDEN
    );
    let mut foreign = event.clone();
    foreign["app_id"] = json!("1111111111");
    let foreign = foreign.to_string();
    assert_eq!(
        t.oa.post_raw(&hook, &foreign, Some(&FakeOa::mac(&foreign)))
            .await,
        StatusCode::FORBIDDEN
    );
    // Malformed but signed: not JSON, no timestamp, no sender, a huge body.
    let no_ts = json!({"app_id": common::fake_zalo_oa::OA_APP_ID, "event_name": "user_send_text"})
        .to_string();
    assert_eq!(
        t.oa.post_raw(&hook, &no_ts, Some(&FakeOa::mac(&no_ts)))
            .await,
        StatusCode::BAD_REQUEST
    );
    let mut no_sender = event.clone();
    no_sender["sender"] = json!(null);
    let no_sender = no_sender.to_string();
    assert_eq!(
        t.oa.post_raw(&hook, &no_sender, Some(&FakeOa::mac(&no_sender)))
            .await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        t.oa.post_raw(&hook, "{not json", Some("mac=ab")).await,
        StatusCode::BAD_REQUEST
    );
    let huge = format!(
        "{{\"timestamp\":\"{}\",\"pad\":\"{}\"}}",
        congdoan_bot::core::time::now_ms(),
        "x".repeat(100_000)
    );
    assert_eq!(
        t.oa.post_raw(&hook, &huge, Some(&FakeOa::mac(&huge))).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(inbox().await, 0, "nothing stored");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM zalo_oa_users").await,
        0,
        "no window opened"
    );

    // The real one, then the same call replayed: stored and answered once.
    let welcome = oatexts(&t.send(user, &event).await);
    assert!(welcome.contains("1. Đồng ý"), "{welcome}");
    let mac = FakeOa::mac(&body);
    assert_eq!(
        t.oa.post_raw(&hook, &body, Some(&mac)).await,
        StatusCode::OK
    );
    assert_eq!(
        t.oa.post_raw(&hook, &body, Some(&mac)).await,
        StatusCode::OK
    );
    t.wait_outbox_empty().await;
    assert_eq!(inbox().await, 1);
    let sent = t.oa.sent_to(user);
    assert_eq!(
        sent.iter()
            .filter(|m| m.text.contains("Bot sẽ lưu"))
            .count(),
        1,
        "{sent:?}"
    );
    // The OA route is not open when the OA is off.
    let plain = common::TestApp::spawn_with(backend, |cfg| {
        cfg.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    .expect("app");
    let addr = plain.app.as_ref().and_then(|a| a.http_addr).expect("addr");
    assert_eq!(
        t.oa.post_raw(&format!("http://{addr}/webhook/zalo-oa"), &body, Some(&mac))
            .await,
        StatusCode::NOT_FOUND
    );
    plain.finish().await;
    t.finish().await;
}

/// The OA is webhook-only: without CONGDOAN_LISTEN the bot refuses to start.
#[tokio::test]
async fn the_oa_needs_a_listen_address() {
    let dir = tempfile::tempdir().expect("dir");
    let oa = FakeOa::start().await;
    let mut cfg = congdoan_bot::app::ServeConfig::new(&format!(
        "sqlite://{}",
        dir.path().join("oa.db").display()
    ));
    cfg.zalo_oa = Some(oa.config(&oa.authorize()));
    let refused = congdoan_bot::app::start(cfg).await.err().expect("refused");
    assert!(
        format!("{refused:#}").contains("CONGDOAN_LISTEN"),
        "{refused:#}"
    );
}

async fn unfollowing_makes_a_member_unreachable_here_until_they_follow_again(backend: Backend) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let officer = an_officer(&t, 4601).await;
    let hoa = "3300000000000001";
    t.join_oa(
        hoa,
        t.invite("TTQ-01", Role::Member, 1, None).await.as_str(),
    )
    .await;
    let nam = TgUser::new(4602, "Đoàn viên Nam");
    t.t.join(&nam, &t.invite("TTQ-02", Role::Member, 1, None).await)
        .await;
    // Hoa unfollows the OA: a broadcast does not try her, nobody fails.
    assert_eq!(
        t.oa.deliver(&t.webhook(), &t.oa.follow_event(hoa, false))
            .await,
        StatusCode::OK
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE unreachable_at IS NOT NULL")
            .await,
        1
    );
    broadcast(&t, &officer, "Tin thứ nhất").await;
    assert!(texts(&t.fake.sent_to(nam.id)).contains("Tin thứ nhất"));
    assert!(!oatexts(&t.oa.sent_to(hoa)).contains("Tin thứ nhất"));
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    // She follows again: reachable, and the next one reaches her.
    let unfollow = t.oa.follow_event(hoa, false).to_string();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(
        t.oa.deliver(&t.webhook(), &t.oa.follow_event(hoa, true))
            .await,
        StatusCode::OK
    );
    // The old unfollow replayed (inside the five minutes, well signed) undoes nothing.
    assert_eq!(
        t.oa.post_raw(&t.webhook(), &unfollow, Some(&FakeOa::mac(&unfollow)))
            .await,
        StatusCode::OK
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE unreachable_at IS NOT NULL")
            .await,
        0
    );
    broadcast(&t, &officer, "Tin thứ hai").await;
    assert!(oatexts(&t.oa.sent_to(hoa)).contains("Tin thứ hai"));

    // If Zalo says she does not follow (-213) though the bot thought she did: the
    // message is marked unreachable, not retried, and she is unreachable here.
    t.oa.deliver(&t.webhook(), &t.oa.follow_event(hoa, false))
        .await;
    sqlx::query("UPDATE zalo_oa_users SET followed = 1")
        .execute(t.store.pool())
        .await
        .expect("forget");
    sqlx::query("UPDATE members SET unreachable_at = NULL")
        .execute(t.store.pool())
        .await
        .expect("forget");
    broadcast(&t, &officer, "Tin thứ ba").await;
    assert_eq!(t.oa.refused(), vec![(hoa.to_string(), -213)]);
    assert_eq!(outbox_status_count(&t, "unreachable").await, 1);
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    t.finish().await;
}

async fn paid_sending_reaches_members_outside_48_hours_up_to_the_monthly_cap(backend: Backend) {
    let Some(t) = OaApp::spawn_with(backend, |cfg| {
        if let Some(oa) = cfg.zalo_oa.as_mut() {
            oa.paid = true;
            oa.paid_monthly_cap = 1;
        }
    })
    .await
    else {
        return;
    };
    t.oa.set_cloud_account(true);
    let officer = an_officer(&t, 4701).await;
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let (an, binh, chi) = ("2200000000000001", "2200000000000002", "2200000000000003");
    for u in [an, binh, chi] {
        t.join_oa(u, code.as_str()).await;
    }
    t.age(an, 60).await;
    t.age(binh, 70).await;
    t.age(chi, 9 * 24).await;
    let id = broadcast(&t, &officer, "Đăng ký tham quan dịp 2/9").await;
    // One paid message (the cap), the rest wait; after 7 days nothing is paid for.
    let paid: Vec<_> = t.oa.sent().into_iter().filter(|m| m.paid).collect();
    assert_eq!(paid.len(), 1, "{paid:?}");
    assert!(paid[0].user_id == an || paid[0].user_id == binh, "{paid:?}");
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    let waiting = t
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'outside_window'")
        .await;
    assert_eq!(waiting, 2);
    let month = congdoan_bot::channels::zalo_oa::month_of(congdoan_bot::core::time::now_ms());
    assert_eq!(t.store.zalo_oa_paid_sent(&month).await.expect("paid"), 1);
    let report = texts(&t.fake.sent_to(officer.id));
    assert!(report.contains("Ngoài 48 giờ (Zalo OA): 2"), "{report}");
    let _ = id;

    // Chi deletes her data: the goodbye reaches her (her window is kept for it), held
    // messages go, and a week later the OA forgets when she last wrote.
    t.say(chi, "/xoadulieu").await;
    let bye = oatexts(&t.say(chi, "1").await);
    assert!(!bye.is_empty() && !bye.contains("tin mới"), "{bye}");
    t.age(chi, 8 * 24).await;
    let now = congdoan_bot::core::time::now_ms();
    assert_eq!(t.store.zalo_oa_sweep(now).await.expect("sweep"), 1);
    assert_eq!(
        t.count_for("SELECT COUNT(*) FROM zalo_oa_users WHERE user_id = $1", chi)
            .await,
        0
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND status = 'outside_window'",
            chi
        )
        .await,
        0
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM zalo_oa_users").await, 2);
    t.finish().await;
}

/// Wait (10 s at most) until `sql` with `arg` gives `want`.
async fn wait_for_text(t: &OaApp, sql: &'static str, arg: &str, want: &str) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got: Option<String> = sqlx::query(sql)
            .bind(arg.to_string())
            .fetch_optional(t.store.pool())
            .await
            .expect("query")
            .and_then(|r| r.get::<Option<String>, _>(0));
        if got.as_deref() == Some(want) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{sql}: {got:?}, not {want}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

const MEMBER_NAME: &str = "SELECT m.display_name FROM members m
     JOIN identities i ON i.member_id = m.id
     WHERE i.channel = 'zalo_oa' AND i.chat_id = $1";

async fn a_newcomer_gets_the_name_of_their_oa_profile_and_a_failure_blocks_nothing(
    backend: Backend,
) {
    let Some(t) = OaApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    // Lan writes the code: the bot asks Zalo for her profile beside answering her.
    let lan = "1100000000000001";
    t.oa.set_profile(lan, "Nguyễn Thị Lan", None);
    t.join_oa(lan, code.as_str()).await;
    wait_for_text(&t, MEMBER_NAME, lan, "Nguyễn Thị Lan").await;
    wait_for_text(
        &t,
        "SELECT display_name FROM zalo_oa_users WHERE user_id = $1",
        lan,
        "Nguyễn Thị Lan",
    )
    .await;
    // Asked once, with the access token, not again when she writes more.
    t.say(lan, "/help").await;
    assert_eq!(t.oa.profile_calls(), vec![lan.to_string()]);

    // Zalo fails Hoa's profile call: she joins all the same, her name stays empty.
    let hoa = "1100000000000002";
    t.oa.set_profile(hoa, "Trần Thị Hoa", None);
    t.oa.fail_profiles(1);
    t.join_oa(hoa, code.as_str()).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while t
        .count_for(
            "SELECT COUNT(*) FROM zalo_oa_users WHERE user_id = $1 AND profile_checked_at IS NOT NULL",
            hoa,
        )
        .await
        == 0
    {
        assert!(tokio::time::Instant::now() < deadline, "profile not tried");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    wait_for_text(&t, MEMBER_NAME, hoa, "").await;
    // Writing again the same day asks nothing more.
    t.say(hoa, "/help").await;
    t.say(hoa, "/lich").await;
    let asked_hoa = |calls: Vec<String>| calls.iter().filter(|u| u.as_str() == hoa).count();
    assert_eq!(asked_hoa(t.oa.profile_calls()), 1);
    // A day later, when she writes, it is asked for again, and her name arrives.
    sqlx::query(
        "UPDATE zalo_oa_users SET profile_checked_at = profile_checked_at - $1 WHERE user_id = $2",
    )
    .bind(25 * HOUR_MS)
    .bind(hoa.to_string())
    .execute(t.store.pool())
    .await
    .expect("a day passes");
    t.say(hoa, "/help").await;
    wait_for_text(&t, MEMBER_NAME, hoa, "Trần Thị Hoa").await;
    assert_eq!(asked_hoa(t.oa.profile_calls()), 2);

    // Following the OA (before writing) asks for the profile too; someone unknown to
    // Zalo (-213) keeps an empty name and nothing fails.
    let khanh = "1100000000000003";
    t.oa.set_profile(khanh, "Lê Văn Khánh", Some("0987 654 321"));
    assert_eq!(
        t.oa.deliver(&t.webhook(), &t.oa.follow_event(khanh, true))
            .await,
        StatusCode::OK
    );
    wait_for_text(
        &t,
        "SELECT phone FROM zalo_oa_users WHERE user_id = $1",
        khanh,
        "84987654321",
    )
    .await;
    let stranger = "1100000000000004";
    t.say(stranger, "xin chào").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !t.oa.profile_calls().iter().any(|u| u == stranger) {
        assert!(tokio::time::Instant::now() < deadline, "not asked");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    // Deleting her data forgets the profile too.
    t.say(lan, "/xoadulieu").await;
    t.say(lan, "1").await;
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM zalo_oa_users WHERE user_id = $1 AND display_name IS NOT NULL",
            lan
        )
        .await,
        0
    );
    t.finish().await;
}

/// An officer opens a commitment on Telegram (the store story of the first test).
async fn open_commitment(t: &OaApp, officer: &TgUser) -> i64 {
    t.t.say(officer, "/camket moi").await;
    t.t.say(
        officer,
        "Cam kết an toàn về an ninh, trật tự\n1. Chấp hành pháp luật.",
    )
    .await;
    t.t.say(officer, "1").await;
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    t.t.say(officer, &format!("31/12/{next_year}")).await;
    t.t.say(officer, "4").await;
    assert!(texts(&t.t.say(officer, "1").await).contains("Đã gửi cam kết"));
    t.wait_outbox_empty().await;
    t.count("SELECT COALESCE(MAX(id), 0) FROM commitment_campaigns")
        .await
}

async fn charts_reach_an_oa_officer_by_a_url_only_its_token_opens(backend: Backend) {
    let Some(t) = OaApp::spawn_with(backend, |cfg| {
        if let Some(oa) = cfg.zalo_oa.as_mut() {
            // The test's stand-in for the public https URL Zalo fetches from.
            oa.images_over_http = true;
        }
    })
    .await
    else {
        return;
    };
    let officer = an_officer(&t, 4801).await;
    let thu = "9900000000000001";
    let link = code_in(&texts(&t.t.say(&officer, "/lienket").await));
    assert!(oatexts(&t.say(thu, &link).await).contains("Đã liên kết"));
    open_commitment(&t, &officer).await;

    // On the OA, /tonghop brings the chart as an image by URL.
    let got = t.say(thu, "/tonghop").await;
    assert_plain(&got);
    let images: Vec<_> = got.iter().filter_map(|m| m.image.clone()).collect();
    assert_eq!(images.len(), 1, "{got:?}");
    let url = images[0].clone();
    assert!(url.contains("/oa-image/") && url.ends_with(".png"), "{url}");
    let http = reqwest::Client::new();
    let r = http.get(&url).send().await.expect("fetch");
    assert_eq!(r.status().as_u16(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.contains_key("content-security-policy"));
    assert_eq!(h["referrer-policy"], "no-referrer");
    let png = r.bytes().await.expect("bytes");
    assert!(png.starts_with(b"\x89PNG"), "a png");
    assert_eq!(t.count("SELECT COUNT(*) FROM zalo_oa_images").await, 1);

    // Another token, a malformed one, the right one as .jpg: 404, nothing leaks.
    let (prefix, file) = url.rsplit_once('/').expect("path");
    let token = file.trim_end_matches(".png");
    let mut other: Vec<char> = token.chars().collect();
    other[0] = if other[0] == 'a' { 'b' } else { 'a' };
    let other: String = other.into_iter().collect();
    for bad in [
        format!("{prefix}/{other}.png"),
        format!("{prefix}/{token}.jpg"),
        format!("{prefix}/{token}"),
        format!("{prefix}/..%2f{token}.png"),
        format!("{prefix}/{}.png", &token[..32]),
    ] {
        let r = http.get(&bad).send().await.expect("fetch");
        assert_eq!(r.status().as_u16(), 404, "{bad}");
        let body = r.text().await.expect("body");
        assert!(!body.contains("PNG"), "{bad}");
    }
    // Expired: 404, and the sweep drops it.
    sqlx::query("UPDATE zalo_oa_images SET expires_at = $1")
        .bind(congdoan_bot::core::time::now_ms() - 1)
        .execute(t.store.pool())
        .await
        .expect("expire");
    assert_eq!(
        http.get(&url)
            .send()
            .await
            .expect("fetch")
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        t.store
            .zalo_oa_sweep_images(congdoan_bot::core::time::now_ms())
            .await
            .expect("sweep"),
        1
    );

    // Without a public URL the OA gets the roll-up's text, no image, no failure.
    t.store
        .set_setting(congdoan_bot::channels::zalo_oa::IMAGE_BASE_SETTING, "")
        .await
        .expect("no public url");
    let got = t.say(thu, "/tonghop").await;
    assert!(got.iter().all(|m| m.image.is_none()), "{got:?}");
    assert!(oatexts(&got).contains("Tổ tự quản nhà trọ số 1"), "{got:?}");
    assert_eq!(t.count("SELECT COUNT(*) FROM zalo_oa_images").await, 0);
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    t.finish().await;
}

async fn a_commitment_reminder_outside_48_hours_goes_as_zns_only_when_configured(backend: Backend) {
    use congdoan_bot::channels::zalo_oa::{ZnsPhone, ZnsTemplateId};
    let Some(t) = OaApp::spawn_with(backend, |cfg| {
        if let Some(oa) = cfg.zalo_oa.as_mut() {
            oa.zns_reminder_template = Some(ZnsTemplateId::parse("248391").expect("id"));
        }
    })
    .await
    else {
        return;
    };
    let officer = an_officer(&t, 4901).await;
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let (lan, binh) = ("8800000000000001", "8800000000000002");
    t.oa.set_profile(lan, "Nguyễn Thị Lan", None);
    for u in [lan, binh] {
        t.join_oa(u, code.as_str()).await;
    }
    wait_for_text(&t, MEMBER_NAME, lan, "Nguyễn Thị Lan").await;
    // Lan's phone is set through the store (members have no phone of their own; the
    // profile call fills it when a user shared it with the OA). Binh has none.
    assert!(
        t.store
            .zalo_oa_set_phone(lan, Some(&ZnsPhone::parse("0912 345 678").expect("phone")))
            .await
            .expect("phone")
    );
    // Neither has written for two and a half days when the commitment opens: its
    // announcement is not a reminder, it waits.
    t.age(lan, 60).await;
    t.age(binh, 60).await;
    let id = open_commitment(&t, &officer).await;
    assert!(t.oa.zns().is_empty(), "{:?}", t.oa.zns());
    let waiting = |user: &'static str| {
        let pool = t.store.pool().clone();
        async move {
            sqlx::query(
                "SELECT COUNT(*) AS n FROM outbox WHERE chat_id = $1 AND status = 'outside_window'",
            )
            .bind(user)
            .fetch_one(&pool)
            .await
            .expect("count")
            .get::<i64, _>("n")
        }
    };
    assert_eq!((waiting(lan).await, waiting(binh).await), (1, 1));
    // The reminder.
    let now = congdoan_bot::core::time::now_ms();
    let queued = t
        .store
        .send_commitment_reminder_once(&congdoan_bot::i18n::I18n::new(), id, "2099-01-01", now)
        .await
        .expect("reminder");
    assert!(queued.is_some_and(|n| n >= 2), "{queued:?}");
    t.wait_outbox_empty().await;

    // Lan's went as the ZNS template to her phone; nothing tried as "tin tư vấn".
    let zns = t.oa.zns();
    assert_eq!(zns.len(), 1, "{zns:?}");
    let z = &zns[0];
    assert_eq!(z["phone"], "84912345678");
    assert_eq!(z["template_id"], "248391");
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    assert_eq!(z["template_data"]["deadline"], format!("31/12/{next_year}"));
    assert_eq!(z["template_data"]["name"], "Nguyễn Thị Lan");
    assert!(
        z["template_data"]["title"]
            .as_str()
            .is_some_and(|s| s.contains("Cam kết an toàn")),
        "{z}"
    );
    assert!(
        z["tracking_id"]
            .as_str()
            .is_some_and(|s| s.starts_with(&format!("cm{id}-")))
    );
    assert!(t.oa.refused().is_empty(), "{:?}", t.oa.refused());
    assert!(
        !oatexts(&t.oa.sent_to(lan)).contains("Nhắc"),
        "no cs message"
    );
    // Binh, with no phone, waits as before; Lan's reminder is sent.
    assert_eq!((waiting(lan).await, waiting(binh).await), (1, 2));
    // A broadcast outside the window is not a reminder: it waits, no ZNS.
    broadcast(&t, &officer, "Họp tổ tối thứ Sáu").await;
    assert_eq!(t.oa.zns().len(), 1);
    assert_eq!(waiting(lan).await, 2);
    assert_eq!(outbox_status_count(&t, "failed").await, 0);
    // The phone kept for her is in /dulieu.
    let mine = oatexts(&t.say(lan, "/dulieu").await);
    assert!(mine.contains("84912345678"), "{mine}");
    t.finish().await;
}
