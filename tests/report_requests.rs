//! Report requests up the tree (`/baocao`): an officer asks three housing groups for a
//! report; two fill it (buttons, typed answers, saved half-way and continued, submitted
//! again), one is reminded 3 days, 1 day before and on the day (an injected clock, by day
//! only) and listed overdue to the requester; the compiled sums are checked against SQL,
//! a report goes back with a note, the .xlsx has one row per unit; forged data and other
//! branches are refused in the chat and again in the store.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::Duration;
use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, TestApp, TgUser, texts};
use congdoan_bot::core::calendar::{local_date, local_time_ms};
use congdoan_bot::core::conversation::{Answer, ItemKind, ReportItem, RequestDraft};
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::org::parse_units_csv;
use congdoan_bot::scheduler;
use congdoan_bot::store::{members, report_requests};
use sqlx::Row;

on_both_backends!(
    three_units_asked_two_submit_one_is_reminded_and_overdue,
    forged_and_out_of_scope_reports_are_refused,
    a_request_made_and_filled_on_zalo_by_typed_answers_only,
    the_chain_passes_a_request_down_and_sends_the_compiled_result_up,
    a_published_directive_offers_its_report_request_prefilled,
    every_unit_of_a_kind_is_asked_the_letter_is_a_docx_and_a_closed_request_takes_no_more,
    a_registration_is_submitted_once_and_its_self_assessment_rolls_up,
    the_directives_offer_works_by_typed_words_on_zalo,
    a_result_over_many_units_stays_short,
);

const TITLE: &str = "Kết quả tuyên truyền <Chỉ thị 48> & an ninh";

struct People {
    officer: TgUser,
    leader1: TgUser,
    leader2: TgUser,
    leader3: TgUser,
    worker: TgUser,
    hn_officer: TgUser,
}

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE code = $1")
        .bind(code.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .try_get("id")
        .expect("id")
}

/// A third housing group under CDCS-ABC, an officer there, a leader in each group, a
/// member of TTQ-01, and an officer of another branch (HN).
async fn people(t: &TestApp, base: i64) -> People {
    let extra = "code,parent_code,name,kind\nTTQ-03,CDCS-ABC,Tổ tự quản nhà trọ số 3,to_tu_quan\n";
    t.store
        .import_units(&parse_units_csv(extra.as_bytes()).expect("csv"))
        .await
        .expect("import");
    let p = People {
        officer: TgUser::new(base + 1, "Cán bộ Thu"),
        leader1: TgUser::new(base + 2, "Tổ trưởng Hùng"),
        leader2: TgUser::new(base + 3, "Tổ trưởng Mai"),
        leader3: TgUser::new(base + 4, "Tổ trưởng Lan"),
        worker: TgUser::new(base + 5, "Công nhân Hoa"),
        hn_officer: TgUser::new(base + 6, "Cán bộ Hà Nội"),
    };
    for (u, unit, role) in [
        (&p.officer, "CDCS-ABC", Role::Officer),
        (&p.leader1, "TTQ-01", Role::Leader),
        (&p.leader2, "TTQ-02", Role::Leader),
        (&p.leader3, "TTQ-03", Role::Leader),
        (&p.worker, "TTQ-01", Role::Member),
        (&p.hn_officer, "HN", Role::Officer),
    ] {
        t.join(u, &t.invite(unit, role, 1, None).await).await;
    }
    p
}

fn deadline_text(days: i64) -> String {
    (local_date(now_ms()) + Duration::days(days))
        .format("%-d/%-m/%Y")
        .to_string()
}

fn data_of(sent: &[common::Sent]) -> Vec<String> {
    sent.iter()
        .flat_map(|m| m.buttons.iter())
        .map(|(_, d)| d.clone())
        .collect()
}

/// The officer prepares the request through the whole chat flow, to the units given by
/// the numbers typed at the targets question; returns its id.
async fn create_request(t: &TestApp, officer: &TgUser, pick: &str) -> i64 {
    let menu = t.say(officer, "/baocao").await;
    assert!(data_of(&menu).contains(&"rq:new".to_string()), "{menu:?}");
    let title_q = texts(&t.press(officer, "rq:new").await);
    assert!(title_q.contains("Gửi tiêu đề báo cáo"), "{title_q}");
    let item1 = texts(&t.say(officer, TITLE).await);
    assert!(item1.contains("mục 1"), "{item1}");
    let kind = t.say(officer, "Số buổi tuyên truyền").await;
    assert_eq!(
        data_of(&kind),
        [
            "rq:kind:number",
            "rq:kind:yes_no",
            "rq:kind:text",
            "rq:kind:choice"
        ]
    );
    let item2 = t.press(officer, "rq:kind:number").await;
    assert!(texts(&item2).contains("mục 2"), "{item2:?}");
    assert_eq!(data_of(&item2), ["rq:items:done"]);
    t.say(officer, "Số người tham gia").await;
    // Typed, as on Zalo: "1" is "a number".
    t.say(officer, "1").await;
    t.say(officer, "Đã ký quy chế phối hợp với công an phường?")
        .await;
    t.press(officer, "rq:kind:yes_no").await;
    t.say(officer, "Khó khăn, kiến nghị").await;
    let deadline_q = texts(&t.say(officer, "3").await);
    assert!(deadline_q.contains("mục 5"), "{deadline_q}");
    let deadline_q = texts(&t.say(officer, "xong").await);
    assert!(deadline_q.contains("Hạn nộp"), "{deadline_q}");
    let past = texts(&t.say(officer, "1/1/2020").await);
    assert!(past.contains("phải sau hôm nay"), "{past}");
    let targets = t.say(officer, &deadline_text(5)).await;
    let (u1, u2, u3) = (
        unit_id(t, "TTQ-01").await,
        unit_id(t, "TTQ-02").await,
        unit_id(t, "TTQ-03").await,
    );
    assert_eq!(
        data_of(&targets),
        [
            "rq:units:all".to_string(),
            format!("rq:unit:{u1}"),
            format!("rq:unit:{u2}"),
            format!("rq:unit:{u3}"),
        ]
    );
    let ticked = t.say(officer, pick).await;
    assert!(
        data_of(&ticked).contains(&"rq:units:done".to_string()),
        "{ticked:?}"
    );
    let confirm = texts(&t.press(officer, "rq:units:done").await);
    assert!(
        confirm.contains("&lt;Chỉ thị 48&gt; &amp; an ninh"),
        "escaped: {confirm}"
    );
    let sent = texts(&t.press(officer, "rq:send").await);
    assert!(sent.contains("Đã gửi yêu cầu"), "{sent}");
    t.wait_outbox_empty().await;
    sqlx::query("SELECT MAX(id) AS id FROM report_requests")
        .fetch_one(t.store.pool())
        .await
        .expect("db")
        .try_get("id")
        .expect("id")
}

/// Per item: the sum of the numbers (yes = 1) and the units that answered, recounted
/// from the rows of the current, accepted reports.
async fn recount(t: &TestApp, request: i64, item: i64) -> (i64, i64) {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(a.num), 0) AS BIGINT) AS total, COUNT(a.item) AS answered
         FROM report_answers a, report_submissions s, report_targets t
         WHERE a.submission_id = s.id AND s.request_id = $1 AND a.item = $2
           AND s.superseded_at IS NULL AND t.request_id = s.request_id
           AND t.unit_id = s.unit_id AND t.status = 'submitted'",
    )
    .bind(request)
    .bind(item)
    .fetch_one(t.store.pool())
    .await
    .expect("recount");
    (
        r.try_get("total").expect("total"),
        r.try_get("answered").expect("answered"),
    )
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

async fn three_units_asked_two_submit_one_is_reminded_and_overdue(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let p = people(&t, 30_000).await;
    let id = create_request(&t, &p.officer, "2 3 4").await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_targets WHERE status = 'pending'")
            .await,
        3
    );

    // The three leaders got it with the fill button; the member, the officer and the
    // other branch did not.
    let fill = format!("rq:fill:{id}");
    for l in [&p.leader1, &p.leader2, &p.leader3] {
        let got = t.fake.sent_to(l.id);
        assert!(data_of(&got).contains(&fill), "{got:?}");
        let text = texts(&got);
        assert!(text.contains("yêu cầu báo cáo"), "{text}");
        assert!(text.contains("4. Khó khăn, kiến nghị"), "{text}");
    }
    for u in [&p.worker, &p.hn_officer, &p.officer] {
        assert!(!data_of(&t.fake.sent_to(u.id)).contains(&fill));
    }

    // TTQ-01 fills by buttons and typed answers, stops half-way, continues, submits.
    let first = texts(&t.press(&p.leader1, &fill).await);
    assert!(first.contains("Mục 1/4"), "{first}");
    let bad = texts(&t.say(&p.leader1, "mười hai").await);
    assert!(bad.contains("Cần một số nguyên"), "{bad}");
    t.say(&p.leader1, "12").await;
    let yes_no = t.say(&p.leader1, "1.200").await;
    assert!(texts(&yes_no).contains("Mục 3/4"), "{yes_no:?}");
    assert_eq!(data_of(&yes_no), ["rq:yes", "rq:no", "rq:pause"]);
    // Another flow's old button in the middle: it answers, and the question comes again.
    let kept = texts(&t.press(&p.leader1, "cm:sign:999:1").await);
    assert!(kept.contains("không dành cho bạn"), "{kept}");
    assert!(kept.contains("Mục 3/4"), "{kept}");
    let paused = texts(&t.say(&p.leader1, "dừng").await);
    assert!(paused.contains("Đã lưu"), "{paused}");
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 1);
    let menu = t.say(&p.leader1, "/baocao").await;
    assert_eq!(data_of(&menu), std::slice::from_ref(&fill));
    let resumed = texts(&t.say(&p.leader1, "1").await);
    assert!(
        resumed.contains("Mục 3/4"),
        "continues where it stopped: {resumed}"
    );
    let text_q = texts(&t.press(&p.leader1, "rq:yes").await);
    assert!(text_q.contains("Mục 4/4"), "{text_q}");
    let review = texts(&t.say(&p.leader1, "Thiếu tài liệu <in>").await);
    assert!(review.contains("Thiếu tài liệu &lt;in&gt;"), "{review}");
    assert!(review.contains("<b>1200</b>"), "{review}");
    let done = texts(&t.say(&p.leader1, "1").await);
    assert!(done.contains("Đã nộp báo cáo"), "{done}");
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 0);

    // TTQ-03 submits with typed answers only.
    t.press(&p.leader3, &fill).await;
    for answer in ["7", "300", "2", "Không có"] {
        t.say(&p.leader3, answer).await;
    }
    let done = texts(&t.press(&p.leader3, "rq:submit").await);
    assert!(done.contains("Đã nộp báo cáo"), "{done}");

    // TTQ-01 changes one number before the deadline: the new report replaces the old,
    // which is kept.
    let again = t.say(&p.leader1, "/baocao").await;
    assert!(
        again[0].buttons[0].0.starts_with("1. Sửa báo cáo đã nộp"),
        "{again:?}"
    );
    let review = texts(&t.say(&p.leader1, "1").await);
    assert!(review.contains("Kiểm tra báo cáo"), "{review}");
    let redo = t.say(&p.leader1, "2").await;
    assert!(data_of(&redo).contains(&"rq:keep".to_string()), "{redo:?}");
    t.say(&p.leader1, "15").await;
    t.say(&p.leader1, "giữ").await;
    t.press(&p.leader1, "rq:keep").await;
    t.say(&p.leader1, "giữ").await;
    let done = texts(&t.press(&p.leader1, "rq:submit").await);
    assert!(done.contains("Đã nộp lại"), "{done}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_submissions").await,
        3,
        "history kept"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_submissions WHERE superseded_at IS NULL")
            .await,
        2
    );
    let told = texts(&t.fake.sent_to(p.officer.id));
    assert!(
        told.contains("Tổ tự quản nhà trọ số 3 đã nộp báo cáo"),
        "{told}"
    );

    // The compiled result: sums exact, checked against a recount in SQL.
    assert_eq!(recount(&t, id, 0).await, (22, 2));
    assert_eq!(recount(&t, id, 1).await, (1500, 2));
    assert_eq!(recount(&t, id, 2).await, (1, 2));
    let view = t.press(&p.officer, &format!("rq:view:{id}")).await;
    let shown = texts(&view);
    assert!(shown.contains("2/3 đơn vị đã nộp"), "{shown}");
    assert!(shown.contains("Tổng: <b>22</b> (2 đơn vị)"), "{shown}");
    assert!(shown.contains("Tổng: <b>1500</b> (2 đơn vị)"), "{shown}");
    assert!(shown.contains("Có: 1, Không: 1"), "{shown}");
    assert!(
        shown.contains("– Tổ tự quản nhà trọ số 1: Thiếu tài liệu &lt;in&gt;"),
        "{shown}"
    );
    assert!(
        shown.contains("– Tổ tự quản nhà trọ số 3: Không có"),
        "{shown}"
    );
    assert!(
        shown.contains("• Tổ tự quản nhà trọ số 2: chưa nộp"),
        "{shown}"
    );
    assert_eq!(
        data_of(&view),
        [
            format!("rq:xlsx:{id}"),
            format!("rq:ret:{id}"),
            format!("rq:docx:{id}"),
            format!("rq:close:{id}")
        ]
    );

    // The .xlsx: one row per unit, the numbers as numbers.
    t.press(&p.officer, &format!("rq:xlsx:{id}")).await;
    let (name, bytes) = t.fake.uploads_to(p.officer.id).pop().expect("a file");
    assert_eq!(name, format!("bao-cao-{id}.xlsx"));
    let rows = sheet_rows(&bytes);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0][0], "Đơn vị");
    assert_eq!(rows[0][3], "Số buổi tuyên truyền");
    assert_eq!(rows[1][0], "Tổ tự quản nhà trọ số 1");
    assert_eq!(rows[1][3..], ["15", "1200", "Có", "Thiếu tài liệu <in>"]);
    assert_eq!(rows[2][1], "Chưa nộp");
    assert_eq!(rows[3][3..], ["7", "300", "Không", "Không có"]);

    // TTQ-03's report goes back with a note (typed choice, as on Zalo).
    let which = t.say(&p.officer, "2").await;
    let u3 = unit_id(&t, "TTQ-03").await;
    assert!(
        data_of(&which).contains(&format!("rq:retu:{id}:{u3}")),
        "{which:?}"
    );
    t.press(&p.officer, &format!("rq:retu:{id}:{u3}")).await;
    let back = texts(&t.say(&p.officer, "Bổ sung số người tham gia tháng 8").await);
    assert!(back.contains("Đã trả lại"), "{back}");
    t.wait_outbox_empty().await;
    let got = texts(&t.fake.sent_to(p.leader3.id));
    assert!(got.contains("Bổ sung số người tham gia tháng 8"), "{got}");
    // A report sent back leaves the sums until it comes again.
    assert_eq!(recount(&t, id, 0).await, (15, 1));
    let shown = texts(&t.press(&p.officer, &format!("rq:view:{id}")).await);
    assert!(shown.contains("Tổng: <b>15</b> (1 đơn vị)"), "{shown}");
    let head = texts(&t.press(&p.leader3, &fill).await);
    assert!(head.contains("đề nghị bổ sung"), "{head}");
    assert!(head.contains("Kiểm tra báo cáo"), "{head}");
    t.press(&p.leader3, "rq:redo").await;
    for answer in ["giữ", "320", "giữ", "giữ"] {
        t.say(&p.leader3, answer).await;
    }
    t.say(&p.leader3, "1").await;
    assert_eq!(recount(&t, id, 1).await, (1520, 2));

    // Reminders to TTQ-02 only, by day only, each once; then the overdue list.
    t.digests_off().await;
    let i18n = I18n::new();
    let today = local_date(now_ms());
    let at = |days: i64, hour: u32| local_time_ms(today + Duration::days(days), hour).expect("t");
    let tick = |ms: i64| {
        let store = t.store.clone();
        let i18n = &i18n;
        async move { scheduler::tick(&store, i18n, ms).await.expect("tick") }
    };
    assert_eq!(tick(at(1, 9)).await, 0, "4 days before");
    assert_eq!(tick(at(2, 7)).await, 0, "not before 8:00");
    assert_eq!(tick(at(2, 9)).await, 1, "3 days before");
    assert_eq!(tick(at(2, 15)).await, 0, "once");
    assert_eq!(tick(at(4, 20)).await, 0, "never at night");
    assert_eq!(tick(at(4, 10)).await, 1, "the day before");
    assert_eq!(tick(at(5, 8)).await, 1, "on the day");
    assert_eq!(tick(at(6, 6)).await, 0, "never at night");
    assert_eq!(
        tick(at(6, 9)).await,
        1,
        "the overdue list, to the requester"
    );
    assert_eq!(tick(at(7, 9)).await, 0);
    t.wait_outbox_empty().await;
    let got = texts(&t.fake.sent_to(p.leader2.id));
    assert!(got.contains("Còn 3 ngày"), "{got}");
    assert!(got.contains("Còn 1 ngày"), "{got}");
    assert!(got.contains("Hôm nay"), "{got}");
    for l in [&p.leader1, &p.leader3] {
        assert!(!texts(&t.fake.sent_to(l.id)).contains("Còn 3 ngày"));
    }
    let told = texts(&t.fake.sent_to(p.officer.id));
    assert!(
        told.contains("1 đơn vị chưa nộp: Tổ tự quản nhà trọ số 2."),
        "{told}"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM report_reminders").await, 4);
    t.finish().await;
}

async fn forged_and_out_of_scope_reports_are_refused(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let p = people(&t, 31_000).await;
    let id = create_request(&t, &p.officer, "2").await;
    let fill = format!("rq:fill:{id}");
    // Only TTQ-01 was asked.
    assert!(!data_of(&t.fake.sent_to(p.leader2.id)).contains(&fill));
    for (who, data, expect) in [
        (&p.worker, fill.clone(), "không dành cho đơn vị bạn"),
        (&p.leader2, fill.clone(), "không dành cho đơn vị bạn"),
        (
            &p.leader1,
            format!("rq:fill:{}", id + 100),
            "không dành cho đơn vị bạn",
        ),
        (&p.leader1, "rq:fill:abc".to_string(), "hết hiệu lực"),
        (&p.worker, "rq:new".to_string(), "chỉ dành cho cán bộ"),
        (&p.leader1, format!("rq:view:{id}"), "chỉ dành cho cán bộ"),
        (&p.hn_officer, format!("rq:view:{id}"), "Không tìm thấy"),
        (&p.hn_officer, format!("rq:xlsx:{id}"), "Không tìm thấy"),
        (&p.hn_officer, format!("rq:ret:{id}"), "Không tìm thấy"),
    ] {
        let r = texts(&t.press(who, &data).await);
        assert!(r.contains(expect), "{data}: {r}");
    }
    assert!(t.fake.uploads_to(p.hn_officer.id).is_empty());
    assert!(texts(&t.say(&p.worker, "/baocao").await).contains("không có yêu cầu"));

    // The store refuses on its own what the chat would never send.
    let member = |u: &TgUser| {
        let store = t.store.clone();
        let id = u.id.to_string();
        async move {
            let mut conn = store.pool().acquire().await.expect("conn");
            members::by_identity(&mut conn, "telegram", &id)
                .await
                .expect("db")
                .expect("member")
        }
    };
    let (leader1, worker, officer, hn) = (
        member(&p.leader1).await,
        member(&p.worker).await,
        member(&p.officer).await,
        member(&p.hn_officer).await,
    );
    let i18n = I18n::new();
    let good = vec![
        Some(Answer::Number(3)),
        Some(Answer::Number(40)),
        Some(Answer::YesNo(true)),
        Some(Answer::Text("Ổn".into())),
    ];
    let mut wrong_kind = good.clone();
    wrong_kind[2] = Some(Answer::Number(1));
    let mut negative = good.clone();
    negative[0] = Some(Answer::Number(-5));
    let mut huge = good.clone();
    huge[1] = Some(Answer::Number(i64::MAX));
    let mut not_a_choice = good.clone();
    not_a_choice[2] = Some(Answer::Choice(0));
    let mut blank = good.clone();
    blank[3] = Some(Answer::Text("   ".into()));
    let u2 = unit_id(&t, "TTQ-02").await;
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let now = now_ms();
    for (who, unit, answers) in [
        (&leader1, leader1.unit_id, wrong_kind),
        (&leader1, leader1.unit_id, negative),
        (&leader1, leader1.unit_id, huge),
        (&leader1, leader1.unit_id, blank),
        (&leader1, leader1.unit_id, not_a_choice),
        (&leader1, leader1.unit_id, good[..3].to_vec()),
        (&leader1, u2, good.clone()),
        (&worker, worker.unit_id, good.clone()),
        (&hn, hn.unit_id, good.clone()),
    ] {
        let ok = report_requests::submit(&mut conn, &i18n, who, id, unit, &answers, now)
            .await
            .expect("db");
        assert!(!ok, "{} for unit {unit}: {answers:?}", who.display_name);
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM report_submissions").await, 0);
    // Targets outside the officer's children, or a non-officer asking: nothing created.
    let draft = |units: Vec<i64>| RequestDraft {
        title: "Giả mạo".into(),
        items: vec![ReportItem {
            label: "Số".into(),
            kind: ItemKind::Number,
            options: vec![],
        }],
        deadline_at: now + 86_400_000,
        units,
        ..RequestDraft::default()
    };
    let hn_unit = hn.unit_id;
    let kcx = unit_id(&t, "KCX-TT").await;
    for (who, units) in [
        (&officer, vec![hn_unit]),
        (&officer, vec![kcx]),
        (&officer, vec![officer.unit_id]),
        (&leader1, vec![leader1.unit_id]),
        (&hn, vec![u2]),
    ] {
        let made = report_requests::create(&mut conn, &i18n, who, &draft(units.clone()), now)
            .await
            .expect("db");
        assert_eq!(made, None, "{}: {units:?}", who.display_name);
    }
    // Passing down a request one's own unit was not asked: refused.
    let u1 = unit_id(&t, "TTQ-01").await;
    let passed = RequestDraft {
        parent: Some(id),
        ..draft(vec![u1])
    };
    let made = report_requests::create(&mut conn, &i18n, &officer, &passed, now)
        .await
        .expect("db");
    assert_eq!(made, None);
    assert_eq!(t.count("SELECT COUNT(*) FROM report_requests").await, 1);
    assert!(
        report_requests::compiled(&mut conn, id, "/999/")
            .await
            .expect("db")
            .is_none()
    );
    // A real submission, then: another branch can't send it back.
    assert!(
        report_requests::submit(&mut conn, &i18n, &leader1, id, leader1.unit_id, &good, now)
            .await
            .expect("db")
    );
    let sent_back =
        report_requests::send_back(&mut conn, &i18n, &hn, id, leader1.unit_id, "x", now)
            .await
            .expect("db");
    assert!(!sent_back);
    drop(conn);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_targets WHERE status = 'submitted'")
            .await,
        1
    );
    // After the deadline a submitted report can't be replaced.
    sqlx::query("UPDATE report_requests SET deadline_at = $1")
        .bind(now - 1000)
        .execute(t.store.pool())
        .await
        .expect("db");
    let late = texts(&t.press(&p.leader1, &fill).await);
    assert!(late.contains("quá hạn"), "{late}");
    assert_eq!(t.count("SELECT COUNT(*) FROM report_submissions").await, 1);
    t.finish().await;
}

/// Zalo has no buttons: the officer prepares the request and the leader fills it by
/// typed numbers and words only; both read plain text.
async fn a_request_made_and_filled_on_zalo_by_typed_answers_only(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let officer = ZaloUser::new("0ff1ce7a", "Cán bộ Hà");
    t.say(
        &officer,
        t.invite("CDCS-ABC", Role::Officer, 1, None).await.as_str(),
    )
    .await;
    t.say(&officer, "1").await;
    let leader = ZaloUser::new("1eade77b", "Tổ trưởng Lan");
    t.say(
        &leader,
        t.invite("TTQ-01", Role::Leader, 1, None).await.as_str(),
    )
    .await;
    t.say(&leader, "1").await;

    let menu = ztexts(&t.say(&officer, "/baocao").await);
    assert!(menu.contains("1. Tạo yêu cầu báo cáo mới"), "{menu}");
    t.say(&officer, "1").await;
    t.say(&officer, "Báo cáo tháng 8 <KCN>").await;
    t.say(&officer, "Số vụ việc đã phối hợp xử lý").await;
    let kinds = ztexts(&t.say(&officer, "1").await);
    assert!(kinds.contains("xong"), "{kinds}");
    t.say(&officer, "Có tổ chức đối thoại không?").await;
    t.say(&officer, "2").await;
    t.say(&officer, "Đánh giá chung").await;
    let options_q = ztexts(&t.say(&officer, "4").await);
    assert!(options_q.contains("chấm phẩy"), "{options_q}");
    let bad = ztexts(&t.say(&officer, "Tốt").await);
    assert!(bad.contains("Cần 2 đến 6 phương án"), "{bad}");
    t.say(&officer, "Tốt; Khá; Chưa đạt").await;
    t.say(&officer, "xong").await;
    let targets = ztexts(&t.say(&officer, &deadline_text(3)).await);
    assert!(
        targets.contains("1. Tất cả đơn vị trực thuộc")
            && targets.contains("2. ☐ Tổ tự quản nhà trọ số 1"),
        "{targets}"
    );
    let confirm = ztexts(&t.say(&officer, "1").await);
    assert!(
        confirm.contains("Báo cáo tháng 8 <KCN>"),
        "plain: {confirm}"
    );
    assert!(confirm.contains("1. Gửi yêu cầu"), "{confirm}");
    let sent = ztexts(&t.say(&officer, "1").await);
    assert!(sent.contains("Đã gửi yêu cầu"), "{sent}");
    t.wait_outbox_empty().await;
    let notice = ztexts(&t.zalo.sent_to(&leader.id));
    assert!(notice.contains("gõ /baocao"), "{notice}");

    let menu = ztexts(&t.say(&leader, "/baocao").await);
    assert!(menu.contains("1. Điền: Báo cáo tháng 8"), "{menu}");
    let item = ztexts(&t.say(&leader, "1").await);
    assert!(item.contains("Gõ một số nguyên"), "{item}");
    let yes_no = ztexts(&t.say(&leader, "5").await);
    assert!(
        yes_no.contains("1. Có") && yes_no.contains("2. Không"),
        "{yes_no}"
    );
    let choice = ztexts(&t.say(&leader, "có").await);
    assert!(
        choice.contains("1. Tốt") && choice.contains("3. Chưa đạt") && choice.contains("4. Lưu"),
        "{choice}"
    );
    let wrong = ztexts(&t.say(&leader, "7").await);
    assert!(wrong.contains("chọn một trong"), "{wrong}");
    let review = ztexts(&t.say(&leader, "2").await);
    assert!(review.contains("Đánh giá chung: Khá"), "{review}");
    assert!(review.contains("1. Nộp báo cáo"), "{review}");
    let done = ztexts(&t.say(&leader, "1").await);
    assert!(done.contains("Đã nộp báo cáo"), "{done}");
    t.wait_outbox_empty().await;

    let told = ztexts(&t.zalo.sent_to(&officer.id));
    assert!(told.contains("Tổ tự quản nhà trọ số 1 đã nộp"), "{told}");
    let menu = ztexts(&t.say(&officer, "/baocao").await);
    assert!(menu.contains("2. Xem kết quả: Báo cáo tháng 8"), "{menu}");
    let view = ztexts(&t.say(&officer, "2").await);
    assert!(view.contains("1/2 đơn vị đã nộp"), "{view}");
    assert!(view.contains("Tổng: 5 (1 đơn vị)"), "{view}");
    assert!(view.contains("Có: 1, Không: 0"), "{view}");
    assert!(view.contains("Tốt: 0, Khá: 1, Chưa đạt: 0"), "{view}");
    assert!(!view.contains("<b>"), "{view}");
    assert_eq!(t.count("SELECT COUNT(*) FROM report_answers").await, 3);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_answers WHERE item = 2 AND num = 1")
            .await,
        1
    );
    t.finish().await;
}

async fn newest_request(t: &TestApp) -> i64 {
    sqlx::query("SELECT MAX(id) AS id FROM report_requests")
        .fetch_one(t.store.pool())
        .await
        .expect("db")
        .try_get("id")
        .expect("id")
}

/// The export zone's union asks its grassroots union; the grassroots union passes the
/// request down to its two housing groups, compiles their reports, adds its own part and
/// sends the result up in one report.
async fn the_chain_passes_a_request_down_and_sends_the_compiled_result_up(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let kcx = TgUser::new(32_001, "Cán bộ KCX");
    let cdcs = TgUser::new(32_002, "Cán bộ Thu");
    let leader1 = TgUser::new(32_003, "Tổ trưởng Hùng");
    let leader2 = TgUser::new(32_004, "Tổ trưởng Mai");
    let hn = TgUser::new(32_005, "Cán bộ Hà Nội");
    for (u, unit, role) in [
        (&kcx, "KCX-TT", Role::Officer),
        (&cdcs, "CDCS-ABC", Role::Officer),
        (&leader1, "TTQ-01", Role::Leader),
        (&leader2, "TTQ-02", Role::Leader),
        (&hn, "HN", Role::Officer),
    ] {
        t.join(u, &t.invite(unit, role, 1, None).await).await;
    }
    // The zone asks (typed answers throughout).
    for step in [
        "/baocao",
        "1",
        "Tuyên truyền Ngày hội 19/8",
        "Số buổi tuyên truyền",
        "1",
        "Kiến nghị",
        "3",
        "xong",
        &deadline_text(6),
        "1",
        "1",
    ] {
        t.say(&kcx, step).await;
    }
    let parent = newest_request(&t).await;
    assert!(data_of(&t.fake.sent_to(cdcs.id)).contains(&format!("rq:fill:{parent}")));

    // The grassroots union passes it down.
    let menu = t.say(&cdcs, "/baocao").await;
    let down = format!("rq:down:{parent}");
    assert_eq!(
        data_of(&menu),
        [
            "rq:new".to_string(),
            format!("rq:fill:{parent}"),
            down.clone()
        ]
    );
    let asked = texts(&t.press(&cdcs, &down).await);
    assert!(asked.contains("Hạn nộp"), "{asked}");
    t.say(&cdcs, &deadline_text(4)).await;
    t.say(&cdcs, "1").await;
    let sent = texts(&t.say(&cdcs, "1").await);
    assert!(sent.contains("Đã gửi yêu cầu"), "{sent}");
    let child = newest_request(&t).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_requests WHERE parent_request_id IS NOT NULL")
            .await,
        1
    );
    let menu = t.say(&cdcs, "/baocao").await;
    assert!(
        !data_of(&menu).contains(&down),
        "passed down once: {menu:?}"
    );

    // The housing groups report.
    for (leader, answers) in [(&leader1, ["12", "Thiếu loa"]), (&leader2, ["8", "Ổn"])] {
        t.press(leader, &format!("rq:fill:{child}")).await;
        for a in answers {
            t.say(leader, a).await;
        }
        let done = texts(&t.say(leader, "1").await);
        assert!(done.contains("Đã nộp báo cáo"), "{done}");
    }
    assert_eq!(recount(&t, child, 0).await, (20, 2));

    // Only the grassroots union's officer sends it up, and only their own request's.
    for (who, data, expect) in [
        (&leader1, format!("rq:up:{child}"), "chỉ dành cho cán bộ"),
        (&hn, format!("rq:up:{child}"), "Không tìm thấy"),
        (&kcx, format!("rq:up:{parent}"), "Không tìm thấy"),
    ] {
        let r = texts(&t.press(who, &data).await);
        assert!(r.contains(expect), "{data}: {r}");
    }
    let view = t.press(&cdcs, &format!("rq:view:{child}")).await;
    assert_eq!(
        data_of(&view),
        [
            format!("rq:up:{child}"),
            format!("rq:xlsx:{child}"),
            format!("rq:ret:{child}"),
            format!("rq:docx:{child}"),
            format!("rq:close:{child}")
        ]
    );
    let filled = texts(&t.press(&cdcs, &format!("rq:up:{child}")).await);
    assert!(filled.contains("Đã điền sẵn"), "{filled}");
    assert!(filled.contains("<b>20</b>"), "{filled}");
    assert!(
        filled.contains("Tổ tự quản nhà trọ số 1: Thiếu loa; Tổ tự quản nhà trọ số 2: Ổn"),
        "{filled}"
    );
    // The grassroots union adds its own: 3 sessions of its own, and a line.
    t.say(&cdcs, "2").await;
    t.say(&cdcs, "23").await;
    t.say(
        &cdcs,
        "Tổ 1: thiếu loa; tổ 2: ổn; công đoàn cơ sở đề nghị cấp thêm tài liệu",
    )
    .await;
    let done = texts(&t.say(&cdcs, "1").await);
    assert!(done.contains("Đã nộp báo cáo"), "{done}");

    // The zone sees one report from the grassroots union, with its lines.
    assert_eq!(recount(&t, parent, 0).await, (23, 1));
    let shown = texts(&t.press(&kcx, &format!("rq:view:{parent}")).await);
    assert!(shown.contains("1/1 đơn vị đã nộp"), "{shown}");
    assert!(shown.contains("Tổng: <b>23</b> (1 đơn vị)"), "{shown}");
    assert!(
        shown.contains("công đoàn cơ sở đề nghị cấp thêm tài liệu"),
        "{shown}"
    );

    // The grassroots union's letter goes to the zone that asked it.
    t.press(&cdcs, &format!("rq:docx:{child}")).await;
    let (_, bytes) = t.fake.uploads_to(cdcs.id).pop().expect("a letter");
    let xml = docx_xml(&bytes);
    assert!(
        xml.contains("Kính gửi: Công đoàn Khu chế xuất Tân Thuận"),
        "{xml}"
    );
    assert!(
        xml.contains("CÔNG ĐOÀN CƠ SỞ CÔNG TY MAY &lt;ABC&gt; &amp; CO"),
        "{xml}"
    );

    // A leader who reported deletes their data: the unit's report stays, without them.
    t.say(&leader1, "/xoadulieu").await;
    t.press(&leader1, "delete:yes").await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_submissions WHERE member_id IS NULL")
            .await,
        1
    );
    assert_eq!(recount(&t, child, 0).await, (20, 2));
    t.finish().await;
}

/// A letter whose closing line asks for a report by a date, `days` from today.
fn directive_text(days: i64) -> String {
    format!(
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HỒ CHÍ MINH
CÔNG ĐOÀN KHU CHẾ XUẤT TÂN THUẬN
Số: 63/KH-CĐKCX
V/v hưởng ứng Ngày hội toàn dân bảo vệ an ninh Tổ quốc
Thành phố Hồ Chí Minh, ngày 20 tháng 7 năm 2026

Kính gửi: Các Công đoàn cơ sở trực thuộc.

Thực hiện Chỉ thị số 09-CT/TW ngày 01/12/2011 của Ban Bí thư, Công đoàn Khu chế xuất yêu cầu các cấp công đoàn thực hiện các nội dung sau:

1. Tuyên truyền đến toàn thể đoàn viên, công nhân về Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ngày 19/8).
2. Vận động công nhân ký cam kết thực hiện tiêu chuẩn “An toàn về an ninh, trật tự”.

Các đơn vị báo cáo kết quả về Ban Tuyên giáo Công đoàn Khu chế xuất trước ngày {}.
",
        deadline_text(days)
    )
}

/// Right after publishing a directive whose closing line asks for a report by a date,
/// the officer is offered the report request with its title and deadline filled in.
async fn a_published_directive_offers_its_report_request_prefilled(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let p = people(&t, 33_000).await;
    let review = texts(&t.say(&p.officer, &directive_text(9)).await);
    assert!(review.contains("Bản nháp"), "{review}");
    let sent = t.press(&p.officer, "dir:all").await;
    assert!(data_of(&sent).contains(&"cal:add".to_string()), "{sent:?}");
    // The calendar question first; then the report request.
    let offer = t.press(&p.officer, "cal:skip").await;
    let shown = texts(&offer);
    assert!(shown.contains("Văn bản có yêu cầu báo cáo"), "{shown}");
    assert!(
        shown.contains("báo cáo kết quả về Ban Tuyên giáo Công đoàn Khu chế xuất"),
        "{shown}"
    );
    assert!(shown.contains(&deadline_text(9)), "{shown}");
    assert_eq!(data_of(&offer), ["rq:seed", "rq:cancel"]);
    // Only an officer can take it.
    let r = texts(&t.press(&p.leader1, "rq:seed").await);
    assert!(r.contains("chỉ dành cho cán bộ"), "{r}");

    let first = texts(&t.press(&p.officer, "rq:seed").await);
    assert!(first.contains("Báo cáo kết quả thực hiện: "), "{first}");
    assert!(first.contains("hưởng ứng Ngày hội toàn dân"), "{first}");
    assert!(first.contains("mục 1"), "{first}");
    t.say(&p.officer, "Số buổi tuyên truyền").await;
    t.say(&p.officer, "1").await;
    let deadline_q = t.say(&p.officer, "xong").await;
    assert!(
        texts(&deadline_q).contains(&format!("Hạn nộp đã điền sẵn: {}", deadline_text(9))),
        "{deadline_q:?}"
    );
    assert_eq!(data_of(&deadline_q), ["rq:dl:keep"]);
    // A typed date still replaces it; a past one is refused.
    let past = texts(&t.say(&p.officer, "1/1/2020").await);
    assert!(past.contains("phải sau hôm nay"), "{past}");
    let targets = t.say(&p.officer, "giữ").await;
    assert!(
        data_of(&targets).contains(&"rq:units:all".to_string()),
        "{targets:?}"
    );
    let confirm = texts(&t.say(&p.officer, "1").await);
    assert!(
        confirm.contains(&format!("Hạn nộp: {}", deadline_text(9))),
        "{confirm}"
    );
    let done = texts(&t.say(&p.officer, "1").await);
    assert!(done.contains("Đã gửi yêu cầu"), "{done}");
    let row = sqlx::query("SELECT title, deadline_at, mode FROM report_requests")
        .fetch_one(t.store.pool())
        .await
        .expect("one request");
    let title: String = row.try_get("title").expect("title");
    assert!(title.starts_with("Báo cáo kết quả thực hiện: "), "{title}");
    assert!(title.contains("hưởng ứng Ngày hội toàn dân"), "{title}");
    let deadline: i64 = row.try_get("deadline_at").expect("deadline");
    assert_eq!(
        deadline,
        local_time_ms(local_date(now_ms()) + Duration::days(10), 0).expect("t") - 1,
        "the end of the day the letter names"
    );
    assert_eq!(row.try_get::<String, _>("mode").expect("mode"), "report");
    assert_eq!(t.count("SELECT COUNT(*) FROM report_targets").await, 3);

    // A letter whose deadline has passed: offered without one, skipped by a typed 2.
    t.say(&p.officer, &directive_text(-3)).await;
    t.press(&p.officer, "dir:all").await;
    let offer = texts(&t.press(&p.officer, "cal:skip").await);
    assert!(offer.contains("chưa rõ"), "{offer}");
    let skipped = texts(&t.say(&p.officer, "2").await);
    assert!(skipped.contains("Đã bỏ qua"), "{skipped}");
    assert_eq!(t.count("SELECT COUNT(*) FROM report_requests").await, 1);
    t.finish().await;
}

fn docx_xml(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    for part in ["[Content_Types].xml", "_rels/.rels"] {
        assert!(zip.by_name(part).is_ok(), "{part}");
    }
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    xml
}

/// The zone's union asks every housing group further down (by kind), gets one report,
/// downloads the letter, closes the request: the other group can no longer submit and is
/// not reminded.
async fn every_unit_of_a_kind_is_asked_the_letter_is_a_docx_and_a_closed_request_takes_no_more(
    backend: Backend,
) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let kcx = TgUser::new(34_001, "Cán bộ KCX");
    let cdcs = TgUser::new(34_002, "Cán bộ Thu");
    let leader1 = TgUser::new(34_003, "Tổ trưởng Hùng");
    let leader2 = TgUser::new(34_004, "Tổ trưởng Mai");
    let hn = TgUser::new(34_005, "Cán bộ Hà Nội");
    for (u, unit, role) in [
        (&kcx, "KCX-TT", Role::Officer),
        (&cdcs, "CDCS-ABC", Role::Officer),
        (&leader1, "TTQ-01", Role::Leader),
        (&leader2, "TTQ-02", Role::Leader),
        (&hn, "HN", Role::Officer),
    ] {
        t.join(u, &t.invite(unit, role, 1, None).await).await;
    }
    for step in [
        "/baocao",
        "1",
        "Tuyên truyền <an ninh> & trật tự",
        "Số buổi tuyên truyền",
        "1",
        "Kiến nghị",
        "3",
        "xong",
    ] {
        t.say(&kcx, step).await;
    }
    let targets = t.say(&kcx, &deadline_text(4)).await;
    let cdcs_unit = unit_id(&t, "CDCS-ABC").await;
    assert_eq!(
        data_of(&targets),
        [
            "rq:units:all".to_string(),
            format!("rq:unit:{cdcs_unit}"),
            "rq:ukind:0".to_string()
        ]
    );
    let labels: Vec<&str> = targets
        .iter()
        .flat_map(|m| m.buttons.iter())
        .map(|(l, _)| l.as_str())
        .collect();
    assert!(
        labels.contains(&"3. Mọi Tổ tự quản nhà trọ trong phạm vi (2 đơn vị)"),
        "{labels:?}"
    );
    // Typed, as on Zalo: 3 is the kind.
    let confirm = texts(&t.say(&kcx, "3").await);
    assert!(
        confirm.contains("Gửi đến: Mọi Tổ tự quản nhà trọ"),
        "{confirm}"
    );
    t.say(&kcx, "1").await;
    t.wait_outbox_empty().await;
    let id = newest_request(&t).await;
    let (u1, u2) = (unit_id(&t, "TTQ-01").await, unit_id(&t, "TTQ-02").await);
    let asked: Vec<i64> = sqlx::query("SELECT unit_id FROM report_targets ORDER BY unit_id")
        .fetch_all(t.store.pool())
        .await
        .expect("db")
        .iter()
        .map(|r| r.try_get("unit_id").expect("unit"))
        .collect();
    assert_eq!(
        asked,
        [u1.min(u2), u1.max(u2)],
        "the two groups, not CDCS-ABC"
    );
    let fill = format!("rq:fill:{id}");
    assert!(data_of(&t.fake.sent_to(leader1.id)).contains(&fill));
    assert!(!data_of(&t.fake.sent_to(cdcs.id)).contains(&fill));

    t.press(&leader1, &fill).await;
    t.say(&leader1, "12").await;
    t.say(&leader1, "Cần thêm tờ rơi tiếng Việt có dấu").await;
    let done = texts(&t.say(&leader1, "1").await);
    assert!(done.contains("Đã nộp báo cáo"), "{done}");

    // The letter: Kính gửi the level above, the content, Nơi nhận; Vietnamese intact.
    let view = t.press(&kcx, &format!("rq:view:{id}")).await;
    let docx = format!("rq:docx:{id}");
    assert!(data_of(&view).contains(&docx), "{view:?}");
    t.press(&kcx, &docx).await;
    let (name, bytes) = t.fake.uploads_to(kcx.id).pop().expect("a file");
    assert_eq!(name, format!("bao-cao-{id}.docx"));
    let xml = docx_xml(&bytes);
    for want in [
        "CÔNG ĐOÀN KHU CHẾ XUẤT TÂN THUẬN",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Tuyên truyền &lt;an ninh&gt; &amp; trật tự",
        "Kính gửi: Liên đoàn Lao động TP. Hồ Chí Minh",
        "1/2 đơn vị",
        "1. Số buổi tuyên truyền: tổng 12 (1 đơn vị)",
        "Tổ tự quản nhà trọ số 1: Cần thêm tờ rơi tiếng Việt có dấu",
        "Đơn vị chưa nộp: Tổ tự quản nhà trọ số 2.",
        "Nơi nhận:",
        "- Như trên;",
        "TM. BAN CHẤP HÀNH",
    ] {
        assert!(xml.contains(want), "{want}: {xml}");
    }
    // Outside the subtree: no letter, no closing.
    for data in [docx.clone(), format!("rq:close:{id}")] {
        let r = texts(&t.press(&hn, &data).await);
        assert!(r.contains("Không tìm thấy"), "{data}: {r}");
    }
    assert!(t.fake.uploads_to(hn.id).is_empty());

    // Closed: no more submissions, drafts or reminders; the result stays readable.
    t.press(&leader2, &fill).await;
    t.say(&leader2, "4").await;
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 1);
    t.press(&kcx, &format!("rq:view:{id}")).await;
    let closed = texts(&t.press(&kcx, &format!("rq:close:{id}")).await);
    assert!(closed.contains("Đã đóng yêu cầu"), "{closed}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_requests WHERE closed_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 0);
    let late = texts(&t.say(&leader2, "Ổn").await);
    assert!(late.contains("đã đóng"), "{late}");
    let refused = texts(&t.press(&leader2, &fill).await);
    assert!(refused.contains("đã đóng"), "{refused}");
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let l2 = members::by_identity(&mut conn, "telegram", &leader2.id.to_string())
        .await
        .expect("db")
        .expect("member");
    let i18n = I18n::new();
    let answers = [Some(Answer::Number(4)), Some(Answer::Text("Ổn".into()))];
    assert!(
        !report_requests::submit(&mut conn, &i18n, &l2, id, u2, &answers, now_ms())
            .await
            .expect("db")
    );
    drop(conn);
    assert_eq!(t.count("SELECT COUNT(*) FROM report_submissions").await, 1);
    t.digests_off().await;
    let day = local_time_ms(local_date(now_ms()) + Duration::days(4), 9).expect("t");
    assert_eq!(
        scheduler::tick(&t.store, &i18n, day).await.expect("tick"),
        0,
        "no reminder on the day"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM report_reminders").await, 0);
    let again = t.press(&kcx, &format!("rq:view:{id}")).await;
    let shown = texts(&again);
    assert!(shown.contains("Đã đóng ngày"), "{shown}");
    assert!(shown.contains("Tổng: <b>12</b> (1 đơn vị)"), "{shown}");
    assert_eq!(
        data_of(&again),
        [format!("rq:xlsx:{id}"), docx.clone()],
        "closed: no sending back, no closing again"
    );
    let menu = t.say(&kcx, "/baocao").await;
    assert!(
        data_of(&menu).contains(&format!("rq:view:{id}")),
        "a closed request's result stays listed: {menu:?}"
    );

    // Targets by kind are checked in SQL: only an officer, only inside the subtree, not
    // with units beside it.
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let member = |id: i64| {
        let store = t.store.clone();
        async move {
            let mut conn = store.pool().acquire().await.expect("conn");
            members::by_identity(&mut conn, "telegram", &id.to_string())
                .await
                .expect("db")
                .expect("member")
        }
    };
    let (officer_kcx, l1, hn_officer) = (
        member(kcx.id).await,
        member(leader1.id).await,
        member(hn.id).await,
    );
    let draft = |units: Vec<i64>, kind: &str| RequestDraft {
        title: "Theo loại".into(),
        items: vec![ReportItem {
            label: "Số".into(),
            kind: ItemKind::Number,
            options: vec![],
        }],
        deadline_at: now_ms() + 86_400_000,
        units,
        kind: Some(kind.into()),
        ..RequestDraft::default()
    };
    for (who, d) in [
        (&l1, draft(vec![], "to_tu_quan")),
        (&hn_officer, draft(vec![], "to_tu_quan")),
        (&officer_kcx, draft(vec![], "ldld_tinh")),
        (&officer_kcx, draft(vec![cdcs_unit], "to_tu_quan")),
    ] {
        let made = report_requests::create(&mut conn, &i18n, who, &d, now_ms())
            .await
            .expect("db");
        assert_eq!(made, None, "{}: {d:?}", who.display_name);
    }
    assert!(
        !report_requests::close(&mut conn, &hn_officer, id, now_ms())
            .await
            .expect("db")
    );
    drop(conn);
    assert_eq!(t.count("SELECT COUNT(*) FROM report_requests").await, 1);
    t.finish().await;
}

/// A registration each housing group submits once, then the self-assessment against
/// the same items: the roll-up shows registered / assessed / met per unit.
async fn a_registration_is_submitted_once_and_its_self_assessment_rolls_up(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let p = people(&t, 35_000).await;
    for step in [
        "/baocao",
        "1",
        "Đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
        "Số buổi tuyên truyền",
        "1",
        "Ký quy chế phối hợp với công an phường",
        "2",
        "Xếp loại phấn đấu",
        "4",
        "Tốt; Khá; Trung bình",
        "xong",
        &deadline_text(5),
        "2 4",
    ] {
        t.say(&p.officer, step).await;
    }
    let confirm = t.say(&p.officer, "xong").await;
    let shown = texts(&confirm);
    assert!(shown.contains("Loại: báo cáo"), "{shown}");
    assert_eq!(data_of(&confirm), ["rq:send", "rq:cancel", "rq:mode"]);
    // Typed 3 switches to a registration.
    let switched = texts(&t.say(&p.officer, "3").await);
    assert!(
        switched.contains("Loại: bản đăng ký (mỗi đơn vị nộp một lần)"),
        "{switched}"
    );
    t.say(&p.officer, "1").await;
    let reg = newest_request(&t).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_requests WHERE mode = 'registration'")
            .await,
        1
    );
    let fill = format!("rq:fill:{reg}");
    for (leader, answers) in [
        (&p.leader1, ["10", "1", "2"]),
        (&p.leader3, ["5", "2", "2"]),
    ] {
        t.press(leader, &fill).await;
        for a in answers {
            t.say(leader, a).await;
        }
        let done = texts(&t.say(leader, "1").await);
        assert!(done.contains("Đã nộp báo cáo"), "{done}");
    }
    // Submitted once: not offered again, refused by button and in SQL.
    let menu = texts(&t.say(&p.leader1, "/baocao").await);
    assert!(menu.contains("không có yêu cầu"), "{menu}");
    let again = texts(&t.press(&p.leader1, &fill).await);
    assert!(again.contains("chỉ nộp một lần"), "{again}");
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let l1 = members::by_identity(&mut conn, "telegram", &p.leader1.id.to_string())
        .await
        .expect("db")
        .expect("member");
    let i18n = I18n::new();
    let answers = [
        Some(Answer::Number(99)),
        Some(Answer::YesNo(true)),
        Some(Answer::Choice(0)),
    ];
    assert!(
        !report_requests::submit(&mut conn, &i18n, &l1, reg, l1.unit_id, &answers, now_ms())
            .await
            .expect("db")
    );
    drop(conn);
    assert_eq!(t.count("SELECT COUNT(*) FROM report_submissions").await, 2);

    // The self-assessment: same items, the registration's units, a deadline of its own.
    let view = t.press(&p.officer, &format!("rq:view:{reg}")).await;
    let assess = format!("rq:assess:{reg}");
    assert!(data_of(&view).contains(&assess), "{view:?}");
    let r = texts(&t.press(&p.leader1, &assess).await);
    assert!(r.contains("chỉ dành cho cán bộ"), "{r}");
    let started = texts(&t.press(&p.officer, &assess).await);
    assert!(
        started.contains("Tự đánh giá: Đăng ký phấn đấu"),
        "{started}"
    );
    let confirm = t.say(&p.officer, &deadline_text(8)).await;
    let shown = texts(&confirm);
    assert!(
        shown.contains("2 đơn vị đã được yêu cầu đăng ký"),
        "no targets question: {shown}"
    );
    assert!(shown.contains("bản tự đánh giá"), "{shown}");
    assert_eq!(data_of(&confirm), ["rq:send", "rq:cancel"]);
    t.say(&p.officer, "1").await;
    t.wait_outbox_empty().await;
    let assessment = newest_request(&t).await;
    assert_ne!(assessment, reg);
    let fill = format!("rq:fill:{assessment}");
    assert!(data_of(&t.fake.sent_to(p.leader3.id)).contains(&fill));
    assert!(!data_of(&t.fake.sent_to(p.leader2.id)).contains(&fill));
    // TTQ-01 reaches all it registered (12 ≥ 10, yes, Khá); TTQ-03 falls short (3 < 5).
    for (leader, answers) in [
        (&p.leader1, ["12", "1", "2"]),
        (&p.leader3, ["3", "1", "1"]),
    ] {
        t.press(leader, &fill).await;
        for a in answers {
            t.say(leader, a).await;
        }
        t.say(leader, "1").await;
    }
    let shown = texts(&t.press(&p.officer, &format!("rq:view:{assessment}")).await);
    assert!(
        shown.contains("Đăng ký 2, tự đánh giá 2, đạt 1 (trên 2 đơn vị)"),
        "{shown}"
    );
    assert!(
        shown.contains("• Tổ tự quản nhà trọ số 1: đăng ký ✓, tự đánh giá ✓, đạt"),
        "{shown}"
    );
    assert!(
        shown.contains("• Tổ tự quản nhà trọ số 3: đăng ký ✓, tự đánh giá ✓, chưa đạt"),
        "{shown}"
    );
    // The .xlsx has the roll-up too, one row per unit.
    t.press(&p.officer, &format!("rq:xlsx:{assessment}")).await;
    let (_, bytes) = t.fake.uploads_to(p.officer.id).pop().expect("a file");
    let rows = sheet_rows(&bytes);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0][6..], ["Đã đăng ký", "Đã tự đánh giá", "Kết quả"]);
    assert_eq!(rows[1][0], "Tổ tự quản nhà trọ số 1");
    assert_eq!(rows[1][3..], ["12", "Có", "Khá", "Có", "Có", "Đạt"]);
    assert_eq!(rows[2][3..], ["3", "Có", "Tốt", "Có", "Có", "Chưa đạt"]);
    // One self-assessment per registration.
    let view = t.press(&p.officer, &format!("rq:view:{reg}")).await;
    assert!(!data_of(&view).contains(&assess), "{view:?}");
    let r = texts(&t.press(&p.officer, &assess).await);
    assert!(r.contains("Không tìm thấy"), "{r}");
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let officer = members::by_identity(&mut conn, "telegram", &p.officer.id.to_string())
        .await
        .expect("db")
        .expect("member");
    let items: Vec<ReportItem> = sqlx::query("SELECT items FROM report_requests WHERE id = $1")
        .bind(reg)
        .fetch_one(&mut *conn)
        .await
        .map(|r| serde_json::from_str(&r.try_get::<String, _>("items").expect("items")))
        .expect("db")
        .expect("json");
    let again = RequestDraft {
        title: "Lần hai".into(),
        items,
        deadline_at: now_ms() + 86_400_000,
        units: vec![l1.unit_id],
        mode: congdoan_bot::core::conversation::RequestMode::Assessment,
        assesses: Some(reg),
        ..RequestDraft::default()
    };
    assert_eq!(
        report_requests::create(&mut conn, &i18n, &officer, &again, now_ms())
            .await
            .expect("db"),
        None
    );
    drop(conn);
    assert_eq!(t.count("SELECT COUNT(*) FROM report_requests").await, 2);
    t.finish().await;
}

/// On Zalo (no buttons) the offer after publishing, the pre-filled deadline and the
/// registration switch all work by typed numbers and words.
async fn the_directives_offer_works_by_typed_words_on_zalo(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let officer = ZaloUser::new("0ff1ce7b", "Cán bộ Hà");
    t.say(
        &officer,
        t.invite("CDCS-ABC", Role::Officer, 1, None).await.as_str(),
    )
    .await;
    t.say(&officer, "1").await;
    let leader = ZaloUser::new("1eade77c", "Tổ trưởng Lan");
    t.say(
        &leader,
        t.invite("TTQ-01", Role::Leader, 1, None).await.as_str(),
    )
    .await;
    t.say(&leader, "1").await;

    let review = ztexts(&t.say(&officer, &directive_text(6)).await);
    assert!(review.contains("1. "), "{review}");
    let calendar = ztexts(&t.say(&officer, "1").await);
    assert!(calendar.contains("2. "), "{calendar}");
    let offer = ztexts(&t.say(&officer, "2").await);
    assert!(offer.contains("1. Tạo yêu cầu báo cáo"), "{offer}");
    assert!(offer.contains("2. Bỏ qua"), "{offer}");
    // A stray word: the offer is asked again.
    let again = ztexts(&t.say(&officer, "gì vậy").await);
    assert!(again.contains("1. Tạo yêu cầu báo cáo"), "{again}");
    let first = ztexts(&t.say(&officer, "1").await);
    assert!(first.contains("mục 1"), "{first}");
    t.say(&officer, "Số người tham gia").await;
    t.say(&officer, "1").await;
    let deadline_q = ztexts(&t.say(&officer, "xong").await);
    assert!(
        deadline_q.contains(&format!("Hạn nộp đã điền sẵn: {}", deadline_text(6)))
            && deadline_q.contains("giữ"),
        "{deadline_q}"
    );
    let targets = ztexts(&t.say(&officer, "giữ").await);
    assert!(targets.contains("1. Tất cả đơn vị trực thuộc"), "{targets}");
    let confirm = ztexts(&t.say(&officer, "1").await);
    assert!(confirm.contains("3. Đổi thành: bản đăng ký"), "{confirm}");
    let switched = ztexts(&t.say(&officer, "3").await);
    assert!(switched.contains("Loại: bản đăng ký"), "{switched}");
    let sent = ztexts(&t.say(&officer, "1").await);
    assert!(sent.contains("Đã gửi yêu cầu"), "{sent}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_requests WHERE mode = 'registration'")
            .await,
        1
    );
    // Zalo gets no files: no letter or table offered.
    let menu = ztexts(&t.say(&officer, "/baocao").await);
    assert!(menu.contains("2. Xem kết quả"), "{menu}");
    let view = ztexts(&t.say(&officer, "2").await);
    assert!(view.contains("bản đăng ký"), "{view}");
    assert!(!view.contains("Word") && !view.contains("Excel"), "{view}");
    assert!(view.contains("1. Đóng yêu cầu"), "{view}");
    let closed = ztexts(&t.say(&officer, "1").await);
    assert!(closed.contains("Đã đóng yêu cầu"), "{closed}");
    t.finish().await;
}

/// Every housing group of a zone (42 of them): the result in chat lists at most 30 units
/// and counts the rest; the table has them all.
async fn a_result_over_many_units_stays_short(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let mut csv = String::from("code,parent_code,name,kind\n");
    for i in 3..=42 {
        csv.push_str(&format!(
            "TTQ-{i:02},CDCS-ABC,Tổ tự quản nhà trọ số {i},to_tu_quan\n"
        ));
    }
    t.store
        .import_units(&parse_units_csv(csv.as_bytes()).expect("csv"))
        .await
        .expect("import");
    let kcx = TgUser::new(36_001, "Cán bộ KCX");
    t.join(&kcx, &t.invite("KCX-TT", Role::Officer, 1, None).await)
        .await;
    for step in ["/baocao", "1", "Báo cáo quý", "Số buổi", "1", "xong"] {
        t.say(&kcx, step).await;
    }
    let targets = t.say(&kcx, &deadline_text(4)).await;
    assert!(
        data_of(&targets).contains(&"rq:ukind:0".to_string()),
        "{targets:?}"
    );
    t.press(&kcx, "rq:ukind:0").await;
    t.press(&kcx, "rq:send").await;
    let id = newest_request(&t).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM report_targets").await,
        42,
        "every housing group below"
    );
    let shown = texts(&t.press(&kcx, &format!("rq:view:{id}")).await);
    assert!(shown.contains("0/42 đơn vị đã nộp"), "{shown}");
    assert!(shown.contains("đơn vị khác"), "{shown}");
    let listed = shown.lines().filter(|l| l.starts_with("• ")).count();
    assert!((20..=30).contains(&listed), "{listed}: {shown}");
    t.press(&kcx, &format!("rq:xlsx:{id}")).await;
    let (_, bytes) = t.fake.uploads_to(kcx.id).pop().expect("a file");
    assert_eq!(sheet_rows(&bytes).len(), 43);
    t.finish().await;
}
