//! The campaign calendar with lunar dates and officer-chosen reminders, played through
//! the fake Bot API: an officer adds Tết Trung thu (15/8 âm lịch) with reminders 3 days
//! before and on the day at 08:00; members see it with its solar date; the scheduler's
//! clock fires each reminder once, on the right solar day.

mod common;

use chrono::Duration;
use common::{Backend, TestApp, cast, texts};
use congdoan_bot::core::calendar::{Recurrence, local_date, local_time_ms};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;
use sqlx::Row;

on_both_backends!(
    a_lunar_date_with_chosen_reminders,
    bad_calendar_input_changes_nothing
);

async fn a_lunar_date_with_chosen_reminders(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |cfg| cfg.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 2000).await;
    let added = texts(
        &t.say(
            &c.officer,
            "/lich them 15/8 âm lịch Tết Trung thu nhắc 3,0 lúc 8h",
        )
        .await,
    );
    assert!(
        added.contains("Tết Trung thu</b>, ngày 15/8 âm lịch"),
        "{added}"
    );
    assert!(
        added.contains("3 ngày trước, đúng ngày, lúc 8:00"),
        "{added}"
    );
    let row = sqlx::query(
        "SELECT recurrence, day, month, remind_days, remind_hour FROM campaigns WHERE title = 'Tết Trung thu'",
    )
    .fetch_one(t.store.pool())
    .await
    .expect("campaign");
    assert_eq!(row.get::<String, _>("recurrence"), "lunar_yearly");
    assert_eq!(
        (row.get::<i64, _>("day"), row.get::<i64, _>("month")),
        (15, 8)
    );
    assert_eq!(row.get::<String, _>("remind_days"), "[3,0]");
    assert_eq!(row.get::<i64, _>("remind_hour"), 8);

    // Members see the lunar date with the solar date it falls on next.
    let next = Recurrence::LunarYearly { day: 15, month: 8 }
        .next_on_or_after(local_date(now_ms()))
        .expect("next Trung thu");
    let shown = texts(&t.say(&c.worker, "/lich").await);
    let solar = next.format("%-d/%-m/%Y").to_string();
    assert!(
        shown.contains(&format!("15/8 âm lịch ({solar})")),
        "{shown}"
    );

    // The .ics holds the next five Trung thu as separate all-day events.
    let ics = t.press(&c.worker, "cal:ics").await;
    let file = ics
        .iter()
        .find_map(|m| m.document.clone())
        .expect("an .ics file")
        .1;
    assert_eq!(file.matches("BEGIN:VEVENT").count(), 5, "{file}");
    assert!(!file.contains("RRULE"), "{file}");
    assert!(file.contains(&format!("DTSTART;VALUE=DATE:{}", next.format("%Y%m%d"))));

    // Reminders: 3 days before and on the day, at 08:00 Hanoi, each once.
    let i18n = I18n::new();
    let at = |days_before: i64, hour: u32| {
        local_time_ms(next - Duration::days(days_before), hour).expect("time") + 60_000
    };
    let keys = || async { t.count("SELECT COUNT(*) FROM campaign_reminders").await };
    scheduler::tick(&t.store, &i18n, at(7, 8)).await.unwrap();
    assert_eq!(keys().await, 0, "no 7-day reminder was asked for");
    scheduler::tick(&t.store, &i18n, at(3, 7)).await.unwrap();
    assert_eq!(keys().await, 0, "not before 08:00");
    let queued = scheduler::tick(&t.store, &i18n, at(3, 8)).await.unwrap();
    assert!(queued >= 4, "{queued}");
    scheduler::tick(&t.store, &i18n, at(3, 9)).await.unwrap();
    assert_eq!(keys().await, 1, "once");
    scheduler::tick(&t.store, &i18n, at(0, 8)).await.unwrap();
    assert_eq!(keys().await, 2);
    let occurrence: String = sqlx::query("SELECT occurrence FROM campaign_reminders LIMIT 1")
        .fetch_one(t.store.pool())
        .await
        .unwrap()
        .get("occurrence");
    assert_eq!(occurrence, next.format("%Y-%m-%d").to_string());
    t.finish().await;
}

async fn bad_calendar_input_changes_nothing(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 2100).await;
    for (who, text, expect) in [
        (
            &c.officer,
            "/lich them 15/8 âm lịch Trung thu nhắc 99",
            "Lịch nhắc chưa đúng",
        ),
        (
            &c.officer,
            "/lich them 15/8 Trung thu nhắc 1 lúc 3h",
            "Lịch nhắc chưa đúng",
        ),
        (
            &c.officer,
            "/lich them 15/8 Trung thu nhắc 1,2,3,4,5,6",
            "Lịch nhắc chưa đúng",
        ),
        (&c.officer, "/lich them 31/2 Ngày không có", "Cách thêm mốc"),
        (
            &c.officer,
            "/lich them 15/8/2026 âm lịch Có năm",
            "Cách thêm mốc",
        ),
        (
            &c.officer,
            "/lich them 31/8 âm lịch Quá ngày",
            "Cách thêm mốc",
        ),
        (&c.officer, "/lich them 15/8 âm lịch", "Cách thêm mốc"),
        (
            &c.worker,
            "/lich them 28/7 Ngày thành lập",
            "chỉ dành cho cán bộ",
        ),
    ] {
        let got = texts(&t.say(who, text).await);
        assert!(got.contains(expect), "{text}: {got}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM campaigns").await, 0);
    // The plain yearly form still works, with the default reminders.
    let ok = texts(
        &t.say(
            &c.officer,
            "/lich them 28/7 Ngày thành lập Công đoàn Việt Nam",
        )
        .await,
    );
    assert!(
        ok.contains("7 ngày trước, 1 ngày trước, đúng ngày, lúc 7:00"),
        "{ok}"
    );
    t.finish().await;
}
