//! Polls and surveys (`/khaosat`): an officer writes a 3-question poll (single choice,
//! multiple choice, a number) for two housing groups; members answer by buttons, one on
//! Zalo by typed numbers, one stops half-way and continues, one changes an answer; the
//! results roll up exactly (figures asserted, and recounted in SQL), with a chart per
//! choice question and an .xlsx; an answer after the deadline is refused; another
//! branch's officer sees nothing. An anonymous poll names nobody in any message or file
//! its officers get (the anonymous tip's kind of story).

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::Duration;
use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, Sent, TestApp, TgUser, cast, texts};
use congdoan_bot::core::calendar::local_date;
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::time::now_ms;
use sqlx::Row;

on_both_backends!(
    a_poll_to_two_units_is_answered_every_way_and_rolls_up_exactly,
    an_anonymous_poll_never_names_anyone,
    forged_foreign_and_late_poll_data_change_nothing,
);

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE code = $1")
        .bind(code.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .try_get("id")
        .expect("id")
}

async fn newest_poll(t: &TestApp) -> i64 {
    sqlx::query("SELECT MAX(id) AS id FROM polls")
        .fetch_one(t.store.pool())
        .await
        .expect("db")
        .try_get("id")
        .expect("id")
}

async fn count_for_poll(t: &TestApp, sql: &'static str, poll: i64) -> i64 {
    sqlx::query(sql)
        .bind(poll)
        .fetch_one(t.store.pool())
        .await
        .expect("count")
        .try_get::<i64, _>(0)
        .expect("count")
}

fn deadline_text(days: i64) -> String {
    (local_date(now_ms()) + Duration::days(days))
        .format("%-d/%-m/%Y")
        .to_string()
}

fn data_of(sent: &[Sent]) -> Vec<String> {
    sent.iter()
        .flat_map(|m| m.buttons.iter())
        .map(|(_, d)| d.clone())
        .collect()
}

/// The texts and the button labels, as a person sees them.
fn shown(sent: &[Sent]) -> String {
    let mut out = texts(sent);
    for m in sent {
        for (label, _) in &m.buttons {
            out.push('\n');
            out.push_str(label);
        }
    }
    out
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

/// The officer writes a 3-question poll through the whole chat flow and sends it to
/// TTQ-01 and TTQ-02 (picked one by button, one typed); returns its id.
async fn create_poll(t: &TestApp, officer: &TgUser) -> i64 {
    let menu = t.say(officer, "/khaosat").await;
    assert!(data_of(&menu).contains(&"ks:new".to_string()), "{menu:?}");
    let title_q = texts(&t.press(officer, "ks:new").await);
    assert!(title_q.contains("Gửi tên khảo sát"), "{title_q}");
    let q1 = texts(
        &t.say(officer, "Đời sống công nhân <khu trọ> & an ninh")
            .await,
    );
    assert!(q1.contains("câu hỏi 1"), "{q1}");
    let kinds = t.say(officer, "Bạn có hài lòng với nơi ở?").await;
    assert_eq!(
        data_of(&kinds),
        [
            "ks:kind:single",
            "ks:kind:multi",
            "ks:kind:number",
            "ks:kind:text"
        ]
    );
    let options_q = texts(&t.press(officer, "ks:kind:single").await);
    assert!(options_q.contains("chấm phẩy"), "{options_q}");
    let bad = texts(&t.say(officer, "Chỉ một").await);
    assert!(bad.contains("Cần 2 đến 8 phương án"), "{bad}");
    let q2 = t
        .say(officer, "Hài lòng; Bình thường; Không hài lòng")
        .await;
    assert!(texts(&q2).contains("câu hỏi 2"), "{q2:?}");
    assert_eq!(data_of(&q2), ["ks:qdone"]);
    t.say(officer, "Bạn cần hỗ trợ gì?").await;
    t.press(officer, "ks:kind:multi").await;
    t.say(officer, "Điện nước; An ninh; Học nghề").await;
    t.say(officer, "Bạn làm thêm bao nhiêu giờ mỗi tuần?").await;
    // Typed, as on Zalo: "3" is "a number".
    let q4 = texts(&t.say(officer, "3").await);
    assert!(q4.contains("câu hỏi 4"), "{q4}");
    let anon = t.say(officer, "xong").await;
    assert_eq!(data_of(&anon), ["ks:anon:no", "ks:anon:yes"]);
    let deadline_q = texts(&t.press(officer, "ks:anon:no").await);
    assert!(deadline_q.contains("Hạn trả lời"), "{deadline_q}");
    let past = texts(&t.say(officer, "1/1/2020").await);
    assert!(past.contains("phải sau hôm nay"), "{past}");
    let targets = t.say(officer, &deadline_text(5)).await;
    let (u1, u2) = (unit_id(t, "TTQ-01").await, unit_id(t, "TTQ-02").await);
    assert_eq!(
        data_of(&targets),
        [
            "ks:to:all".to_string(),
            format!("ks:to:unit:{u1}"),
            format!("ks:to:unit:{u2}"),
            "ks:to:pick".to_string(),
            "ks:to:leaders".to_string(),
        ]
    );
    t.press(officer, "ks:to:pick").await;
    t.press(officer, &format!("ks:pick:{u1}")).await;
    let ticked = t.say(officer, "2").await;
    assert!(
        ticked.iter().any(|m| m
            .buttons
            .iter()
            .any(|(l, _)| l.contains("2 đơn vị, 4 người"))),
        "{ticked:?}"
    );
    let preview = texts(&t.press(officer, "ks:pick:done").await);
    assert!(
        preview.contains("&lt;khu trọ&gt; &amp; an ninh"),
        "escaped: {preview}"
    );
    assert!(
        preview.contains("(Ghi tên)") && preview.contains("4 người"),
        "{preview}"
    );
    assert!(preview.contains("2) Bình thường"), "{preview}");
    let sent = texts(&t.press(officer, "ks:send").await);
    assert!(
        sent.contains("Đã gửi khảo sát") && sent.contains("4 người"),
        "{sent}"
    );
    t.wait_outbox_empty().await;
    newest_poll(t).await
}

async fn a_poll_to_two_units_is_answered_every_way_and_rolls_up_exactly(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let officer = TgUser::new(41_001, "Cán bộ Thu");
    let a = TgUser::new(41_002, "Công nhân An");
    let b = TgUser::new(41_003, "Công nhân Bình");
    let c = TgUser::new(41_004, "Công nhân Cúc");
    let direct = TgUser::new(41_005, "Đoàn viên Nam");
    let hn = TgUser::new(41_006, "Cán bộ Hà Nội");
    for (u, unit, role) in [
        (&officer, "CDCS-ABC", Role::Officer),
        (&a, "TTQ-01", Role::Member),
        (&b, "TTQ-01", Role::Member),
        (&c, "TTQ-02", Role::Member),
        (&direct, "CDCS-ABC", Role::Member),
        (&hn, "HN", Role::Officer),
    ] {
        t.t.join(u, &t.invite(unit, role, 1, None).await).await;
    }
    let z = ZaloUser::new("2a1b3c4d", "Công nhân Zalo Dũng");
    t.say(&z, t.invite("TTQ-02", Role::Member, 1, None).await.as_str())
        .await;
    t.say(&z, "1").await;

    let id = create_poll(&t, &officer).await;
    t.wait_outbox_empty().await;
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_recipients WHERE poll_id = $1",
            id
        )
        .await,
        4
    );
    // The four in the two groups got it with the button; the others did not.
    let go = format!("ks:go:{id}");
    for u in [&a, &b, &c] {
        let got = t.fake.sent_to(u.id);
        assert!(data_of(&got).contains(&go), "{got:?}");
        assert!(texts(&got).contains("3 câu hỏi"), "{}", texts(&got));
    }
    for u in [&direct, &hn, &officer] {
        assert!(!data_of(&t.fake.sent_to(u.id)).contains(&go));
    }
    let zn = ztexts(&t.zalo.sent_to(&z.id));
    assert!(zn.contains("gõ 1 để bắt đầu"), "{zn}");

    // An: buttons only.
    let q1 = t.t.press(&a, &go).await;
    assert!(texts(&q1).contains("Câu 1/3"), "{}", texts(&q1));
    assert_eq!(
        data_of(&q1),
        ["ks:opt:0", "ks:opt:1", "ks:opt:2", "ks:stop"]
    );
    let q2 = t.t.press(&a, "ks:opt:0").await;
    assert!(texts(&q2).contains("Câu 2/3"), "{}", texts(&q2));
    let none = texts(&t.t.press(&a, "ks:done").await);
    assert!(none.contains("ít nhất một"), "{none}");
    t.t.press(&a, "ks:opt:0").await;
    let ticked = t.t.press(&a, "ks:opt:1").await;
    assert!(
        ticked
            .iter()
            .any(|m| m.buttons.iter().any(|(l, _)| l.contains("☑ An ninh"))),
        "{ticked:?}"
    );
    let q3 = texts(&t.t.press(&a, "ks:done").await);
    assert!(q3.contains("Câu 3/3"), "{q3}");
    let bad = texts(&t.t.say(&a, "mười hai").await);
    assert!(bad.contains("số nguyên"), "{bad}");
    let done = texts(&t.t.say(&a, "12").await);
    assert!(done.contains("Đã ghi nhận"), "{done}");

    // Bình: a typed "1" answers the question put to her; stops half-way; continues.
    let q1 = texts(&t.t.say(&b, "1").await);
    assert!(q1.contains("Câu 1/3"), "{q1}");
    t.t.say(&b, "2").await;
    let stopped = texts(&t.t.say(&b, "dừng").await);
    assert!(stopped.contains("Đã lưu"), "{stopped}");
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_drafts WHERE poll_id = $1",
            id
        )
        .await,
        1
    );
    let menu = t.t.say(&b, "/khaosat").await;
    assert!(shown(&menu).contains("Trả lời tiếp"), "{}", shown(&menu));
    assert!(data_of(&menu).contains(&go));
    let again = texts(&t.t.press(&b, &go).await);
    assert!(
        again.contains("Câu 2/3"),
        "continues where she stopped: {again}"
    );
    t.t.press(&b, "ks:opt:2").await;
    t.t.press(&b, "ks:done").await;
    assert!(texts(&t.t.say(&b, "8").await).contains("Đã ghi nhận"));
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_drafts WHERE poll_id = $1",
            id
        )
        .await,
        0
    );

    // Dũng on Zalo: typed numbers only.
    let q1 = ztexts(&t.say(&z, "1").await);
    assert!(
        q1.contains("Câu 1/3") && q1.contains("1. Hài lòng") && q1.contains("4. Dừng"),
        "{q1}"
    );
    let q2 = ztexts(&t.say(&z, "1").await);
    assert!(
        q2.contains("Câu 2/3") && q2.contains("1. ☐ Điện nước"),
        "{q2}"
    );
    let q3 = ztexts(&t.say(&z, "1 2").await);
    assert!(q3.contains("Câu 3/3"), "{q3}");
    let done = ztexts(&t.say(&z, "5").await);
    assert!(done.contains("Đã ghi nhận"), "{done}");
    for m in t.zalo.sent_to(&z.id) {
        assert!(m.text.chars().count() <= 2000);
    }

    // Cúc answers, then changes her first answer (keeping the others).
    t.t.press(&c, &go).await;
    t.t.press(&c, "ks:opt:2").await;
    t.t.press(&c, "ks:opt:1").await;
    t.t.press(&c, "ks:done").await;
    t.t.say(&c, "20").await;
    let menu = shown(&t.t.say(&c, "/khaosat").await);
    assert!(menu.contains("Sửa câu trả lời"), "{menu}");
    let q1 = t.t.press(&c, &go).await;
    assert!(texts(&q1).contains("Câu 1/3"), "{}", texts(&q1));
    assert!(data_of(&q1).contains(&"ks:keep".to_string()));
    let q2 = t.t.press(&c, "ks:opt:1").await;
    assert!(
        q2.iter()
            .any(|m| m.buttons.iter().any(|(l, _)| l.contains("Giữ: An ninh"))),
        "{q2:?}"
    );
    t.t.press(&c, "ks:keep").await;
    let changed = texts(&t.t.say(&c, "giữ").await);
    assert!(changed.contains("Đã cập nhật"), "{changed}");
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_responses WHERE poll_id = $1",
            id
        )
        .await,
        4
    );

    // Recounted from the rows: Q1 option 2 (Bình thường) twice, Q2 An ninh three times.
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_answers WHERE poll_id = $1 AND question = 0 AND choice = 1",
            id
        )
        .await,
        2
    );
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_answers WHERE poll_id = $1 AND question = 1 AND choice = 1",
            id
        )
        .await,
        3
    );
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT CAST(SUM(num) AS BIGINT) FROM poll_answers WHERE poll_id = $1 AND question = 2",
            id
        )
        .await,
        45
    );

    // The results, rolled up: the officer's unit, then each group.
    let results = t.t.press(&officer, &format!("ks:res:{id}")).await;
    let all = texts(&results);
    for line in [
        "Đã trả lời: 4/4 người (100%)",
        "• Tổ tự quản nhà trọ số 1: 2/2 (100%)",
        "• Tổ tự quản nhà trọ số 2: 2/2 (100%)",
        "1) Hài lòng: <b>2</b> (50%)",
        "2) Bình thường: <b>2</b> (50%)",
        "3) Không hài lòng: <b>0</b> (0%)",
        "• Tổ tự quản nhà trọ số 1: 1) 1 · 50%, 2) 1 · 50%, 3) 0 · 0%",
        "1) Điện nước: <b>2</b> (50%)",
        "2) An ninh: <b>3</b> (75%)",
        "3) Học nghề: <b>1</b> (25%)",
        "• Tổ tự quản nhà trọ số 1: 1) 1 · 50%, 2) 1 · 50%, 3) 1 · 50%",
        "• Tổ tự quản nhà trọ số 2: 1) 1 · 50%, 2) 2 · 100%, 3) 0 · 0%",
        "Trung bình: <b>11,3</b> (4 câu trả lời)",
        "• Tổ tự quản nhà trọ số 1: 10 (2)",
        "• Tổ tự quản nhà trọ số 2: 12,5 (2)",
    ] {
        assert!(all.contains(line), "{line}\n{all}");
    }
    // A chart per choice question.
    t.wait_outbox_empty().await;
    // (Sent side by side: in any order.)
    let mut charts: Vec<String> = t
        .fake
        .uploads_to(officer.id)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    charts.sort();
    assert_eq!(
        charts,
        [
            format!("khao-sat-{id}-1.png"),
            format!("khao-sat-{id}-2.png")
        ]
    );
    // The .xlsx: one row per person, named.
    let xlsx = format!("ks:xlsx:{id}");
    assert!(data_of(&results).contains(&xlsx), "{results:?}");
    t.t.press(&officer, &xlsx).await;
    let uploads = t.fake.uploads_to(officer.id);
    let (name, bytes) = uploads.last().expect("the export");
    assert_eq!(name, &format!("khao-sat-{id}.xlsx"));
    let rows = sheet_rows(bytes);
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[0][0], "Đơn vị");
    assert_eq!(rows[0][1], "Người trả lời");
    assert_eq!(rows[0][4], "2. Bạn cần hỗ trợ gì?");
    let an = rows
        .iter()
        .find(|r| r[1] == "Công nhân An")
        .expect("An's row");
    assert_eq!(an[0], "Tổ tự quản nhà trọ số 1");
    assert_eq!(an[3], "Hài lòng");
    assert_eq!(an[4], "Điện nước; An ninh");
    assert_eq!(an[5], "12");
    let cuc = rows
        .iter()
        .find(|r| r[1] == "Công nhân Cúc")
        .expect("Cúc's row");
    assert_eq!(
        cuc[3], "Bình thường",
        "the changed answer replaced the first"
    );

    // Another branch's officer sees nothing of it, by menu or forged button.
    let menu = t.t.say(&hn, "/khaosat").await;
    assert!(
        !data_of(&menu).contains(&format!("ks:res:{id}")),
        "{menu:?}"
    );
    let refused = texts(&t.t.press(&hn, &format!("ks:res:{id}")).await);
    assert!(refused.contains("Không tìm thấy"), "{refused}");
    assert!(!refused.contains("Hài lòng"), "{refused}");
    t.t.press(&hn, &xlsx).await;
    assert!(t.fake.uploads_to(hn.id).is_empty());
    // A member cannot read results.
    let member = texts(&t.t.press(&a, &format!("ks:res:{id}")).await);
    assert!(member.contains("cán bộ"), "{member}");

    // After the deadline: answers are refused politely, nothing changes.
    sqlx::query("UPDATE polls SET deadline_at = $1 WHERE id = $2")
        .bind(now_ms() - 60_000)
        .bind(id)
        .execute(t.store.pool())
        .await
        .expect("close");
    let late = texts(&t.t.press(&b, &go).await);
    assert!(
        late.contains("đã hết hạn") && late.contains("Cảm ơn"),
        "{late}"
    );
    assert_eq!(
        count_for_poll(&t, "SELECT COUNT(*) FROM poll_answers WHERE poll_id = $1 AND member_id IN (SELECT id FROM members WHERE display_name = 'Công nhân Bình') AND question = 0 AND choice = 1", id).await,
        1
    );
    t.finish().await;
}

async fn an_anonymous_poll_never_names_anyone(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 42_000).await;
    let kcx = TgUser::new(42_009, "Cán bộ KCX Tâm");
    t.join(&kcx, &t.invite("KCX-TT", Role::Officer, 1, None).await)
        .await;
    let secret = TgUser {
        id: 987_654_322,
        first_name: "Nguyễn Bí Mật".into(),
        username: Some("bimat_khaosat".into()),
    };
    t.join(&secret, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let watched_from = t.fake.sent().len();

    // Typed, as on a phone without buttons.
    t.say(&c.officer, "/khaosat moi").await;
    t.say(&c.officer, "Góp ý về điều kiện làm việc").await;
    t.say(&c.officer, "Bạn có bị ép làm thêm giờ không?").await;
    t.say(&c.officer, "1").await;
    t.say(&c.officer, "Có; Không").await;
    t.say(&c.officer, "Góp ý của bạn").await;
    t.say(&c.officer, "4").await;
    t.say(&c.officer, "xong").await;
    t.say(&c.officer, "2").await;
    t.say(&c.officer, &deadline_text(3)).await;
    let preview = texts(&t.say(&c.officer, "1").await);
    assert!(preview.contains("(Ẩn danh)"), "{preview}");
    let sent = texts(&t.say(&c.officer, "1").await);
    assert!(sent.contains("Đã gửi khảo sát"), "{sent}");
    t.wait_outbox_empty().await;
    let id = newest_poll(&t).await;
    let notice = texts(&t.fake.sent_to(secret.id));
    assert!(notice.contains("Khảo sát ẩn danh"), "{notice}");

    let go = format!("ks:go:{id}");
    let head = texts(&t.press(&secret, &go).await);
    assert!(head.contains("ẩn danh"), "{head}");
    t.say(&secret, "1").await;
    let done = texts(&t.say(&secret, "Quản đốc bắt ở lại đến 22h").await);
    assert!(done.contains("Đã ghi nhận"), "{done}");
    // One answer: nothing but the count shows, not even to the officer.
    let early = texts(&t.press(&c.officer, &format!("ks:res:{id}")).await);
    assert!(early.contains("ít nhất 3 người"), "{early}");
    assert!(!early.contains("1) Có"), "{early}");
    let page = texts(&t.press(&c.officer, &format!("ks:t:{id}:1:0")).await);
    assert!(!page.contains("Quản đốc"), "{page}");
    t.press(&c.officer, &format!("ks:xlsx:{id}")).await;
    assert!(t.fake.uploads_to(c.officer.id).is_empty());

    t.press(&c.worker, &go).await;
    t.press(&c.worker, "ks:opt:1").await;
    t.say(&c.worker, "Cần thêm quạt").await;
    t.press(&c.leader, &go).await;
    t.press(&c.leader, "ks:opt:0").await;
    t.say(&c.leader, "Thiếu nước sạch").await;
    // The only one in TTQ-02, in English.
    let en = texts(&t.press(&c.english, &go).await);
    assert!(en.contains("Anonymous poll"), "{en}");
    t.press(&c.english, "ks:opt:1").await;
    assert!(texts(&t.say(&c.english, "Too hot at night").await).contains("recorded"));

    // The officer and the officer above read the results, the texts and the files.
    for officer in [&c.officer, &kcx] {
        let results = texts(&t.press(officer, &format!("ks:res:{id}")).await);
        assert!(results.contains("Đã trả lời: 4/"), "{results}");
        assert!(results.contains("1) Có: <b>2</b> (50%)"), "{results}");
        let page = texts(&t.press(officer, &format!("ks:t:{id}:1:0")).await);
        for said in [
            "Quản đốc bắt ở lại đến 22h",
            "Cần thêm quạt",
            "Too hot at night",
        ] {
            assert!(page.contains(said), "{page}");
        }
        assert!(
            !page.contains("Tổ tự quản"),
            "no unit beside a text: {page}"
        );
        t.press(officer, &format!("ks:xlsx:{id}")).await;
        t.press(officer, &format!("ks:csv:{id}")).await;
    }
    // A group where fewer than three answered shows no detail.
    let view = texts(&t.press(&c.officer, &format!("ks:res:{id}")).await);
    assert!(
        view.contains("• Tổ tự quản nhà trọ số 1: 1) 2 · 67%, 2) 1 · 33%"),
        "{view}"
    );
    assert!(
        view.contains("• Tổ tự quản nhà trọ số 2: dưới 3 người trả lời"),
        "{view}"
    );
    let kcx_view = texts(&t.press(&kcx, &format!("ks:res:{id}")).await);
    assert!(
        kcx_view.contains("Công đoàn cơ sở Công ty May"),
        "the tree: {kcx_view}"
    );

    // Every file: the unit and the answers, no name, no time.
    for officer in [&c.officer, &kcx] {
        let uploads = t.fake.uploads_to(officer.id);
        let xlsx = &uploads
            .iter()
            .find(|(n, _)| n.ends_with(".xlsx"))
            .expect("xlsx")
            .1;
        let rows = sheet_rows(xlsx);
        assert_eq!(rows[0].len(), 3, "unit and two questions: {:?}", rows[0]);
        assert_eq!(rows.len(), 5, "{rows:?}");
        // TTQ-02's one answer is not put beside its unit.
        let units: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            units,
            [
                "",
                "Tổ tự quản nhà trọ số 1",
                "Tổ tự quản nhà trọ số 1",
                "Tổ tự quản nhà trọ số 1"
            ]
        );
        let csv = &uploads
            .iter()
            .find(|(n, _)| n.ends_with(".csv"))
            .expect("csv")
            .1;
        let csv = String::from_utf8_lossy(csv);
        assert!(csv.contains("Quản đốc bắt ở lại đến 22h"), "{csv}");
        for (_, bytes) in &uploads {
            let text = String::from_utf8_lossy(bytes);
            for leak in [
                "Bí Mật",
                "bimat_khaosat",
                "987654322",
                "Công nhân Hoa",
                "Hùng",
                "Ann",
            ] {
                assert!(!text.contains(leak), "{leak} leaked in a file");
            }
        }
        for r in &rows {
            assert!(
                !r.iter().any(|c| c.contains("Bí Mật") || c.contains("Hoa")),
                "{r:?}"
            );
        }
    }
    // Everything the bot sent to anyone but the people who answered.
    let others: Vec<Sent> = t.fake.sent()[watched_from..]
        .iter()
        .filter(|m| ![secret.id, c.worker.id, c.leader.id, c.english.id].contains(&m.chat_id))
        .cloned()
        .collect();
    assert!(others.len() >= 10, "{others:?}");
    for m in &others {
        let all = format!("{} {:?} {:?} {:?}", m.text, m.buttons, m.document, m.photo);
        for leak in [
            "987654322",
            "Bí Mật",
            "bimat_khaosat",
            "Công nhân Hoa",
            "Hùng",
            "Ann",
        ] {
            assert!(!all.contains(leak), "{leak} leaked in {all}");
        }
    }
    t.finish().await;
}

/// A one-question poll (Có / Không), prepared by typing only, to the target typed
/// (1: the whole subtree, 2: TTQ-01, 3: TTQ-02); returns its id.
async fn quick_poll(t: &TestApp, officer: &TgUser, target: &str) -> i64 {
    t.say(officer, "/khaosat moi").await;
    t.say(officer, "Khảo sát nhanh").await;
    t.say(officer, "Bạn có tham gia hội thao không?").await;
    t.say(officer, "1").await;
    t.say(officer, "Có; Không").await;
    t.say(officer, "xong").await;
    t.say(officer, "1").await;
    t.say(officer, &deadline_text(2)).await;
    let preview = texts(&t.say(officer, target).await);
    assert!(preview.contains("Khảo sát nhanh"), "{preview}");
    let sent = texts(&t.say(officer, "1").await);
    assert!(sent.contains("Đã gửi khảo sát"), "{sent}");
    t.wait_outbox_empty().await;
    newest_poll(t).await
}

async fn member_view(t: &TestApp, u: &TgUser) -> congdoan_bot::core::conversation::MemberView {
    let mut conn = t.store.pool().acquire().await.expect("conn");
    congdoan_bot::store::members::by_identity(&mut conn, "telegram", &u.id.to_string())
        .await
        .expect("db")
        .expect("member")
}

async fn forged_foreign_and_late_poll_data_change_nothing(backend: Backend) {
    use congdoan_bot::core::conversation::{
        BroadcastTarget, PollAnswer, PollDraft, PollQuestion, QuestionKind,
    };
    use congdoan_bot::store::polls;
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 43_000).await;
    let id = quick_poll(&t, &c.officer, "2").await;
    let responses = "SELECT COUNT(*) FROM poll_responses WHERE poll_id = $1";
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_recipients WHERE poll_id = $1",
            id
        )
        .await,
        2,
        "the worker and the leader of TTQ-01"
    );
    let go = format!("ks:go:{id}");

    // Not asked: TTQ-02, the other branch.
    for u in [&c.english, &c.outsider, &c.direct] {
        let r = shown(&t.press(u, &go).await);
        assert!(
            r.contains("không dành cho bạn") || r.contains("is not for you"),
            "{r}"
        );
    }
    // Forged options while answering; officers' buttons from a member.
    t.press(&c.worker, &go).await;
    let r = texts(&t.press(&c.worker, "ks:opt:7").await);
    assert!(r.contains("Câu 1/1"), "asked again: {r}");
    let r = texts(&t.press(&c.worker, "ks:opt:x").await);
    assert!(r.contains("hết hiệu lực"), "{r}");
    for data in [
        "ks:new".to_string(),
        format!("ks:res:{id}"),
        format!("ks:xlsx:{id}"),
    ] {
        let r = texts(&t.press(&c.worker, &data).await);
        assert!(r.contains("cán bộ"), "{data}: {r}");
    }
    assert!(t.fake.uploads_to(c.worker.id).is_empty());
    assert_eq!(count_for_poll(&t, responses, id).await, 0);
    let done = texts(&t.press(&c.worker, "ks:opt:0").await);
    assert!(done.contains("Đã ghi nhận"), "{done}");
    assert_eq!(count_for_poll(&t, responses, id).await, 1);
    // A text page of a question that is not a text: nothing.
    let r = texts(&t.press(&c.officer, &format!("ks:t:{id}:0:0")).await);
    assert!(r.contains("Không tìm thấy"), "{r}");

    // The store checks again: someone not asked, a wrong answer, after the deadline.
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let english = member_view(&t, &c.english).await;
    let leader = member_view(&t, &c.leader).await;
    let now = now_ms();
    for (who, answer) in [
        (&english, PollAnswer::Choice(0)),
        (&leader, PollAnswer::Choice(2)),
        (&leader, PollAnswer::Number(1)),
        (&leader, PollAnswer::Multi(vec![0])),
    ] {
        let taken = polls::submit(&mut conn, who, id, &[Some(answer)], now)
            .await
            .expect("db");
        assert!(!taken);
    }
    assert!(
        !polls::submit(&mut conn, &leader, id, &[], now)
            .await
            .expect("db")
    );
    let late = now + 3 * 24 * 3600 * 1000;
    assert!(
        !polls::submit(&mut conn, &leader, id, &[Some(PollAnswer::Choice(1))], late)
            .await
            .expect("db")
    );
    assert!(
        polls::submit(&mut conn, &leader, id, &[Some(PollAnswer::Choice(1))], now)
            .await
            .expect("db")
    );
    // A poll to a unit outside the officer's subtree is refused.
    let officer = member_view(&t, &c.officer).await;
    let hn = unit_id(&t, "HN").await;
    let draft = PollDraft {
        title: "Ngoài phạm vi".into(),
        questions: vec![PollQuestion {
            text: "Câu?".into(),
            kind: QuestionKind::Number,
            options: vec![],
        }],
        anonymous: false,
        deadline_at: now + 24 * 3600 * 1000,
    };
    let target = BroadcastTarget {
        unit_id: hn,
        role: None,
        count: 1,
        label: "HN".into(),
        units: vec![],
    };
    let i18n = congdoan_bot::i18n::I18n::new();
    let created = polls::create(&mut conn, &i18n, &officer, &draft, &target, now)
        .await
        .expect("db");
    assert_eq!(created, None);
    drop(conn);
    assert_eq!(count_for_poll(&t, responses, id).await, 2);

    // A member sees the polls they answered among their data, and deleting their data
    // takes their answers with them.
    let mine = texts(&t.say(&c.worker, "/dulieu").await);
    assert!(
        mine.contains("Khảo sát bạn đã trả lời") && mine.contains("Khảo sát nhanh"),
        "{mine}"
    );
    t.say(&c.worker, "/xoadulieu").await;
    t.press(&c.worker, "delete:yes").await;
    assert_eq!(count_for_poll(&t, responses, id).await, 1);
    assert_eq!(
        count_for_poll(
            &t,
            "SELECT COUNT(*) FROM poll_answers WHERE poll_id = $1",
            id
        )
        .await,
        1
    );
    t.finish().await;
}

/// The demo has a poll ready: the member persona answers it by typed numbers (a typed
/// "1" starts it), the officer persona reads its results.
#[test]
fn the_demo_has_a_poll_to_answer_and_read() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db").display().to_string();
    let run = |persona: &str, input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
            .current_dir(dir.path())
            .args(["demo", "--file", &file, "--as", persona])
            .env("RUST_LOG", "warn")
            .env_remove("TELOXIDE_TOKEN")
            .env_remove("CONGDOAN_LANG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the demo");
        if let Some(mut pipe) = child.stdin.take() {
            pipe.write_all(input.as_bytes()).expect("type");
        }
        let o = child.wait_with_output().expect("wait");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let member = run("member", "1\n1\n1 2\n5\nĐèn hẻm tối\n/thoat\n");
    assert!(member.contains("Câu 1/4"), "{member}");
    assert!(member.contains("Đã ghi nhận"), "{member}");
    let officer = run("officer", "/khaosat\n2\n/thoat\n");
    assert!(
        officer.contains("Kết quả khảo sát: Khảo sát đời sống công nhân khu nhà trọ"),
        "{officer}"
    );
    // (Each demo run makes a fresh database: the seeded answers only.)
    assert!(officer.contains("Đã trả lời: 30/55"), "{officer}");
    assert!(officer.contains("Trung bình:"), "{officer}");
}
