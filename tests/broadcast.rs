//! `/guitin`, played by an officer through the fake Bot API: compose, choose who gets
//! it, preview with the count, send now or later, watch the progress message being
//! edited, read the delivery report, stop it midway.

mod common;

use std::time::Duration;

use chrono::Datelike;
use common::{Backend, Sent, TestApp, TgUser, cast, texts};
use congdoan_bot::core::calendar::local_date;
use congdoan_bot::core::domain::{Role, UnitCode};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;
use sqlx::Row;

on_both_backends!(
    an_officer_broadcasts_to_the_subtree_with_progress_and_a_report,
    typed_choices_pick_a_child_unit_or_the_leaders,
    several_chosen_units_get_it_and_no_one_else,
    officers_only_reaches_the_other_officers,
    a_photo_goes_out_with_its_caption,
    a_scheduled_broadcast_starts_once_and_can_be_cancelled,
    stopping_a_running_broadcast_reports_what_was_not_sent,
    members_and_forged_buttons_cannot_broadcast,
    the_sender_keeps_the_limits_and_retries_failures,
);

fn has_button(sent: &[Sent], data: &str) -> bool {
    sent.iter()
        .any(|m| m.buttons.iter().any(|(_, d)| d == data))
}

/// Button labels, one per line (on Telegram the options are buttons, numbered).
fn labels(sent: &[Sent]) -> String {
    sent.iter()
        .flat_map(|m| m.buttons.iter().map(|(l, _)| l.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn last_broadcast(t: &TestApp) -> i64 {
    t.count("SELECT COALESCE(MAX(id), 0) FROM broadcasts").await
}

async fn broadcast_status(t: &TestApp, id: i64) -> String {
    sqlx::query("SELECT status FROM broadcasts WHERE id = $1")
        .bind(id)
        .fetch_one(t.store.pool())
        .await
        .expect("broadcast")
        .get("status")
}

/// Wait until the scheduler has sent the delivery report of broadcast `id`.
async fn wait_finished(t: &TestApp, id: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
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
            "broadcast {id} not finished"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    t.wait_outbox_empty().await;
}

async fn outbox_of(t: &TestApp, id: i64, status: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE broadcast_id = $1 AND status = $2")
        .bind(id)
        .bind(status.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("count")
        .get("n")
}

async fn an_officer_broadcasts_to_the_subtree_with_progress_and_a_report(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1000).await;
    let ask = texts(&t.say(&c.officer, "/guitin").await);
    assert!(ask.contains("Gõ nội dung tin"), "{ask}");
    let targets = t
        .say(
            &c.officer,
            "Họp tổ 19h tối nay tại nhà văn hóa <khu B> & sân",
        )
        .await;
    assert!(has_button(&targets, "bc:to:all") && has_button(&targets, "bc:to:leaders"));
    let shown = labels(&targets);
    assert!(
        shown.contains("1. Toàn bộ Công đoàn cơ sở Công ty May <ABC> & Co (4 người)"),
        "{shown}"
    );
    let preview = t.press(&c.officer, "bc:to:all").await;
    let p = texts(&preview);
    assert!(
        p.contains("&lt;khu B&gt; &amp; sân") && p.contains("Số người nhận: <b>4</b>"),
        "{p}"
    );
    assert!(has_button(&preview, "bc:send") && has_button(&preview, "bc:later"));
    assert_eq!(
        last_broadcast(&t).await,
        0,
        "nothing stored before confirming"
    );

    let started = texts(&t.press(&c.officer, "bc:send").await);
    assert!(started.contains("Bắt đầu gửi tới 4 người"), "{started}");
    let id = last_broadcast(&t).await;
    wait_finished(&t, id).await;

    for who in [&c.worker, &c.leader, &c.direct] {
        let got = texts(&t.fake.sent_to(who.id));
        assert!(
            got.contains("📣 <b>Công đoàn cơ sở Công ty May &lt;ABC&gt; &amp; Co</b>\nHọp tổ 19h"),
            "{got}"
        );
    }
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("Họp tổ 19h"));
    assert!(!texts(&t.fake.sent_to(c.outsider.id)).contains("Họp tổ"));
    assert_eq!(outbox_of(&t, id, "sent").await, 4);
    assert_eq!(broadcast_status(&t, id).await, "done");

    // The officer saw a progress message (with a stop button), edited to the end, then
    // the report.
    let officer = t.fake.sent_to(c.officer.id);
    assert!(has_button(&officer, &format!("bc:stop:{id}")));
    assert!(texts(&officer).contains("Đang gửi"));
    let edits = t.fake.edits_in(c.officer.id);
    let last = edits
        .last()
        .map(|(_, text)| text.clone())
        .unwrap_or_default();
    assert!(last.contains("4/4") && last.contains("100%"), "{edits:?}");
    let report = texts(&officer);
    assert!(
        report.contains("Báo cáo gửi tin") && report.contains("Đã gửi: 4/4"),
        "{report}"
    );
    // The officer is not among the recipients.
    assert!(
        !officer
            .iter()
            .any(|m| m.text.starts_with("📣 <b>Công đoàn"))
    );
    t.finish().await;
}

async fn typed_choices_pick_a_child_unit_or_the_leaders(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1100).await;
    t.say(&c.officer, "/guitin").await;
    let targets = labels(&t.say(&c.officer, "Tổ 1 dọn vệ sinh sáng Chủ nhật").await);
    assert!(
        targets.contains("5. Chỉ các tổ trưởng (1 người)"),
        "{targets}"
    );
    assert!(
        targets.contains("2. Tổ tự quản nhà trọ số 1 (2 người)"),
        "{targets}"
    );
    let preview = texts(&t.say(&c.officer, "2").await);
    assert!(preview.contains("Số người nhận: <b>2</b>"), "{preview}");
    t.say(&c.officer, "1").await;
    let id = last_broadcast(&t).await;
    wait_finished(&t, id).await;
    assert!(texts(&t.fake.sent_to(c.worker.id)).contains("dọn vệ sinh"));
    assert!(texts(&t.fake.sent_to(c.leader.id)).contains("dọn vệ sinh"));
    assert!(!texts(&t.fake.sent_to(c.direct.id)).contains("dọn vệ sinh"));
    assert!(!texts(&t.fake.sent_to(c.english.id)).contains("dọn vệ sinh"));

    t.say(&c.officer, "/guitin").await;
    t.say(&c.officer, "Các tổ trưởng nộp danh sách trước thứ Sáu")
        .await;
    let preview = texts(&t.say(&c.officer, "5").await);
    assert!(
        preview.contains("Chỉ các tổ trưởng") && preview.contains("<b>1</b>"),
        "{preview}"
    );
    assert!(texts(&t.say(&c.officer, "gửi").await).contains("Bắt đầu gửi"));
    let id2 = last_broadcast(&t).await;
    wait_finished(&t, id2).await;
    assert!(texts(&t.fake.sent_to(c.leader.id)).contains("nộp danh sách"));
    assert!(!texts(&t.fake.sent_to(c.worker.id)).contains("nộp danh sách"));
    assert_eq!(outbox_of(&t, id2, "sent").await, 1);

    // Nonsense while choosing: asked again, nothing sent.
    t.say(&c.officer, "/guitin").await;
    t.say(&c.officer, "Thử").await;
    assert!(texts(&t.say(&c.officer, "99").await).contains("Bạn hãy chọn"));
    assert!(texts(&t.say(&c.officer, "/huy").await).contains("Đã huỷ"));
    assert_eq!(last_broadcast(&t).await, id2);
    t.finish().await;
}

async fn several_chosen_units_get_it_and_no_one_else(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1700).await;
    t.say(&c.officer, "/guitin").await;
    let targets = labels(
        &t.say(&c.officer, "Hai tổ tự quản họp lúc 19h thứ Bảy")
            .await,
    );
    assert!(targets.contains("4. Chọn nhiều đơn vị"), "{targets}");
    let pick = t.say(&c.officer, "4").await;
    assert!(texts(&pick).contains("Chọn các đơn vị nhận"), "{pick:?}");
    // Nothing chosen yet: Continue asks again.
    assert!(texts(&t.say(&c.officer, "3").await).contains("chưa chọn đơn vị nào"));
    // Typed numbers toggle; a forged unit is refused and changes nothing.
    let picked = labels(&t.say(&c.officer, "1 2").await);
    assert!(
        picked.contains("☑ Tổ tự quản nhà trọ số 1") && picked.contains("3. Tiếp tục (2 đơn vị, "),
        "{picked}"
    );
    let forged = texts(&t.press(&c.officer, "bc:pick:999999").await);
    assert!(forged.contains("hết hiệu lực"), "{forged}");
    let preview = texts(&t.press(&c.officer, "bc:pick:done").await);
    assert!(
        preview.contains("2 đơn vị: Tổ tự quản nhà trọ số 1"),
        "{preview}"
    );
    assert!(texts(&t.say(&c.officer, "gửi").await).contains("Bắt đầu gửi"));
    let id = last_broadcast(&t).await;
    wait_finished(&t, id).await;
    for got in [&c.worker, &c.leader, &c.english] {
        assert!(
            texts(&t.fake.sent_to(got.id)).contains("họp lúc 19h"),
            "{}",
            got.first_name
        );
    }
    // Direct members of the officer's own unit and the other branch are not in the pick.
    for not in [&c.direct, &c.outsider] {
        assert!(
            !texts(&t.fake.sent_to(not.id)).contains("họp lúc 19h"),
            "{}",
            not.first_name
        );
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM broadcast_units").await, 2);
    assert_eq!(outbox_of(&t, id, "sent").await, 3);
    t.finish().await;
}

async fn officers_only_reaches_the_other_officers(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1800).await;
    // No other officer below yet: the choice is not offered.
    t.say(&c.officer, "/guitin").await;
    let targets = labels(&t.say(&c.officer, "Cán bộ các tổ nộp báo cáo tháng").await);
    assert!(!targets.contains("Chỉ cán bộ công đoàn"), "{targets}");
    t.say(&c.officer, "/huy").await;

    let below = TgUser::new(1811, "Cán bộ tổ Mai");
    t.join(&below, &t.invite("TTQ-01", Role::Officer, 1, None).await)
        .await;
    t.say(&c.officer, "/guitin").await;
    let targets = labels(&t.say(&c.officer, "Cán bộ các tổ nộp báo cáo tháng").await);
    assert!(
        targets.contains("6. Chỉ cán bộ công đoàn (1 người)"),
        "{targets}"
    );
    let preview = texts(&t.say(&c.officer, "6").await);
    assert!(preview.contains("Số người nhận: <b>1</b>"), "{preview}");
    assert!(texts(&t.say(&c.officer, "gửi").await).contains("Bắt đầu gửi"));
    let id = last_broadcast(&t).await;
    wait_finished(&t, id).await;
    assert!(texts(&t.fake.sent_to(below.id)).contains("nộp báo cáo tháng"));
    for not in [&c.worker, &c.leader, &c.direct] {
        assert!(!texts(&t.fake.sent_to(not.id)).contains("nộp báo cáo tháng"));
    }
    assert_eq!(outbox_of(&t, id, "sent").await, 1);
    t.finish().await;
}

async fn a_photo_goes_out_with_its_caption(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1200).await;
    t.say(&c.officer, "/guitin").await;
    let targets = t
        .send(
            c.officer.id,
            c.officer.photo(
                "poster-19-8",
                Some("Ngày hội 19/8 toàn dân bảo vệ an ninh Tổ quốc"),
            ),
        )
        .await;
    assert!(has_button(&targets, "bc:to:all"), "{targets:?}");
    let preview = texts(&t.press(&c.officer, "bc:to:all").await);
    assert!(preview.contains("Kèm ảnh/tệp"), "{preview}");
    t.press(&c.officer, "bc:send").await;
    let id = last_broadcast(&t).await;
    wait_finished(&t, id).await;
    let got = t.fake.sent_to(c.worker.id);
    let photo = got
        .iter()
        .find(|m| m.photo.as_deref() == Some("poster-19-8"))
        .expect("the photo");
    assert!(photo.text.contains("Ngày hội 19/8"), "{}", photo.text);
    assert_eq!(outbox_of(&t, id, "sent").await, 4);
    t.finish().await;
}

async fn a_scheduled_broadcast_starts_once_and_can_be_cancelled(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |cfg| cfg.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 1300).await;
    let day = local_date(now_ms()) + chrono::Days::new(2);
    let when = format!("{}/{} 7:00", day.day(), day.month());
    t.say(&c.officer, "/guitin").await;
    t.say(&c.officer, "Nhắc: mai khám sức khỏe định kỳ").await;
    t.press(&c.officer, "bc:to:all").await;
    let ask = texts(&t.press(&c.officer, "bc:later").await);
    assert!(ask.contains("Gửi lúc nào"), "{ask}");
    assert!(texts(&t.say(&c.officer, "hôm qua").await).contains("Chưa hiểu thời gian"));
    let ok = texts(&t.say(&c.officer, &when).await);
    assert!(
        ok.contains(&format!(
            "{}/{}/{}, 07:00",
            day.day(),
            day.month(),
            day.year()
        )),
        "{ok}"
    );
    let id = last_broadcast(&t).await;
    assert_eq!(broadcast_status(&t, id).await, "scheduled");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL")
            .await,
        0
    );

    let i18n = I18n::new();
    let send_at: i64 = sqlx::query("SELECT send_at FROM broadcasts WHERE id = $1")
        .bind(id)
        .fetch_one(t.store.pool())
        .await
        .unwrap()
        .get("send_at");
    scheduler::fast_tick(&t.store, &i18n, send_at - 60_000)
        .await
        .unwrap();
    assert_eq!(broadcast_status(&t, id).await, "scheduled");
    scheduler::fast_tick(&t.store, &i18n, send_at + 1_000)
        .await
        .unwrap();
    scheduler::fast_tick(&t.store, &i18n, send_at + 2_000)
        .await
        .unwrap();
    assert_eq!(broadcast_status(&t, id).await, "sending");
    assert_eq!(outbox_of(&t, id, "pending").await, 4, "queued once");
    // Time catches up with the injected clock: they go out.
    sqlx::query("UPDATE outbox SET not_before = 0 WHERE status = 'pending'")
        .execute(t.store.pool())
        .await
        .unwrap();
    t.wait_outbox_empty().await;
    assert_eq!(outbox_of(&t, id, "sent").await, 4);

    // A second one, cancelled before its time: never starts.
    t.say(&c.officer, "/guitin").await;
    t.say(&c.officer, "Tin sẽ bị hủy").await;
    t.press(&c.officer, "bc:to:all").await;
    t.press(&c.officer, "bc:later").await;
    t.say(&c.officer, &when).await;
    let id2 = last_broadcast(&t).await;
    assert!(texts(&t.say(&c.officer, "/guitin huy").await).contains("Đã dừng"));
    assert_eq!(broadcast_status(&t, id2).await, "cancelled");
    scheduler::fast_tick(&t.store, &i18n, send_at + 5_000)
        .await
        .unwrap();
    assert_eq!(
        outbox_of(&t, id2, "pending").await + outbox_of(&t, id2, "sent").await,
        0
    );
    t.finish().await;
}

async fn stopping_a_running_broadcast_reports_what_was_not_sent(backend: Backend) {
    let Some(mut t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1400).await;
    for i in 0..6 {
        let extra = TgUser::new(1450 + i, "Công nhân thêm");
        t.join(
            &extra,
            &t.invite("TTQ-02", congdoan_bot::core::domain::Role::Member, 1, None)
                .await,
        )
        .await;
    }
    // One message a second for the whole bot: the broadcast takes a while.
    t.restart(|cfg| cfg.send_rate = 1).await;
    t.say(&c.officer, "/guitin").await;
    t.say(&c.officer, "Tin dài hơi").await;
    t.press(&c.officer, "bc:to:all").await;
    t.fake.push(c.officer.button("bc:send"));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while last_broadcast(&t).await == 0 {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let id = last_broadcast(&t).await;
    let update = t.fake.push(c.officer.button(&format!("bc:stop:{id}")));
    t.wait_processed(update).await;
    assert_eq!(broadcast_status(&t, id).await, "cancelled");
    wait_finished(&t, id).await;
    let sent = outbox_of(&t, id, "sent").await;
    let cancelled = outbox_of(&t, id, "cancelled").await;
    assert!(cancelled >= 1, "sent {sent}, cancelled {cancelled}");
    assert_eq!(sent + cancelled, 10);
    let report = texts(&t.fake.sent_to(c.officer.id));
    assert!(
        report.contains(&format!("Đã dừng giữa chừng: {cancelled} tin")),
        "{report}"
    );
    assert_eq!(broadcast_status(&t, id).await, "cancelled");
    t.finish().await;
}

async fn members_and_forged_buttons_cannot_broadcast(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1500).await;
    assert!(texts(&t.say(&c.worker, "/guitin").await).contains("chỉ dành cho cán bộ"));
    assert!(texts(&t.press(&c.worker, "bc:to:all").await).contains("chỉ dành cho cán bộ"));
    let hn = t
        .store
        .unit_by_code(&UnitCode::parse("HN").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    t.say(&c.officer, "/guitin").await;
    t.say(&c.officer, "Thử gửi sang Hà Nội").await;
    let forged = texts(&t.press(&c.officer, &format!("bc:to:unit:{hn}")).await);
    assert!(forged.contains("hết hiệu lực"), "{forged}");
    assert!(texts(&t.press(&c.officer, "bc:send").await).contains("hết hiệu lực"));
    assert!(texts(&t.press(&c.officer, "bc:stop:424242").await).contains("Không có tin"));
    assert!(texts(&t.say(&c.officer, "/guitin huy").await).contains("Không có tin"));
    assert_eq!(last_broadcast(&t).await, 0);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL")
            .await,
        0
    );
    t.finish().await;
}

async fn the_sender_keeps_the_limits_and_retries_failures(backend: Backend) {
    let Some(mut t) = TestApp::spawn(backend).await else {
        return;
    };
    // Telegram's rules, enforced by the fake: 10/s for the bot, 1/s per private chat,
    // 20/min per group; and the sender held to the same.
    t.fake.enforce_limits(10);
    t.restart(|cfg| {
        cfg.send_rate = 10;
        cfg.chat_rate = 1;
    })
    .await;
    let body = congdoan_bot::core::event::Outbound::Message {
        text: "Nhắc lịch trực".into(),
        buttons: vec![],
    };
    let mut tx = t.store.begin().await.unwrap();
    let now = now_ms();
    let mut chats: Vec<String> = (0..25).map(|i| (70_000 + i).to_string()).collect();
    chats.extend(std::iter::repeat_n("70001".to_string(), 3));
    chats.extend(std::iter::repeat_n("-100777".to_string(), 3));
    for chat in &chats {
        congdoan_bot::store::outbox::enqueue(
            &mut tx,
            "telegram",
            chat,
            &body,
            congdoan_bot::store::outbox::PRIORITY_BULK,
            now,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    t.fake.fail_next(3);
    t.fake.block(70_005);
    let started = tokio::time::Instant::now();
    t.wait_outbox_empty().await;
    let took = started.elapsed();
    assert_eq!(t.fake.violations(), 0, "the bot broke a limit");
    // 30 accepted at 10/s, the chat with 4 messages at 1/s: at least 3 seconds.
    assert!(took >= Duration::from_millis(2900), "{took:?}");
    assert_eq!(t.fake.sent_to(70_001).len(), 4);
    assert_eq!(t.fake.sent_to(-100_777).len(), 3);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        (chats.len() - 1) as i64
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE status = 'unreachable'")
            .await,
        1
    );
    t.finish().await;
}
