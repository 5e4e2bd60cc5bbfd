//! Quiz contests (`/cuocthi`): an officer loads a 3-question quiz from a .csv (a bad
//! .csv first: refused with its row named, nothing created), sets the window, the time
//! and a tie-break, and sends it to the grassroots union's members. One member answers by
//! buttons, one on Zalo by typed numbers, one runs out of time mid-way (scored as it
//! stood when the next answer came), one walks away (closed by the scheduler's sweep).
//! The ranking and the unit leaderboards are exact, in chat and in the .xlsx; a second
//! attempt is refused; the answers are revealed only after the window; another branch's
//! officer sees nothing.

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
    a_quiz_from_a_csv_is_taken_every_way_and_ranked_exactly,
    a_typed_quiz_with_two_attempts_and_forged_data,
);

const GOOD_CSV: &str = "Câu hỏi,Phương án,Đáp án
Công đoàn Việt Nam thành lập năm nào?,1929;1930;1945,2
Ngày Quốc tế Lao động là ngày nào?,1/5,2/9,19/8,1
\"Bộ luật Lao động 2019 có hiệu lực từ năm nào?\",2019;2020;2021,3
";

const BAD_CSV: &str = "Câu hỏi,Phương án,Đáp án
Câu 1?,A;B,1
Câu 2?,A;B;C,5
";

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE code = $1")
        .bind(code.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .try_get("id")
        .expect("id")
}

async fn scalar(t: &TestApp, sql: &'static str, arg: i64) -> i64 {
    sqlx::query(sql)
        .bind(arg)
        .fetch_one(t.store.pool())
        .await
        .expect("query")
        .try_get::<i64, _>(0)
        .expect("value")
}

fn day(days: i64) -> String {
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

/// Move member `tg`'s open attempt `minutes` into the past, as if they had started then.
async fn age_attempt(t: &TestApp, quiz: i64, name: &str, minutes: i64) {
    sqlx::query(
        "UPDATE quiz_attempts SET started_at = started_at - $1, deadline_at = deadline_at - $1
         WHERE quiz_id = $2 AND finished_at IS NULL
           AND member_id = (SELECT id FROM members WHERE display_name = $3)",
    )
    .bind(minutes * 60_000)
    .bind(quiz)
    .bind(name.to_string())
    .execute(t.store.pool())
    .await
    .expect("age attempt");
}

async fn a_quiz_from_a_csv_is_taken_every_way_and_ranked_exactly(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let officer = TgUser::new(51_001, "Cán bộ Thu");
    let an = TgUser::new(51_002, "Công nhân An");
    let binh = TgUser::new(51_003, "Công nhân Bình");
    let cuc = TgUser::new(51_004, "Công nhân Cúc");
    let hn = TgUser::new(51_005, "Cán bộ Hà Nội");
    for (u, unit, role) in [
        (&officer, "CDCS-ABC", Role::Officer),
        (&an, "TTQ-01", Role::Member),
        (&binh, "TTQ-01", Role::Member),
        (&cuc, "TTQ-02", Role::Member),
        (&hn, "HN", Role::Officer),
    ] {
        t.t.join(u, &t.invite(unit, role, 1, None).await).await;
    }
    let z = ZaloUser::new("5a1b3c4d", "Công nhân Zalo Dũng");
    t.say(&z, t.invite("TTQ-02", Role::Member, 1, None).await.as_str())
        .await;
    t.say(&z, "1").await;

    // The officer loads the questions: a bad .csv is refused with its row named.
    let menu = t.t.say(&officer, "/cuocthi").await;
    assert!(data_of(&menu).contains(&"qz:new".to_string()), "{menu:?}");
    let ask = texts(&t.t.press(&officer, "qz:new").await);
    assert!(ask.contains("tên cuộc thi"), "{ask}");
    let format = texts(&t.t.say(&officer, "Tìm hiểu pháp luật lao động").await);
    assert!(format.contains(".csv"), "{format}");
    t.fake.add_file("csv-bad", BAD_CSV.as_bytes().to_vec());
    let bad = texts(
        &t.t.send(
            officer.id,
            officer.document("csv-bad", "cau-hoi.csv", BAD_CSV.len()),
        )
        .await,
    );
    assert!(bad.contains("Dòng 3"), "{bad}");
    assert!(bad.contains("chưa có đáp án đúng"), "{bad}");
    assert_eq!(t.count("SELECT COUNT(*) FROM quizzes").await, 0);
    t.fake.add_file("csv-good", GOOD_CSV.as_bytes().to_vec());
    let loaded = texts(
        &t.t.send(
            officer.id,
            officer.document("csv-good", "cau-hoi.csv", GOOD_CSV.len()),
        )
        .await,
    );
    assert!(loaded.contains("Đã nhận 3 câu hỏi"), "{loaded}");
    let past = texts(
        &t.t.say(&officer, &format!("{} - {}", day(-5), day(-2)))
            .await,
    );
    assert!(past.contains("phải sau bây giờ"), "{past}");
    let minutes = texts(&t.t.say(&officer, &format!("{} - {}", day(0), day(2))).await);
    assert!(minutes.contains("bao nhiêu phút"), "{minutes}");
    let attempts = t.t.say(&officer, "10").await;
    assert!(data_of(&attempts).contains(&"qz:att:1".to_string()));
    t.t.press(&officer, "qz:att:1").await;
    let target =
        t.t.say(&officer, "Dự đoán số người tham gia cuộc thi?")
            .await;
    assert!(
        data_of(&target).contains(&"qz:to:all".to_string()),
        "{target:?}"
    );
    let preview = texts(&t.t.press(&officer, "qz:to:all").await);
    assert!(preview.contains("3 câu hỏi"), "{preview}");
    assert!(
        preview.contains("Mỗi lượt 10 phút, mỗi người 1 lượt"),
        "{preview}"
    );
    let sent = texts(&t.t.press(&officer, "qz:send").await);
    assert!(sent.contains("Đã gửi cuộc thi"), "{sent}");
    t.wait_outbox_empty().await;
    let id = t.count("SELECT MAX(id) FROM quizzes").await;
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM quiz_recipients WHERE quiz_id = $1",
            id
        )
        .await,
        4
    );
    let go = format!("qz:go:{id}");
    for u in [&an, &binh, &cuc] {
        assert!(data_of(&t.fake.sent_to(u.id)).contains(&go));
    }
    assert!(!data_of(&t.fake.sent_to(hn.id)).contains(&go));
    let zn = ztexts(&t.zalo.sent_to(&z.id));
    assert!(zn.contains("gõ 1"), "{zn}");

    // An: by buttons, all correct, then the tie-break.
    let q1 = t.t.press(&an, &go).await;
    assert!(texts(&q1).contains("Câu 1/3"), "{}", texts(&q1));
    assert_eq!(
        data_of(&q1),
        [
            format!("qz:a:{id}:0:0"),
            format!("qz:a:{id}:0:1"),
            format!("qz:a:{id}:0:2")
        ]
    );
    t.t.press(&an, &format!("qz:a:{id}:0:1")).await;
    // A stale button of the question already answered changes nothing.
    let stale = texts(&t.t.press(&an, &format!("qz:a:{id}:0:2")).await);
    assert!(stale.contains("Câu 2/3"), "{stale}");
    t.t.press(&an, &format!("qz:a:{id}:1:0")).await;
    let guess = texts(&t.t.press(&an, &format!("qz:a:{id}:2:2")).await);
    assert!(guess.contains("Câu hỏi phụ"), "{guess}");
    let done = texts(&t.t.say(&an, "4").await);
    assert!(done.contains("3/3"), "{done}");
    // A second attempt is refused.
    let again = texts(&t.t.press(&an, &go).await);
    assert!(again.contains("hết lượt thi"), "{again}");
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = $1",
            id
        )
        .await,
        1
    );

    // Dũng on Zalo: typed numbers only (1 starts; 2, 1, 1 answer; 5 guesses).
    let q1 = ztexts(&t.say(&z, "1").await);
    assert!(q1.contains("Câu 1/3") && q1.contains("2. 1930"), "{q1}");
    t.say(&z, "2").await;
    let bad = ztexts(&t.say(&z, "9").await);
    assert!(bad.contains("Câu 2/3"), "{bad}");
    t.say(&z, "1").await;
    t.say(&z, "1").await;
    let done = ztexts(&t.say(&z, "5").await);
    assert!(done.contains("2/3"), "{done}");

    // Bình answers one, then runs out of time: the next answer finds the attempt over.
    t.t.press(&binh, &go).await;
    t.t.press(&binh, &format!("qz:a:{id}:0:1")).await;
    age_attempt(&t, id, "Công nhân Bình", 11).await;
    let late = texts(&t.t.press(&binh, &format!("qz:a:{id}:1:0")).await);
    assert!(late.contains("Hết giờ") && late.contains("1/3"), "{late}");

    // Cúc starts and walks away: the scheduler's sweep closes it as it stood.
    t.t.press(&cuc, &go).await;
    age_attempt(&t, id, "Công nhân Cúc", 11).await;
    {
        let mut conn = t.store.pool().acquire().await.expect("conn");
        let closed = congdoan_bot::store::quiz::expire(
            &mut conn,
            &congdoan_bot::i18n::I18n::new(),
            now_ms(),
        )
        .await
        .expect("sweep");
        assert_eq!(closed, 1);
    }
    // Cúc is told what the attempt she left open counted for.
    let mut told = String::new();
    for _ in 0..100 {
        told = texts(&t.t.fake.sent_to(cuc.id));
        if told.contains("Hết giờ làm bài") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        told.contains("Hết giờ làm bài «") && told.contains("0/3 câu đúng"),
        "{told}"
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = $1 AND finished_at IS NULL",
            id
        )
        .await,
        0
    );

    // The ranking and the unit leaderboard, exact.
    let abc = unit_id(&t, "CDCS-ABC").await;
    let res = format!("qz:res:{id}:{abc}");
    let menu = t.t.say(&officer, "/cuocthi").await;
    assert!(data_of(&menu).contains(&res), "{menu:?}");
    let board = texts(&t.t.press(&officer, &res).await);
    assert!(
        board.contains("Dự thi: <b>4</b>/5 đoàn viên (80%)"),
        "{board}"
    );
    assert!(board.contains("điểm trung bình 1,5/3"), "{board}");
    let line = |n: usize, who: &str, score: &str| {
        board
            .lines()
            .any(|l| l.starts_with(&format!("{n}. {who} (")) && l.contains(score))
    };
    assert!(line(1, "Công nhân An", "<b>3/3</b>"), "{board}");
    assert!(line(2, "Công nhân Zalo Dũng", "<b>2/3</b>"), "{board}");
    assert!(line(3, "Công nhân Bình", "<b>1/3</b> · 10:00"), "{board}");
    assert!(line(4, "Công nhân Cúc", "<b>0/3</b> · 10:00"), "{board}");
    assert!(board.contains("dự đoán 4"), "{board}");
    assert!(
        board.contains("1. Tổ tự quản nhà trọ số 1: 2/2 người (100%) · TB 2"),
        "{board}"
    );
    assert!(
        board.contains("2. Tổ tự quản nhà trọ số 2: 2/2 người (100%) · TB 1"),
        "{board}"
    );
    // One level down.
    let ttq1 = unit_id(&t, "TTQ-01").await;
    let down = texts(&t.t.press(&officer, &format!("qz:res:{id}:{ttq1}")).await);
    assert!(
        down.contains("Dự thi: <b>2</b>/2 đoàn viên (100%)"),
        "{down}"
    );
    assert!(!down.contains("Zalo Dũng"), "{down}");

    // The ranking and the winners as .xlsx.
    let before = t.fake.uploads_to(officer.id).len();
    t.t.press(&officer, &format!("qz:xlsx:{id}")).await;
    let uploads = t.fake.uploads_to(officer.id);
    assert_eq!(uploads.len(), before + 2, "ranking and winners");
    let rows = sheet_rows(&uploads[before].1);
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[0][0], "Hạng");
    assert_eq!(rows[1][1], "Công nhân An");
    assert_eq!(rows[1][3], "3/3");
    assert_eq!(rows[4][1], "Công nhân Cúc");
    let winners = sheet_rows(&uploads[before + 1].1);
    assert_eq!(winners.len(), 5, "{winners:?}");

    // Another branch's officer sees nothing, whatever the button says.
    let hn_menu = t.t.say(&hn, "/cuocthi").await;
    assert!(!data_of(&hn_menu).iter().any(|d| d.starts_with("qz:res:")));
    let hn_unit = unit_id(&t, "HN").await;
    for forged in [
        format!("qz:res:{id}:{hn_unit}"),
        format!("qz:res:{id}:{abc}"),
    ] {
        let r = texts(&t.t.press(&hn, &forged).await);
        assert!(r.contains("Không tìm thấy"), "{r}");
        assert!(!r.contains("Công nhân An"), "{r}");
    }
    let hn_before = t.fake.uploads_to(hn.id).len();
    t.t.press(&hn, &format!("qz:xlsx:{id}")).await;
    assert_eq!(t.fake.uploads_to(hn.id).len(), hn_before);

    // The answers: not before the window closes, then for everyone invited.
    let reveal = format!("qz:ans:{id}");
    let early = texts(&t.t.press(&an, &reveal).await);
    assert!(early.contains("công bố sau"), "{early}");
    assert!(!early.contains("1930"), "{early}");
    sqlx::query("UPDATE quizzes SET ends_at = $1 WHERE id = $2")
        .bind(now_ms() - 60_000)
        .bind(id)
        .execute(t.store.pool())
        .await
        .expect("close the window");
    let answers = texts(&t.t.press(&an, &reveal).await);
    assert!(answers.contains("✅ 2) 1930"), "{answers}");
    assert!(answers.contains("✅ 3) 2021"), "{answers}");
    assert!(answers.contains("3/3"), "{answers}");
    let zmenu = ztexts(&t.say(&z, "/cuocthi").await);
    assert!(zmenu.contains("Xem đáp án"), "{zmenu}");
    let zanswers = ztexts(&t.say(&z, "1").await);
    assert!(zanswers.contains("✅ 1) 1/5"), "{zanswers}");
    // Too late to start.
    let late = texts(&t.t.press(&cuc, &go).await);
    assert!(!late.contains("Câu 1/3"), "{late}");
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = $1",
            id
        )
        .await,
        4
    );

    t.finish().await;
}

/// Questions typed in chat (a bad block first), everything chosen by typed numbers; two
/// attempts, the best counts; members cannot create or read results; forged answers,
/// options and quizzes change nothing.
async fn a_typed_quiz_with_two_attempts_and_forged_data(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 52_000).await;
    t.say(&c.officer, "/cuocthi moi").await;
    t.say(&c.officer, "Hiểu biết về Công đoàn").await;
    let bad = texts(
        &t.say(
            &c.officer,
            "Công đoàn Việt Nam thành lập năm nào?\nA. 1929\n*B. 1930\n\nNgày truyền thống?\nA. 28/7\nB. 1/5",
        )
        .await,
    );
    assert!(
        bad.contains("Dòng 5") && bad.contains("chưa có đáp án đúng"),
        "{bad}"
    );
    let ok = texts(
        &t.say(
            &c.officer,
            "Công đoàn Việt Nam thành lập năm nào?\nA. 1929\n*B. 1930\n\nNgày truyền thống?\n*A. 28/7\nB. 1/5",
        )
        .await,
    );
    assert!(ok.contains("Đã nhận 2 câu hỏi"), "{ok}");
    let bad_window = texts(&t.say(&c.officer, "sớm thôi").await);
    assert!(
        bad_window.contains("1/12/2026 - 20/12/2026"),
        "{bad_window}"
    );
    t.say(
        &c.officer,
        &format!("{} 00:00 đến {} 23:00", day(0), day(1)),
    )
    .await;
    let bad_minutes = texts(&t.say(&c.officer, "999").await);
    assert!(bad_minutes.contains("từ 1 đến 180"), "{bad_minutes}");
    t.say(&c.officer, "5").await;
    t.say(&c.officer, "2").await;
    let target = t.say(&c.officer, "không").await;
    assert!(texts(&target).contains("Ai được dự thi"), "{target:?}");
    assert!(
        data_of(&target).contains(&"qz:to:pick".to_string()),
        "{target:?}"
    );
    // Several child units: picked by typed numbers (TTQ-01 only, ticked then done).
    t.press(&c.officer, "qz:to:pick").await;
    let ttq1 = unit_id(&t, "TTQ-01").await;
    let ticked = t.say(&c.officer, "1").await;
    assert!(
        ticked.iter().any(|m| m
            .buttons
            .iter()
            .any(|(l, d)| l.contains("☑") && *d == format!("qz:pick:{ttq1}"))),
        "{ticked:?}"
    );
    let preview = texts(&t.press(&c.officer, "qz:pick:done").await);
    assert!(preview.contains("mỗi người 2 lượt"), "{preview}");
    assert!(preview.contains("Không có câu hỏi phụ"), "{preview}");
    t.say(&c.officer, "1").await;
    let id = t.count("SELECT MAX(id) FROM quizzes").await;
    assert!(id > 0);
    // TTQ-01's worker and leader only: not TTQ-02, not the grassroots union's own.
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM quiz_recipients WHERE quiz_id = $1",
            id
        )
        .await,
        2
    );
    let r = texts(&t.press(&c.english, &format!("qz:go:{id}")).await);
    assert!(r.contains("not for you"), "{r}");

    // Members cannot create or read results, whatever the button says.
    let abc = unit_id(&t, "CDCS-ABC").await;
    for forged in [
        "qz:new".to_string(),
        format!("qz:res:{id}:{abc}"),
        format!("qz:xlsx:{id}"),
    ] {
        let r = texts(&t.press(&c.worker, &forged).await);
        assert!(r.contains("chỉ dành cho cán bộ"), "{forged}: {r}");
    }
    // Someone not invited cannot start it.
    let r = texts(&t.press(&c.outsider, &format!("qz:go:{id}")).await);
    assert!(r.contains("không dành cho bạn"), "{r}");

    // Two attempts: 1/2, then 2/2; the best counts. A forged option changes nothing.
    t.say(&c.worker, "1").await;
    let r = texts(&t.press(&c.worker, &format!("qz:a:{id}:0:9")).await);
    assert!(r.contains("Câu 1/2"), "{r}");
    t.press(&c.worker, &format!("qz:a:{id}:0:0")).await;
    let done = texts(&t.press(&c.worker, &format!("qz:a:{id}:1:0")).await);
    assert!(
        done.contains("1/2") && done.contains("còn 1 lượt"),
        "{done}"
    );
    t.press(&c.worker, &format!("qz:go:{id}")).await;
    t.say(&c.worker, "2").await;
    let done = texts(&t.say(&c.worker, "1").await);
    assert!(done.contains("2/2"), "{done}");
    let third = texts(&t.press(&c.worker, &format!("qz:go:{id}")).await);
    assert!(
        third.contains("hết lượt thi") && third.contains("2/2"),
        "{third}"
    );
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM quiz_answers a JOIN quiz_attempts q ON q.id = a.attempt_id WHERE q.quiz_id = $1", id).await,
        4
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT MAX(score) FROM quiz_results WHERE quiz_id = $1",
            id
        )
        .await,
        2
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM quiz_results WHERE quiz_id = $1",
            id
        )
        .await,
        1
    );
    t.finish().await;
}

/// The demo has a quiz open: the member persona takes it by typed numbers from /cuocthi,
/// the officer persona reads the ranking and the unit leaderboard.
#[test]
fn the_demo_has_a_quiz_to_take_and_rank() {
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
    let member = run("member", "/cuocthi\n1\n2\n2\n2\n1\n2\n42\n/thoat\n");
    assert!(member.contains("Câu 1/5"), "{member}");
    assert!(member.contains("5/5"), "{member}");
    let officer = run("officer", "/cuocthi\n2\n/thoat\n");
    assert!(officer.contains("Xếp hạng cá nhân"), "{officer}");
    assert!(officer.contains("Bảng xếp hạng đơn vị"), "{officer}");
}
