//! Reports: the Monday digest checked against a recount on a multi-level tree, the
//! /tonghop chart decoded, exports re-read with calamine and compared with the
//! database, one branch never seeing another's rows, anonymous reporters staying
//! anonymous, and the `export` command line.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{Datelike, Duration, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Ho_Chi_Minh;
use common::{Backend, TestApp, TgUser, cast, texts};
use congdoan_bot::core::digest::DigestEvery;
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::reports::chart;
use congdoan_bot::scheduler;
use sqlx::Row;

on_both_backends!(
    the_monday_digest_matches_a_recount_and_comes_once,
    tonghop_sends_a_chart_of_the_child_units,
    exports_open_in_excel_and_stay_in_the_branch,
    the_export_command_writes_the_same_rows,
    an_export_too_big_for_chat_is_refused_plainly,
);

async fn id_of(t: &TestApp, sql: &'static str, arg: &str) -> i64 {
    sqlx::query(sql)
        .bind(arg.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("lookup")
        .get::<i64, _>(0)
}

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    id_of(t, "SELECT id FROM units WHERE code = $1", code).await
}

async fn member_id(t: &TestApp, name: &str) -> i64 {
    id_of(t, "SELECT id FROM members WHERE display_name = $1", name).await
}

/// A commitment at CDCS-ABC signed by two people, three tips (one overdue, one
/// anonymous, one in the other branch) and a directive published now.
async fn seed(t: &TestApp, c: &common::Cast) -> (String, String) {
    let now = now_ms();
    let abc = unit_id(t, "CDCS-ABC").await;
    let ttq1 = unit_id(t, "TTQ-01").await;
    let hn = unit_id(t, "HN").await;
    let officer = member_id(t, &c.officer.first_name).await;
    let campaign: i64 = sqlx::query(
        "INSERT INTO commitment_campaigns (unit_id, title, signers, deadline_at, current_version,
            remind_weekdays, remind_every_days, remind_hour, created_by, created_at)
         VALUES ($1, 'Cam kết an toàn khu trọ', 'everyone', $2, 1, '', 0, 8, $3, $4) RETURNING id",
    )
    .bind(abc)
    .bind(now + 30 * 86_400_000)
    .bind(officer)
    .bind(now)
    .fetch_one(t.store.pool())
    .await
    .expect("campaign")
    .get("id");
    sqlx::query(
        "INSERT INTO commitment_versions (campaign_id, version, text, text_hash, created_at)
         VALUES ($1, 1, 'Cam kết an toàn khu trọ', 'h', $2)",
    )
    .bind(campaign)
    .bind(now)
    .execute(t.store.pool())
    .await
    .expect("version");
    for who in [&c.worker, &c.leader] {
        sqlx::query(
            "INSERT INTO commitment_signatures (campaign_id, member_id, version, text_hash, signed_at, channel)
             VALUES ($1, $2, 1, 'h', $3, 'telegram')",
        )
        .bind(campaign)
        .bind(member_id(t, &who.first_name).await)
        .bind(now)
        .execute(t.store.pool())
        .await
        .expect("signature");
    }
    let tip = |code: &'static str,
               unit: i64,
               category: &'static str,
               status: &'static str,
               anonymous: i64,
               reporter: i64,
               escalate_at: Option<i64>| {
        sqlx::query(
            "INSERT INTO tips (receipt_code, unit_id, handling_unit_id, category, description,
                location_text, happened_text, anonymous, reporter_member_id, status, escalate_at, created_at)
             VALUES ($1, $2, $2, $3, 'Có người lạ đi lại nhiều lần', 'Dãy trọ B', 'tối qua', $4, $5, $6, $7, $8)",
        )
        .bind(code)
        .bind(unit)
        .bind(category)
        .bind(anonymous)
        .bind(reporter)
        .bind(status)
        .bind(escalate_at)
        .bind(now - 3_600_000)
    };
    let worker = member_id(t, &c.worker.first_name).await;
    let leader = member_id(t, &c.leader.first_name).await;
    let outsider = member_id(t, &c.outsider.first_name).await;
    // Overdue: nobody took it and its deadline passed long ago.
    tip(
        "TB-AAAAA-AAAAA",
        ttq1,
        "stranger",
        "new",
        1,
        worker,
        Some(now - 10 * 86_400_000),
    )
    .execute(t.store.pool())
    .await
    .expect("tip");
    tip("TB-BBBBB-BBBBB", ttq1, "theft", "resolved", 0, leader, None)
        .execute(t.store.pool())
        .await
        .expect("tip");
    tip(
        "TB-CCCCC-CCCCC",
        hn,
        "fire",
        "new",
        0,
        outsider,
        Some(now - 10 * 86_400_000),
    )
    .execute(t.store.pool())
    .await
    .expect("tip");
    let directive: i64 = sqlx::query(
        "INSERT INTO directives (unit_id, author_member_id, title, summary, facts, published_at)
         VALUES ($1, $2, 'Kế hoạch Ngày hội 19/8', 'Tóm tắt', '{}', $3) RETURNING id",
    )
    .bind(abc)
    .bind(officer)
    .bind(now)
    .fetch_one(t.store.pool())
    .await
    .expect("directive")
    .get("id");
    sqlx::query(
        "INSERT INTO directive_receipts (directive_id, member_id, created_at)
         SELECT $1, m.id, $2 FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE (SELECT path FROM units WHERE id = $3) || '%' AND m.id <> $4",
    )
    .bind(directive)
    .bind(now)
    .bind(abc)
    .bind(officer)
    .execute(t.store.pool())
    .await
    .expect("receipts");
    // Its messages: delivered to everyone's account but the worker's (who blocked the bot).
    sqlx::query(
        "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at, directive_id)
         SELECT i.channel, i.chat_id, '{}', 10,
                CASE WHEN i.external_id = $2 THEN 'unreachable' ELSE 'sent' END, 1, $3, $3, $1
         FROM directive_receipts r JOIN identities i ON i.member_id = r.member_id
         WHERE r.directive_id = $1",
    )
    .bind(directive)
    .bind(c.worker.id.to_string())
    .bind(now)
    .execute(t.store.pool())
    .await
    .expect("directive messages");
    // Sends that failed for good: two to the leader's Zalo account over its free quota,
    // one to the worker after every retry; not counted: one to the other branch and one
    // from long before the period.
    sqlx::query(
        "INSERT INTO identities (channel, external_id, chat_id, member_id, linked_at)
         VALUES ('zalo', 'z-leader', 'z-leader', $1, $2)",
    )
    .bind(leader)
    .bind(now)
    .execute(t.store.pool())
    .await
    .expect("zalo identity");
    for (channel, chat, error, at) in [
        (
            "zalo",
            "z-leader".to_string(),
            "zalo quota exceeded: -214",
            now,
        ),
        (
            "zalo",
            "z-leader".to_string(),
            "zalo quota exceeded: -214",
            now,
        ),
        (
            "telegram",
            c.worker.id.to_string(),
            "HTTP 502 after 8 attempts",
            now,
        ),
        (
            "telegram",
            c.outsider.id.to_string(),
            "HTTP 502 after 8 attempts",
            now,
        ),
        (
            "zalo",
            "z-leader".to_string(),
            "zalo quota exceeded: -214",
            now - 30 * 86_400_000,
        ),
    ] {
        sqlx::query(
            "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at, error)
             VALUES ($1, $2, '{}', 10, 'failed', 8, $3, $3, $4)",
        )
        .bind(channel)
        .bind(chat)
        .bind(at)
        .bind(error)
        .execute(t.store.pool())
        .await
        .expect("failed send");
    }
    (c.worker.first_name.clone(), c.outsider.first_name.clone())
}

/// The last Monday 08:05 in Hanoi whose Tuesday 08:05 is already past too (the story
/// ticks on both, and what a tick queues waits until its time).
fn last_monday_morning() -> i64 {
    let now = Utc::now().with_timezone(&Ho_Chi_Minh);
    let mut day = now.date_naive();
    loop {
        if day.weekday() == Weekday::Mon {
            let at = Ho_Chi_Minh
                .from_local_datetime(&day.and_hms_opt(8, 5, 0).expect("time"))
                .single()
                .expect("local time");
            if at + Duration::days(1) + Duration::minutes(2) <= now {
                return at.timestamp_millis();
            }
        }
        day -= Duration::days(1);
    }
}

async fn recount(t: &TestApp, code: &str) -> (i64, i64) {
    let path: String = sqlx::query("SELECT path FROM units WHERE code = $1")
        .bind(code.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .get("path");
    let members: Vec<(i64, Option<i64>)> = sqlx::query(
        "SELECT m.id, m.unreachable_at FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE $1",
    )
    .bind(format!("{path}%"))
    .fetch_all(t.store.pool())
    .await
    .expect("members")
    .iter()
    .map(|r| (r.get("id"), r.get("unreachable_at")))
    .collect();
    let reachable = members.iter().filter(|(_, u)| u.is_none()).count() as i64;
    (members.len() as i64, reachable)
}

async fn the_monday_digest_matches_a_recount_and_comes_once(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 7000).await;
    // A second level: an officer of the whole city federation.
    let city = TgUser::new(7100, "Cán bộ Thành phố");
    t.join(&city, &t.invite("HCM", Role::Officer, 1, None).await)
        .await;
    seed(&t, &c).await;
    // Someone who blocked the bot is a member but not reachable.
    sqlx::query("UPDATE members SET unreachable_at = $1 WHERE display_name = $2")
        .bind(now_ms())
        .bind(c.direct.first_name.clone())
        .execute(t.store.pool())
        .await
        .expect("unreachable");

    let i18n = I18n::new();
    let monday = last_monday_morning();
    scheduler::tick(&t.store, &i18n, monday)
        .await
        .expect("tick");
    t.wait_outbox_empty().await;

    for (who, code) in [(&c.officer, "CDCS-ABC"), (&city, "HCM")] {
        let got = texts(&t.fake.sent_to(who.id));
        let (members, reachable) = recount(&t, code).await;
        assert!(
            got.contains(&format!(
                "Đoàn viên: {members} · Nhận được tin qua bot: {reachable}"
            )),
            "{code}: {got}"
        );
        assert!(got.contains("Báo cáo tuần"), "{got}");
        assert!(got.contains("Cam kết an toàn khu trọ: 2/"), "{got}");
        assert!(
            got.contains("Quá hạn chưa ai tiếp nhận: 1 — TB-AAAAA-AAAAA"),
            "{got}"
        );
        assert!(
            got.contains("Người lạ khả nghi — Mới, chờ tiếp nhận: 1"),
            "{got}"
        );
        assert!(got.contains("Trộm cắp — Đã xử lý xong: 1"), "{got}");
        assert!(
            got.contains(
                "Tin không gửi được trong kỳ: 3, trong đó 2 tin vì Zalo hết lượt gửi miễn phí"
            ),
            "{got}"
        );
        assert!(!got.contains("TB-CCCCC"), "another branch's tip: {got}");
        let reached: i64 = sqlx::query("SELECT COUNT(*) FROM directive_receipts")
            .fetch_one(t.store.pool())
            .await
            .expect("receipts")
            .get(0);
        let delivered: i64 = sqlx::query(
            "SELECT COUNT(DISTINCT r.member_id) FROM directive_receipts r
             WHERE EXISTS (SELECT 1 FROM identities i JOIN outbox o
                           ON o.channel = i.channel AND o.chat_id = i.chat_id
                           WHERE i.member_id = r.member_id AND o.status = 'sent'
                             AND o.directive_id = r.directive_id)",
        )
        .fetch_one(t.store.pool())
        .await
        .expect("delivered")
        .get(0);
        assert_eq!(delivered, reached - 1, "all but the worker");
        assert!(
            got.contains(&format!(
                "Kế hoạch Ngày hội 19/8: gửi tới {reached} người, {delivered} đã nhận"
            )),
            "{got}"
        );
    }
    // The digest for CDCS-ABC counts the whole subtree: 2 signed of everyone in it.
    let (abc_members, _) = recount(&t, "CDCS-ABC").await;
    assert!(
        texts(&t.fake.sent_to(c.officer.id))
            .contains(&format!("Cam kết an toàn khu trọ: 2/{abc_members}")),
    );
    // Members who are not officers get no digest; the other branch's none either.
    for who in [&c.worker, &c.outsider] {
        assert!(!texts(&t.fake.sent_to(who.id)).contains("Báo cáo tuần"));
    }

    // Once per week, whatever ticks again (or a second instance); not on Tuesday.
    let digests_to = |who: i64| {
        t.fake
            .sent_to(who)
            .iter()
            .filter(|m| m.text.contains("📊 <b>Báo cáo"))
            .count()
    };
    assert_eq!(digests_to(c.officer.id), 1);
    scheduler::tick(&t.store, &i18n, monday + 60_000)
        .await
        .expect("tick");
    scheduler::tick(&t.store, &i18n, monday + 86_400_000)
        .await
        .expect("tick");
    t.wait_outbox_empty().await;
    assert_eq!(digests_to(c.officer.id), 1);
    assert_eq!(digests_to(city.id), 1);
    let keys: i64 = sqlx::query("SELECT COUNT(*) FROM digests_sent")
        .fetch_one(t.store.pool())
        .await
        .expect("keys")
        .get(0);
    assert_eq!(keys, 2, "one key per unit with officers");

    // Daily for one unit: Tuesday morning it comes again, to that unit only.
    let abc = unit_id(&t, "CDCS-ABC").await;
    t.store
        .set_digest_every(abc, DigestEvery::Daily)
        .await
        .expect("setting");
    scheduler::tick(&t.store, &i18n, monday + 86_400_000)
        .await
        .expect("tick");
    t.wait_outbox_empty().await;
    assert_eq!(digests_to(c.officer.id), 2);
    assert!(texts(&t.fake.sent_to(c.officer.id)).contains("Báo cáo ngày"));
    assert_eq!(digests_to(city.id), 1, "the city stays weekly");
    t.finish().await;
}

async fn tonghop_sends_a_chart_of_the_child_units(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 7200).await;
    seed(&t, &c).await;
    let got = t.say(&c.officer, "/tonghop").await;
    let text = texts(&got);
    assert!(text.contains("Cam kết an toàn khu trọ"), "{text}");
    let chart_msg = got
        .iter()
        .find(|m| m.photo.is_some())
        .expect("a chart photo");
    assert!(
        chart_msg.text.contains("tiến độ ký theo đơn vị"),
        "{}",
        chart_msg.text
    );
    let uploads = t.fake.uploads_to(c.officer.id);
    let (name, png) = uploads.last().expect("uploaded bytes");
    assert!(name.ends_with(".png"), "{name}");
    let decoder = png::Decoder::new(Cursor::new(png.as_slice()));
    let reader = decoder.read_info().expect("a PNG that decodes");
    let info = reader.info();
    // CDCS-ABC has two child units (the two housing groups): two bars.
    assert_eq!(info.width, chart::WIDTH);
    assert_eq!(info.height, chart::height_for(2));
    // A member cannot ask for it.
    let refused = texts(&t.say(&c.worker, "/tonghop").await);
    assert!(refused.contains("chỉ dành cho cán bộ"), "{refused}");
    t.finish().await;
}

fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn names_in(t: &TestApp, code: &str) -> Vec<String> {
    let mut names: Vec<String> = sqlx::query(
        "SELECT m.display_name FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE (SELECT path FROM units WHERE code = $1) || '%'",
    )
    .bind(code.to_string())
    .fetch_all(t.store.pool())
    .await
    .expect("names")
    .iter()
    .map(|r| r.get("display_name"))
    .collect();
    names.sort();
    names
}

async fn exports_open_in_excel_and_stay_in_the_branch(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 7300).await;
    let (worker, outsider) = seed(&t, &c).await;

    let ask = t.say(&c.officer, "/xuat").await;
    let data: Vec<&str> = ask[0].buttons.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(
        data,
        [
            "exp:what:members",
            "exp:what:signatures",
            "exp:what:tips",
            "exp:what:deliveries"
        ]
    );
    let format_q = t.press(&c.officer, "exp:what:members").await;
    assert!(texts(&format_q).contains("Định dạng tệp"));
    let file = t.press(&c.officer, "exp:fmt:xlsx").await;
    let doc = file.iter().find(|m| m.document.is_some()).expect("a file");
    assert!(doc.text.contains("Danh sách đoàn viên"), "{}", doc.text);
    let (name, bytes) = t.fake.uploads_to(c.officer.id).pop().expect("bytes");
    assert!(
        name.starts_with("doan-vien-CDCS-ABC-") && name.ends_with(".xlsx"),
        "{name}"
    );
    let rows = sheet_rows(&bytes);
    assert_eq!(rows[0][2], "Họ tên");
    let mut exported: Vec<String> = rows[1..].iter().map(|r| r[2].clone()).collect();
    exported.sort();
    assert_eq!(
        exported,
        names_in(&t, "CDCS-ABC").await,
        "exactly the subtree"
    );
    assert!(!exported.contains(&outsider));

    // Tips as CSV, typed: the anonymous reporter stays anonymous.
    t.say(&c.officer, "/xuat").await;
    t.say(&c.officer, "3").await;
    t.say(&c.officer, "csv").await;
    let (name, bytes) = t.fake.uploads_to(c.officer.id).pop().expect("bytes");
    assert!(name.ends_with(".csv"), "{name}");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 BOM for Excel"
    );
    let csv = String::from_utf8(bytes).expect("utf-8");
    assert!(
        csv.contains("TB-AAAAA-AAAAA") && csv.contains("Ẩn danh"),
        "{csv}"
    );
    assert!(!csv.contains(&worker), "anonymous reporter named: {csv}");
    assert!(!csv.contains("TB-CCCCC"), "another branch: {csv}");
    let leader = &c.leader.first_name;
    assert!(
        csv.contains(leader.as_str()),
        "a named reporter is named: {csv}"
    );

    // The other branch's officer sees only their branch.
    let hn_officer = TgUser::new(7390, "Cán bộ Hà Nội");
    t.join(&hn_officer, &t.invite("HN", Role::Officer, 1, None).await)
        .await;
    t.say(&hn_officer, "/xuat").await;
    t.press(&hn_officer, "exp:what:members").await;
    t.press(&hn_officer, "exp:fmt:xlsx").await;
    let (_, bytes) = t.fake.uploads_to(hn_officer.id).pop().expect("bytes");
    let mut exported: Vec<String> = sheet_rows(&bytes)[1..]
        .iter()
        .map(|r| r[2].clone())
        .collect();
    exported.sort();
    assert_eq!(exported, names_in(&t, "HN").await);
    assert!(!exported.contains(&worker));

    // Forged or stale buttons and members: nothing is sent.
    let uploads = t.fake.uploads_to(c.officer.id).len();
    let stale = texts(&t.press(&c.officer, "exp:fmt:xlsx").await);
    assert!(stale.contains("hết hiệu lực"), "{stale}");
    t.say(&c.officer, "/xuat").await;
    let forged = texts(&t.press(&c.officer, "exp:what:passwords").await);
    assert!(!forged.is_empty());
    assert_eq!(t.fake.uploads_to(c.officer.id).len(), uploads);
    let member = texts(&t.say(&c.worker, "/xuat").await);
    assert!(member.contains("chỉ dành cho cán bộ"), "{member}");
    assert!(t.fake.uploads_to(c.worker.id).is_empty());
    t.finish().await;
}

async fn the_export_command_writes_the_same_rows(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 7400).await;
    seed(&t, &c).await;
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("ky.xlsx");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .args([
            "export",
            "signatures",
            "--unit",
            "KCX-TT",
            "--format",
            "xlsx",
            "--out",
        ])
        .arg(&out)
        .env("DATABASE_URL", &t.db.url)
        .env("CONGDOAN_LANG", "vi")
        .output()
        .expect("run export");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("Đã ghi 2 dòng"));
    let rows = sheet_rows(&std::fs::read(&out).expect("file"));
    assert_eq!(rows.len(), 3);
    let mut signers: Vec<String> = rows[1..].iter().map(|r| r[3].clone()).collect();
    signers.sort();
    let mut expected = vec![c.worker.first_name.clone(), c.leader.first_name.clone()];
    expected.sort();
    assert_eq!(signers, expected);

    // Bad input: a clear message, no file.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .args(["export", "passwords", "--unit", "KCX-TT", "--out"])
        .arg(dir.path().join("x.xlsx"))
        .env("DATABASE_URL", &t.db.url)
        .env("CONGDOAN_LANG", "vi")
        .output()
        .expect("run export");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("members|signatures|tips|deliveries"));
    assert!(!dir.path().join("x.xlsx").exists());
    t.finish().await;
}

/// A province-sized member list is not built in memory and pushed through chat: the
/// officer is told how big it is and what to do instead, and nothing is uploaded.
async fn an_export_too_big_for_chat_is_refused_plainly(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 7900).await;
    let abc = unit_id(&t, "CDCS-ABC").await;
    sqlx::query(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 100000)
         INSERT INTO members (unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT $1, 'member', 'Đoàn viên ' || CAST(n AS TEXT), 'vi', 0, 0 FROM seq",
    )
    .bind(abc)
    .execute(t.store.pool())
    .await
    .expect("a province's worth of members");
    let total = t
        .count(
            "SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
             WHERE u.path LIKE (SELECT path FROM units WHERE code = 'CDCS-ABC') || '%'",
        )
        .await;
    assert!(total > 100_000, "{total}");

    t.say(&c.officer, "/xuat").await;
    t.press(&c.officer, "exp:what:members").await;
    let answer = texts(&t.press(&c.officer, "exp:fmt:xlsx").await);
    assert!(answer.contains("quá lớn để gửi qua chat"), "{answer}");
    assert!(answer.contains(&total.to_string()), "{answer}");
    assert!(answer.contains("100000"), "{answer}");
    assert!(t.fake.uploads_to(c.officer.id).is_empty());
    // A small export from the same officer still works.
    t.say(&c.officer, "/xuat").await;
    t.press(&c.officer, "exp:what:tips").await;
    t.press(&c.officer, "exp:fmt:csv").await;
    assert_eq!(t.fake.uploads_to(c.officer.id).len(), 1);
    t.finish().await;
}
