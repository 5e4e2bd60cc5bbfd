//! Commitments signed by chat: signing, re-signing after a text change, forged data,
//! reminders on an injected clock, and roll-ups checked against a recount.

mod common;

use chrono::Duration;
use common::{Backend, TestApp, TgUser, cast, texts};
use congdoan_bot::core::calendar::{local_date, local_time_ms};
use congdoan_bot::core::conversation::text_hash;
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;
use sqlx::Row;

on_both_backends!(
    members_sign_once_and_again_after_a_change,
    forged_and_out_of_scope_signatures_are_refused,
    reminders_follow_the_schedule_by_day_only,
    rollup_agrees_with_a_recount,
);

const TEXT: &str = "Cam kết an toàn về an ninh, trật tự\n\
1. Chấp hành pháp luật, nội quy khu nhà trọ.\n\
2. Không tham gia tệ nạn xã hội <ma tuý> & cờ bạc.";
const TEXT2: &str = "Cam kết an toàn về an ninh, trật tự (sửa)\n\
1. Chấp hành pháp luật.\n2. Báo ngay cho tổ trưởng khi thấy người lạ.";

fn next_year() -> i32 {
    use chrono::Datelike;
    local_date(now_ms()).year() + 1
}

/// The officer opens a campaign through the whole chat flow; returns its id.
async fn open_campaign(t: &TestApp, officer: &TgUser, who: &str, remind: &str) -> i64 {
    let ask = texts(&t.say(officer, "/camket moi").await);
    assert!(ask.contains("Gửi nội dung cam kết"), "{ask}");
    let who_q = t.say(officer, TEXT).await;
    let data: Vec<&str> = who_q[0].buttons.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(data, ["cm:who:member", "cm:who:leader", "cm:who:everyone"]);
    let deadline = texts(&t.press(officer, who).await);
    assert!(deadline.contains("Hạn ký"), "{deadline}");
    let bad = texts(&t.say(officer, "31/2/2020").await);
    assert!(bad.contains("Hạn ký"), "{bad}");
    let past = texts(&t.say(officer, "1/1/2020").await);
    assert!(past.contains("phải sau hôm nay"), "{past}");
    let remind_q = t.say(officer, &format!("31/12/{}", next_year())).await;
    assert!(
        texts(&remind_q).contains("Nhắc người chưa ký"),
        "{remind_q:?}"
    );
    let confirm = texts(&t.press(officer, remind).await);
    assert!(
        confirm.contains("&lt;ma tuý&gt; &amp; cờ bạc"),
        "escaped: {confirm}"
    );
    let sent = texts(&t.press(officer, "cm:ok").await);
    assert!(sent.contains("Đã gửi cam kết"), "{sent}");
    t.wait_outbox_empty().await;
    sqlx::query("SELECT MAX(id) AS id FROM commitment_campaigns")
        .fetch_one(t.store.pool())
        .await
        .expect("db")
        .try_get("id")
        .expect("id")
}

fn sign_data(sent: &[common::Sent]) -> Option<String> {
    sent.iter()
        .flat_map(|m| m.buttons.iter())
        .map(|(_, d)| d.clone())
        .find(|d| d.starts_with("cm:sign:"))
}

async fn members_sign_once_and_again_after_a_change(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 20_000).await;
    let id = open_campaign(&t, &c.officer, "cm:who:member", "cm:rem:1").await;

    // Members in scope got it with the button; leaders and the other branch did not.
    let got = t.fake.sent_to(c.worker.id);
    let data = sign_data(&got).expect("a sign button");
    assert_eq!(data, format!("cm:sign:{id}:1"));
    assert!(texts(&got).contains("Cam kết mới từ Công đoàn cơ sở Công ty May &lt;ABC&gt;"));
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("New commitment from"));
    assert!(sign_data(&t.fake.sent_to(c.leader.id)).is_none());
    assert!(sign_data(&t.fake.sent_to(c.outsider.id)).is_none());

    let signed = texts(&t.press(&c.worker, &data).await);
    assert!(signed.contains("Đã ghi nhận cam kết"), "{signed}");
    let hash = text_hash(TEXT);
    assert!(signed.contains(&hash[..8]), "the receipt: {signed}");
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM commitment_signatures WHERE version = 1 AND channel = 'telegram' AND text_hash = $1",
            &hash
        )
        .await,
        1
    );
    // Twice: says so, changes nothing.
    let again = texts(&t.press(&c.worker, &data).await);
    assert!(again.contains("Bạn đã ký bản số 1"), "{again}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        1
    );
    // Typed, as on Zalo: "tôi cam kết" with no button.
    let typed = texts(&t.say(&c.direct, "Tôi cam kết").await);
    assert!(typed.contains("Đã ghi nhận cam kết"), "{typed}");
    let typed_again = texts(&t.say(&c.direct, "1").await);
    assert!(typed_again.contains("Bot chưa hiểu"), "{typed_again}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        2
    );
    let mine = texts(&t.say(&c.worker, "/camket").await);
    assert!(mine.contains("Cam kết bạn đã ký"), "{mine}");

    // The officer changes the text: a new version, everyone must sign again.
    let menu = t.say(&c.officer, "/camket sua").await;
    let data_menu: Vec<String> = menu[0].buttons.iter().map(|(_, d)| d.clone()).collect();
    assert_eq!(
        data_menu,
        [
            "cm:new".to_string(),
            format!("cm:edit:{id}"),
            format!("cm:close:{id}")
        ]
    );
    let edit = texts(&t.say(&c.officer, "2").await);
    assert!(edit.contains("bản số 1"), "{edit}");
    let confirm = texts(&t.say(&c.officer, TEXT2).await);
    assert!(confirm.contains("Nội dung mới"), "{confirm}");
    let saved = texts(&t.say(&c.officer, "1").await);
    assert!(saved.contains("Đã lưu bản mới"), "{saved}");
    t.wait_outbox_empty().await;
    assert_eq!(t.count("SELECT COUNT(*) FROM commitment_versions").await, 2);
    let got = t.fake.sent_to(c.worker.id);
    assert!(texts(&got).contains("đã sửa nội dung cam kết"), "{got:?}");
    let old = texts(&t.press(&c.worker, &data).await);
    assert!(old.contains("đã được sửa"), "{old}");
    let v2 = format!("cm:sign:{id}:2");
    let pending = texts(&t.say(&c.worker, "/camket").await);
    assert!(pending.contains("Bạn cần ký lại"), "{pending}");
    assert!(pending.contains("Báo ngay cho tổ trưởng"), "{pending}");
    let signed2 = texts(&t.press(&c.worker, &v2).await);
    assert!(signed2.contains("bản số 2"), "{signed2}");
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM commitment_signatures WHERE version = 2 AND text_hash = $1",
            &text_hash(TEXT2)
        )
        .await,
        1
    );
    // Version 1 signatures stay as they were (the record is immutable).
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures WHERE version = 1")
            .await,
        2
    );
    t.finish().await;
}

async fn forged_and_out_of_scope_signatures_are_refused(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 20_000).await;
    let id = open_campaign(&t, &c.officer, "cm:who:member", "cm:rem:0").await;
    let before = t.count("SELECT COUNT(*) FROM commitment_signatures").await;
    for (who, data) in [
        (&c.outsider, format!("cm:sign:{id}:1")),
        (&c.leader, format!("cm:sign:{id}:1")),
        (&c.worker, format!("cm:sign:{}:1", id + 100)),
        (&c.worker, "cm:sign:abc:1".to_string()),
        (&c.worker, format!("cm:sign:{id}:x")),
    ] {
        let r = texts(&t.press(who, &data).await);
        assert!(r.contains("không dành cho bạn"), "{data}: {r}");
    }
    // A version that is not the current one: nothing signed, the real text shown.
    let wrong = texts(&t.press(&c.worker, &format!("cm:sign:{id}:2")).await);
    assert!(wrong.contains("đã được sửa"), "{wrong}");
    // A member can't edit or close.
    let edit = texts(&t.press(&c.worker, &format!("cm:close:{id}")).await);
    assert!(edit.contains("chỉ dành cho cán bộ"), "{edit}");
    // An officer of another branch can't close it either.
    let other = TgUser::new(20_099, "Cán bộ Hà Nội");
    t.join(&other, &t.invite("HN", Role::Officer, 1, None).await)
        .await;
    let close = texts(&t.press(&other, &format!("cm:close:{id}")).await);
    assert!(close.contains("Không tìm thấy cam kết"), "{close}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_campaigns WHERE closed_at IS NULL")
            .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        before
    );
    // Closed: no more signing.
    let closed = texts(&t.press(&c.officer, &format!("cm:close:{id}")).await);
    assert!(closed.contains("Đã đóng cam kết"), "{closed}");
    let late = texts(&t.press(&c.worker, &format!("cm:sign:{id}:1")).await);
    assert!(late.contains("không dành cho bạn"), "{late}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        0
    );
    t.finish().await;
}

async fn reminders_follow_the_schedule_by_day_only(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 20_000).await;
    let id = open_campaign(&t, &c.officer, "cm:who:member", "cm:rem:1").await;
    let data = format!("cm:sign:{id}:1");
    t.press(&c.worker, &data).await;
    t.digests_off().await;
    let i18n = I18n::new();
    let today = local_date(now_ms());
    let at = |days: i64, hour: u32| local_time_ms(today + Duration::days(days), hour).expect("t");
    let tick = |ms: i64| {
        let store = t.store.clone();
        let i18n = &i18n;
        async move { scheduler::tick(&store, i18n, ms).await.expect("tick") }
    };
    // Unsigned in scope: english (TTQ-02) and direct (CDCS-ABC). Not the leader, not
    // the officer, not the other branch, not the worker who signed.
    assert_eq!(tick(at(0, 15)).await, 0, "not on the opening day");
    assert_eq!(tick(at(1, 7)).await, 0, "not before 8:00");
    assert_eq!(tick(at(1, 9)).await, 2);
    assert_eq!(tick(at(1, 15)).await, 0, "once a day");
    assert_eq!(tick(at(1, 21)).await, 0, "never at night");
    assert_eq!(tick(at(2, 22)).await, 0, "never at night");
    t.wait_outbox_empty().await;
    let got = texts(&t.fake.sent_to(c.direct.id));
    assert!(got.contains("Bạn chưa ký cam kết"), "{got}");
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("You have not signed"));
    assert!(!texts(&t.fake.sent_to(c.worker.id)).contains("Bạn chưa ký cam kết"));
    assert!(!texts(&t.fake.sent_to(c.leader.id)).contains("Bạn chưa ký cam kết"));
    // One signs: only the other is reminded.
    t.say(&c.direct, "1").await;
    assert_eq!(tick(at(3, 8)).await, 1);
    // Closed: reminders stop.
    t.press(&c.officer, &format!("cm:close:{id}")).await;
    assert_eq!(tick(at(4, 10)).await, 0);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_reminders").await,
        2
    );
    t.finish().await;
}

/// Members in scope and signatures of the current version, recounted row by row.
async fn recount(t: &TestApp, campaign: i64, code: &str) -> (i64, i64) {
    let r = sqlx::query(
        "SELECT COUNT(*) AS scope,
                CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM commitment_signatures s
                     WHERE s.campaign_id = c.id AND s.member_id = m.id AND s.version = c.current_version)
                    THEN 1 ELSE 0 END) AS BIGINT) AS signed
         FROM members m, units u, units root, commitment_campaigns c
         WHERE m.unit_id = u.id AND root.code = $1 AND c.id = $2
           AND substr(u.path, 1, length(root.path)) = root.path",
    )
    .bind(code.to_string())
    .bind(campaign)
    .fetch_one(t.store.pool())
    .await
    .expect("recount");
    let scope: i64 = r.try_get("scope").expect("scope");
    let signed: i64 = r.try_get("signed").expect("signed");
    (signed, scope)
}

async fn rollup_agrees_with_a_recount(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 20_000).await;
    let province = TgUser::new(20_100, "Cán bộ Tỉnh");
    t.join(&province, &t.invite("HCM", Role::Officer, 1, None).await)
        .await;
    let kcx = TgUser::new(20_101, "Đoàn viên KCX");
    t.join(&kcx, &t.invite("KCX-TT", Role::Member, 1, None).await)
        .await;
    let extra = TgUser::new(20_102, "Công nhân Bình");
    t.join(&extra, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let id = open_campaign(&t, &province, "cm:who:everyone", "cm:rem:0").await;
    for u in [&c.worker, &c.leader, &kcx, &c.officer] {
        let r = texts(&t.say(u, "1").await);
        assert!(r.contains("Đã ghi nhận"), "{r}");
    }
    let outsider = texts(&t.say(&c.outsider, "1").await);
    assert!(outsider.contains("Bot chưa hiểu"), "{outsider}");

    let report = texts(&t.say(&province, "/tonghop").await);
    // Everyone in HCM: province officer, kcx, CDCS officer, direct, worker, leader,
    // extra, english = 8; signed: worker, leader, kcx, CDCS officer = 4.
    for (code, name) in [
        ("HCM", "Liên đoàn Lao động TP. Hồ Chí Minh"),
        ("KCX-TT", "Công đoàn Khu chế xuất Tân Thuận"),
    ] {
        let (signed, scope) = recount(&t, id, code).await;
        // Rounded to the nearest: 2 of 3 is 67%.
        let pct = (signed * 200 + scope) / (2 * scope);
        let line = format!("{name}: {signed}/{scope} ({pct}%)");
        assert!(report.contains(&line), "{line} in {report}");
    }
    assert_eq!(recount(&t, id, "HCM").await, (4, 8));
    assert!(
        report.contains("Chưa ký (trực tiếp tại đơn vị): Cán bộ Tỉnh"),
        "{report}"
    );

    let report = texts(&t.say(&c.officer, "/tonghop").await);
    for (code, name) in [
        (
            "CDCS-ABC",
            "Công đoàn cơ sở Công ty May &lt;ABC&gt; &amp; Co",
        ),
        ("TTQ-01", "Tổ tự quản nhà trọ số 1"),
        ("TTQ-02", "Tổ tự quản nhà trọ số 2"),
    ] {
        let (signed, scope) = recount(&t, id, code).await;
        // Rounded to the nearest: 2 of 3 is 67%.
        let pct = (signed * 200 + scope) / (2 * scope);
        let line = format!("{name}: {signed}/{scope} ({pct}%)");
        assert!(report.contains(&line), "{line} in {report}");
    }
    assert_eq!(recount(&t, id, "TTQ-01").await, (2, 3));
    assert!(
        report.contains("Chưa ký (trực tiếp tại đơn vị): Đoàn viên Nam"),
        "{report}"
    );
    assert!(!report.contains("Hà Nội"), "{report}");
    // The other branch sees nothing; a member can't ask.
    let hn = TgUser::new(20_103, "Cán bộ HN");
    t.join(&hn, &t.invite("HN", Role::Officer, 1, None).await)
        .await;
    assert!(texts(&t.say(&hn, "/tonghop").await).contains("Chưa có cam kết"));
    assert!(texts(&t.say(&c.worker, "/tonghop").await).contains("chỉ dành cho cán bộ"));
    t.finish().await;
}
