//! Directives from an officer's document to members' phones, and the campaign calendar.

mod common;

use chrono::{Duration, NaiveDate};
use common::{Backend, TestApp, cast, texts};
use congdoan_bot::core::calendar::{Recurrence, local_date, local_time_ms};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;

on_both_backends!(
    officer_publishes_to_the_whole_subtree_and_dates_become_reminders,
    officer_picks_units_and_edits_the_summary,
    officer_sends_a_document_file,
    the_author_learns_who_a_directive_did_not_reach,
);

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/directives/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn officer_publishes_to_the_whole_subtree_and_dates_become_reminders(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 10_000).await;

    let review = t
        .say(
            &c.officer,
            &fixture("tld-phong-trao-bao-ve-an-ninh-to-quoc.txt"),
        )
        .await;
    assert_eq!(review.len(), 1, "{review:?}");
    let r = &review[0];
    assert!(r.text.contains("Bản nháp gửi đoàn viên"), "{}", r.text);
    assert!(
        r.text.contains("19/8"),
        "the festival date is in the summary: {}",
        r.text
    );
    let data: Vec<&str> = r.buttons.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(
        data,
        ["dir:all", "dir:pick", "dir:edit", "dir:cancel", "dir:ack"]
    );
    assert!(
        r.buttons[0].0.contains("(4 người)"),
        "four people below the officer: {:?}",
        r.buttons[0]
    );

    let sent = t.press(&c.officer, "dir:all").await;
    let s = texts(&sent);
    assert!(s.contains("Đã gửi chỉ thị tới 4 người"), "{s}");
    assert!(s.contains("19/8"), "a calendar suggestion: {s}");
    assert!(
        sent.iter()
            .any(|m| m.buttons.iter().any(|(_, d)| d == "cal:add"))
    );
    t.wait_outbox_empty().await;

    for u in [&c.worker, &c.leader, &c.direct] {
        let got = texts(&t.fake.sent_to(u.id));
        assert!(
            got.contains("Chỉ thị mới từ Công đoàn cơ sở Công ty May &lt;ABC&gt; &amp; Co"),
            "{got}"
        );
        assert!(got.contains("Việc cần làm:"), "{got}");
    }
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("New directive from"));
    assert!(
        !texts(&t.fake.sent_to(c.outsider.id)).contains("Chỉ thị mới"),
        "other branch"
    );
    assert!(
        !texts(&t.fake.sent_to(c.officer.id)).contains("Chỉ thị mới từ"),
        "not to the author"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM directives").await, 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM directive_receipts").await, 4);

    // A member reads it again with /chithi.
    let list = t.say(&c.worker, "/chithi").await;
    let show = list[0].buttons[0].1.clone();
    assert!(show.starts_with("dir:show:"), "{list:?}");
    let detail = texts(&t.say(&c.worker, "1").await);
    assert!(
        detail.contains("Việc cần làm:") && detail.contains("Công ty May &lt;ABC&gt;"),
        "{detail}"
    );
    // The other branch neither lists it nor can open it by forging the button.
    let none = texts(&t.say(&c.outsider, "/chithi").await);
    assert!(none.contains("Chưa có chỉ thị nào"), "{none}");
    let forged = texts(&t.press(&c.outsider, &show).await);
    assert!(forged.contains("Không tìm thấy chỉ thị"), "{forged}");

    // The 19/8 festival becomes a yearly campaign for the subtree.
    let added = texts(&t.press(&c.officer, "cal:add").await);
    assert!(added.contains("Đã thêm 1 mốc vào lịch"), "{added}");
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM campaigns WHERE day = 19 AND month = 8 AND recurrence = 'yearly'"
        )
        .await,
        1
    );
    let next = Recurrence::Yearly { day: 19, month: 8 }
        .next_on_or_after(local_date(now_ms()))
        .expect("a next 19/8");
    let cal = t.say(&c.worker, "/lich").await;
    let shown = next.format("%-d/%-m/%Y").to_string();
    assert!(texts(&cal).contains(&shown), "{cal:?}");
    assert!(
        texts(&cal).contains("Ngày hội toàn dân bảo vệ an ninh Tổ quốc"),
        "{cal:?}"
    );
    let ics = t.press(&c.worker, "cal:ics").await;
    let (name, content) = ics[0].document.clone().expect("an .ics document");
    assert_eq!(name, "lich-cong-doan.ics");
    assert!(
        content.contains(&format!("DTSTART;VALUE=DATE:{}", next.format("%Y%m%d"))),
        "{content}"
    );
    assert!(content.contains("RRULE:FREQ=YEARLY"), "{content}");
    let far = texts(&t.say(&c.outsider, "/lich").await);
    assert!(far.contains("Chưa có mốc"), "{far}");

    // Reminders, driven by an injected clock: once each, whatever runs twice.
    let i18n = I18n::new();
    let week_before = local_time_ms(next - Duration::days(7), 7).expect("time");
    let at = |ms: i64| ms;
    assert_eq!(
        scheduler::tick(&t.store, &i18n, at(week_before - 60_000))
            .await
            .expect("tick"),
        0
    );
    assert_eq!(
        scheduler::tick(&t.store, &i18n, at(week_before))
            .await
            .expect("tick"),
        5
    );
    assert_eq!(
        scheduler::tick(&t.store, &i18n, at(week_before + 300_000))
            .await
            .expect("tick"),
        0
    );
    let other = congdoan_bot::store::Store::open(&t.db.url)
        .await
        .expect("second instance");
    assert_eq!(
        scheduler::tick(&other, &i18n, at(week_before + 600_000))
            .await
            .expect("tick"),
        0
    );
    other.close().await;
    let day_before = local_time_ms(next - Duration::days(1), 7).expect("time");
    assert_eq!(
        scheduler::tick(&t.store, &i18n, day_before + 1000)
            .await
            .expect("tick"),
        5
    );
    // Late at night after a long outage: the morning-of reminder is skipped, not sent at 23:00.
    let night = local_time_ms(next, 23).expect("time");
    assert_eq!(
        scheduler::tick(&t.store, &i18n, night).await.expect("tick"),
        0
    );
    t.wait_outbox_empty().await;
    let got = texts(&t.fake.sent_to(c.worker.id));
    assert!(
        got.contains(&format!(
            "Còn 7 ngày</b>: Ngày hội toàn dân bảo vệ an ninh Tổ quốc ({shown})"
        )),
        "{got}"
    );
    assert!(got.contains("Ngày mai"), "{got}");
    assert!(!texts(&t.fake.sent_to(c.outsider.id)).contains("⏰"));
    assert_eq!(t.count("SELECT COUNT(*) FROM campaign_reminders").await, 2);
    t.finish().await;
}

async fn officer_picks_units_and_edits_the_summary(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 10_000).await;
    let review = t
        .say(&c.officer, &fixture("caobang-bien-gioi-2016.txt"))
        .await;
    assert!(texts(&review).contains("Bản nháp"), "{review:?}");

    let help = texts(&t.press(&c.officer, "dir:edit").await);
    assert!(help.contains("Gửi nội dung tóm tắt mới"), "{help}");
    let too_long = texts(&t.say(&c.officer, &"dài ".repeat(600)).await);
    assert!(too_long.contains("quá mức 1500"), "{too_long}");
    let review = t
        .say(
            &c.officer,
            "Tóm tắt mới: <b>tuyên truyền</b> bảo vệ biên giới, báo cáo trước 15/12.",
        )
        .await;
    assert!(
        texts(&review).contains("Tóm tắt mới: &lt;b&gt;tuyên truyền&lt;/b&gt;"),
        "the officer's text is escaped: {review:?}"
    );

    let pick = t.press(&c.officer, "dir:pick").await;
    let labels: Vec<&str> = pick[0].buttons.iter().map(|(l, _)| l.as_str()).collect();
    assert!(
        labels[0].contains("☐ Tổ tự quản nhà trọ số 1 (2)"),
        "{labels:?}"
    );
    assert!(
        labels[1].contains("☐ Tổ tự quản nhà trọ số 2 (1)"),
        "{labels:?}"
    );
    // A unit of another branch can't be slipped in with forged data.
    let hn = t
        .store
        .unit_by_code(&congdoan_bot::core::domain::UnitCode::parse("HN").expect("code"))
        .await
        .expect("db")
        .expect("unit");
    let forged = texts(&t.press(&c.officer, &format!("dir:unit:{}", hn.id)).await);
    assert!(forged.contains("đã hết hiệu lực"), "{forged}");
    let send_none = texts(&t.say(&c.officer, "3").await);
    assert!(
        send_none.contains("Bạn chưa chọn đơn vị nào"),
        "{send_none}"
    );
    let toggled = t.say(&c.officer, "2").await;
    assert!(toggled[0].buttons[1].0.contains("☑"), "{toggled:?}");
    let sent = texts(&t.say(&c.officer, "3").await);
    assert!(sent.contains("Đã gửi chỉ thị tới 1 người"), "{sent}");
    t.wait_outbox_empty().await;
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("Tóm tắt mới"));
    assert!(
        !texts(&t.fake.sent_to(c.worker.id)).contains("Tóm tắt mới"),
        "TTQ-01 was not chosen"
    );
    assert!(!texts(&t.fake.sent_to(c.direct.id)).contains("Tóm tắt mới"));

    // A member pasting a long text is not publishing anything.
    let long = texts(
        &t.say(&c.worker, &fixture("caobang-bien-gioi-2016.txt"))
            .await,
    );
    assert!(long.contains("Bot chưa hiểu"), "{long}");
    // Not a directive: a recipe.
    let recipe = "Canh chua cá lóc: cho nước vào nồi, đun sôi, thêm me chua, cà chua, thơm, đậu bắp, giá. \
                  Nêm nước mắm, đường cho vừa ăn. Cho cá vào nấu chín, rắc ngò om, ngò gai. Ăn nóng với cơm trắng. "
        .repeat(3);
    let r = texts(&t.say(&c.officer, &recipe).await);
    assert!(r.contains("không giống một văn bản chỉ đạo"), "{r}");
    assert_eq!(t.count("SELECT COUNT(*) FROM directives").await, 1);
    t.finish().await;
}

async fn officer_sends_a_document_file(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 10_000).await;
    let text = fixture("caobang-bien-gioi-2016.txt");
    t.fake.add_file("doc-1", text.clone().into_bytes());
    let review = t
        .send(
            c.officer.id,
            c.officer.document("doc-1", "ke-hoach.txt", text.len()),
        )
        .await;
    assert!(
        texts(&review).contains("Bản nháp gửi đoàn viên"),
        "{review:?}"
    );
    let cancelled = texts(&t.press(&c.officer, "dir:cancel").await);
    assert!(cancelled.contains("Đã huỷ bản nháp"), "{cancelled}");

    let huge = t
        .send(
            c.officer.id,
            c.officer.document("doc-2", "lon.txt", 5_000_000),
        )
        .await;
    assert!(texts(&huge).contains("Văn bản quá lớn"), "{huge:?}");
    t.fake.add_file("doc-3", vec![0, 159, 146, 150, 0, 1, 2, 3]);
    let junk = t
        .send(c.officer.id, c.officer.document("doc-3", "x.bin", 8))
        .await;
    assert!(texts(&junk).contains("không phải văn bản"), "{junk:?}");
    let missing = t
        .send(c.officer.id, c.officer.document("doc-404", "y.txt", 10))
        .await;
    assert!(
        texts(&missing).contains("không tải được tệp"),
        "{missing:?}"
    );
    let member = t
        .send(
            c.worker.id,
            c.worker.document("doc-1", "ke-hoach.txt", text.len()),
        )
        .await;
    assert!(
        texts(&member).contains("chỉ đọc được tin nhắn chữ"),
        "{member:?}"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM directives").await, 0);
    let _ = NaiveDate::from_ymd_opt(2026, 1, 1);
    t.finish().await;
}

/// A member who blocked the bot does not get the directive; once every message has been
/// tried, the author is told how many it did not reach, once.
async fn the_author_learns_who_a_directive_did_not_reach(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 40_000).await;
    t.fake.block(c.leader.id);
    t.say(
        &c.officer,
        &fixture("tld-phong-trao-bao-ve-an-ninh-to-quoc.txt"),
    )
    .await;
    let sent = texts(&t.press(&c.officer, "dir:all").await);
    assert!(sent.contains("Đã gửi chỉ thị tới 4 người"), "{sent}");
    t.wait_outbox_empty().await;
    let before = t.fake.sent_to(c.officer.id).len();

    let i18n = I18n::new();
    let queued = scheduler::fast_tick(&t.store, &i18n, now_ms())
        .await
        .expect("tick");
    assert_eq!(queued, 1, "one report");
    t.wait_outbox_empty().await;
    let report = texts(&t.fake.sent_to(c.officer.id)[before..]);
    assert!(report.contains("chưa tới được tất cả"), "{report}");
    assert!(report.contains("Đã nhận: 3/4"), "{report}");
    assert!(
        report.contains("Đã chặn bot hoặc rời ứng dụng: 1"),
        "{report}"
    );
    assert!(report.contains("bằng cách khác"), "{report}");
    assert!(!report.contains("Zalo"), "no quota line: {report}");
    // Nobody else hears of it, and the report comes once.
    for u in [&c.worker, &c.direct, &c.english, &c.outsider] {
        assert!(!texts(&t.fake.sent_to(u.id)).contains("chưa tới được"));
    }
    assert_eq!(
        scheduler::fast_tick(&t.store, &i18n, now_ms())
            .await
            .expect("tick"),
        0
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM directives WHERE reported_at IS NOT NULL")
            .await,
        1
    );
    t.finish().await;
}
