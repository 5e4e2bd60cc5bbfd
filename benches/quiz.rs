//! Quiz contests at a province's scale (issue 19).
//!
//! 1. Answers: 100,000 members invited to a 20-question quiz. 90,000 have already taken
//!    it (attempts, 1.8 million answers and results built with bulk INSERT … SELECT), then
//!    2,500 more take it through the store functions the chat uses (`quiz::start`, 20 ×
//!    `quiz::answer`, `quiz::finish`), each call in its own transaction as the processor
//!    runs it: answers per second sustained, and the time 100,000 × 20 answers would take
//!    (one hour needs 556 answers/s); then 2,500 more on 4 connections at once, as 4
//!    processor instances of a cluster would.
//! 2. Leaderboard: 10,000 units, 1,000,000 members, 600,000 entrants: the whole tree's
//!    and one province's leaderboard with its top 10 (`quiz::results`, what `/cuocthi`
//!    shows), best of 3.
//!
//! SQLite always; PostgreSQL too with BENCH_DATABASE_URL (an admin URL: throw-away
//! databases are created next to it).
//!
//! `cargo bench --bench quiz`

mod common;

use std::time::Instant;

use congdoan_bot::core::conversation::{MemberView, QuizQuestion};
use congdoan_bot::core::domain::{Lang, Role};
use congdoan_bot::store::{Store, quiz};

const ANSWER_MEMBERS: i64 = 100_000;
const ANSWER_UNITS: i64 = 100;
const DONE_BEFORE: i64 = 90_000;
// 2 × SAMPLE more take it in the bench: DONE_BEFORE + 2 × SAMPLE ≤ ANSWER_MEMBERS.
const SAMPLE: i64 = 2_500;
const QUESTIONS: i64 = 20;

const UNITS: i64 = 10_000;
const MEMBERS: i64 = 1_000_000;
const PROVINCES: i64 = 34;
const LEVEL3: i64 = 1_020;

async fn exec(store: &Store, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await
        .expect("bench sql");
}

fn seq(n: i64) -> String {
    format!("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {n})")
}

/// Quiz `id` of `QUESTIONS` questions from unit 1 to its whole subtree, open all day.
async fn quiz_row(store: &Store, id: i64) {
    let questions: Vec<QuizQuestion> = (0..QUESTIONS)
        .map(|i| QuizQuestion {
            text: format!("Câu hỏi số {}?", i + 1),
            options: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            correct: (i % 4) as usize,
        })
        .collect();
    let json = serde_json::to_string(&questions).expect("json");
    sqlx::query(
        "INSERT INTO quizzes (id, unit_id, title, questions, question_count, starts_at, ends_at,
                              minutes, attempts, tiebreak, target_unit_id, created_at)
         VALUES ($1, 1, 'Tìm hiểu pháp luật', $2, $3, 0, 9999999999999, 60, 1,
                 'Dự đoán số người tham gia?', 1, 0)",
    )
    .bind(id)
    .bind(json)
    .bind(QUESTIONS)
    .execute(store.pool())
    .await
    .expect("quiz");
    exec(
        store,
        format!(
            "{} INSERT INTO quiz_keys (quiz_id, question, correct)
             SELECT {id}, n - 1, (n - 1) % 4 FROM seq",
            seq(QUESTIONS)
        ),
    )
    .await;
}

/// `QUIZ_BENCH_SMALL=1`: a hundredth of the people (a quick check that it runs).
fn scaled(n: i64) -> i64 {
    if std::env::var("QUIZ_BENCH_SMALL").is_ok() {
        n / 100
    } else {
        n
    }
}

async fn answers(name: &str, store: &Store) {
    let answer_members = scaled(ANSWER_MEMBERS);
    let done_before = scaled(DONE_BEFORE);
    let sample = scaled(SAMPLE);
    println!("{name}: answers");
    let t = Instant::now();
    exec(
        store,
        "INSERT INTO units (id, code, parent_id, name, kind, path, depth, created_at, updated_at)
         VALUES (1, 'U1', NULL, 'LĐLĐ tỉnh', 'unit', '/1/', 0, 0, 0)"
            .into(),
    )
    .await;
    exec(
        store,
        format!(
            "{} INSERT INTO units (id, code, parent_id, name, kind, path, depth, created_at, updated_at)
             SELECT n + 1, 'U' || CAST(n + 1 AS TEXT), 1, 'CĐCS ' || CAST(n AS TEXT), 'unit',
                    '/1/' || CAST(n + 1 AS TEXT) || '/', 1, 0, 0 FROM seq",
            seq(ANSWER_UNITS)
        ),
    )
    .await;
    exec(
        store,
        format!(
            "{} INSERT INTO members (id, unit_id, role, display_name, lang, consent_at, joined_at)
             SELECT n, 2 + n % {ANSWER_UNITS}, 'member', 'Đoàn viên ' || CAST(n AS TEXT), 'vi', 0, 0
             FROM seq",
            seq(answer_members)
        ),
    )
    .await;
    quiz_row(store, 1).await;
    exec(
        store,
        "INSERT INTO quiz_recipients (quiz_id, member_id, unit_id)
         SELECT 1, id, unit_id FROM members"
            .into(),
    )
    .await;
    // Those who took it already: attempts, every answer, results.
    exec(
        store,
        format!(
            "INSERT INTO quiz_attempts (id, quiz_id, member_id, unit_id, attempt_no, started_at,
                                        deadline_at, answered, score, last_at, finished_at, guess)
             SELECT id, 1, id, unit_id, 1, 1000, 3601000, {QUESTIONS}, id % 21, 1000 + id % 600000,
                    1000 + id % 600000, id % 1000
             FROM members WHERE id > {}",
            answer_members - done_before
        ),
    )
    .await;
    exec(
        store,
        format!(
            "{} INSERT INTO quiz_answers (attempt_id, question, choice, correct, answered_at)
             SELECT a.id, s.n - 1, (a.id + s.n) % 4, 0, 1000 FROM quiz_attempts a, seq s",
            seq(QUESTIONS)
        ),
    )
    .await;
    exec(
        store,
        "INSERT INTO quiz_results (quiz_id, member_id, unit_id, score, elapsed_ms, guess, finished_at)
         SELECT quiz_id, member_id, unit_id, score, last_at - started_at, guess, finished_at
         FROM quiz_attempts"
            .into(),
    )
    .await;
    exec(store, "ANALYZE".into()).await;
    println!(
        "  built {answer_members} members in {ANSWER_UNITS} units, {done_before} attempts with {} answers, in {:.1?}",
        done_before * QUESTIONS,
        t.elapsed()
    );

    let all = (answer_members * QUESTIONS) as f64;
    for tasks in [1, 4] {
        let first = if tasks == 1 { 1 } else { sample + 1 };
        let t = Instant::now();
        let mut handles = vec![];
        for k in 0..tasks {
            let store = store.clone();
            let members: Vec<i64> = (first..first + sample).filter(|m| m % tasks == k).collect();
            handles.push(tokio::spawn(async move { take(&store, &members).await }));
        }
        let mut taken = 0u64;
        for h in handles {
            taken += h.await.expect("task");
        }
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(taken, (sample * QUESTIONS) as u64);
        let per_sec = taken as f64 / secs;
        println!(
            "  {sample} members × {QUESTIONS} answers (+ start and finish each), one transaction \
             per call, {tasks} connection(s): {taken} answers in {secs:.1} s = {per_sec:.0} answers/s; \
             {answer_members} × {QUESTIONS} answers would take {:.1} min (one hour needs 556/s)",
            all / per_sec / 60.0
        );
    }
}

/// `members` each take the quiz through the chat's store functions, one transaction per
/// call; returns the answers taken.
async fn take(store: &Store, members: &[i64]) -> u64 {
    let now = 2_000_000;
    let mut taken = 0u64;
    for &member in members {
        let mut tx = store.begin().await.expect("tx");
        assert!(quiz::start(&mut tx, member, 1, now).await.expect("start"));
        tx.commit().await.expect("commit");
        for q in 0..QUESTIONS {
            let mut tx = store.begin().await.expect("tx");
            let r = quiz::answer(&mut tx, member, 1, q, (member + q) % 4, now + q * 1000)
                .await
                .expect("answer");
            tx.commit().await.expect("commit");
            taken += u64::from(r == quiz::Answered::Taken);
        }
        let mut tx = store.begin().await.expect("tx");
        quiz::finish(&mut tx, member, 1, Some(member % 1000), now + 30_000)
            .await
            .expect("finish");
        tx.commit().await.expect("commit");
    }
    taken
}

async fn leaderboard(name: &str, store: &Store) {
    let members = scaled(MEMBERS);
    println!("{name}: leaderboard");
    let t = Instant::now();
    let p_first = 2;
    let l3_first = p_first + PROVINCES;
    let l4_first = l3_first + LEVEL3;
    exec(store, format!(
        "{} INSERT INTO units (id, code, parent_id, name, kind, path, depth, created_at, updated_at)
         SELECT n, 'U' || CAST(n AS TEXT),
           CASE WHEN n = 1 THEN NULL
                WHEN n < {l3_first} THEN 1
                WHEN n < {l4_first} THEN {p_first} + (n - {l3_first}) % {PROVINCES}
                ELSE {l3_first} + (n - {l4_first}) % {LEVEL3} END,
           'Đơn vị ' || CAST(n AS TEXT), 'unit',
           CASE WHEN n = 1 THEN '/1/'
                WHEN n < {l3_first} THEN '/1/' || CAST(n AS TEXT) || '/'
                WHEN n < {l4_first} THEN '/1/' || CAST({p_first} + (n - {l3_first}) % {PROVINCES} AS TEXT) || '/' || CAST(n AS TEXT) || '/'
                ELSE '/1/' || CAST({p_first} + ((n - {l4_first}) % {LEVEL3}) % {PROVINCES} AS TEXT) || '/'
                     || CAST({l3_first} + (n - {l4_first}) % {LEVEL3} AS TEXT) || '/' || CAST(n AS TEXT) || '/' END,
           CASE WHEN n = 1 THEN 0 WHEN n < {l3_first} THEN 1 WHEN n < {l4_first} THEN 2 ELSE 3 END,
           0, 0
         FROM seq",
        seq(UNITS)
    ))
    .await;
    let grassroots = UNITS - l4_first + 1;
    exec(store, format!(
        "{} INSERT INTO members (id, unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT n, {l4_first} + n % {grassroots}, 'member', 'Đoàn viên ' || CAST(n AS TEXT), 'vi', 0, 0 FROM seq",
        seq(members)
    ))
    .await;
    quiz_row(store, 2).await;
    exec(
        store,
        "INSERT INTO quiz_results (quiz_id, member_id, unit_id, score, elapsed_ms, guess, finished_at)
         SELECT 2, id, unit_id, id % 21, (id * 7919) % 600000, id % 1000, 1000
         FROM members WHERE id % 5 < 3"
            .into(),
    )
    .await;
    exec(store, "ANALYZE".into()).await;
    println!(
        "  built {UNITS} units, {members} members, {} entrants in {:.1?}",
        members / 5 * 3,
        t.elapsed()
    );
    let mut conn = store.pool().acquire().await.expect("conn");
    for (label, unit, path) in [("whole tree", 1i64, "/1/"), ("one province", 2, "/1/2/")] {
        let officer = MemberView {
            id: 1,
            unit_id: unit,
            unit_path: path.to_string(),
            unit_code: format!("U{unit}"),
            unit_name: label.to_string(),
            role: Role::Officer,
            lang: Lang::Vi,
            display_name: "Cán bộ".into(),
            username: None,
            joined_at: 0,
            consent_at: 0,
            identities: vec![],
        };
        let mut best = f64::MAX;
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let r = quiz::results(&mut conn, 2, unit, &officer, 0)
                .await
                .expect("results")
                .expect("visible");
            best = best.min(t.elapsed().as_secs_f64());
            last = Some(r);
        }
        let r = last.expect("ran");
        let top = &r.rows[0];
        println!(
            "  {label}: {:.0} ms (best of 3; leaderboard of {} child units + top {}); {}/{} entrants",
            best * 1000.0,
            r.rows.len() - 1,
            r.top.len(),
            top.entrants,
            top.members
        );
    }
}

async fn run(name: &str, open: impl AsyncFn(&str) -> Store) {
    let store = open("congdoan_bench_quiz_answers").await;
    answers(name, &store).await;
    store.close().await;
    let store = open("congdoan_bench_quiz_board").await;
    leaderboard(name, &store).await;
    store.close().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_path_buf();
    run("SQLite", async |db: &str| {
        let url = format!("sqlite://{}", path.join(format!("{db}.db")).display());
        Store::open(&url).await.expect("sqlite")
    })
    .await;
    if let Ok(admin) = std::env::var("BENCH_DATABASE_URL") {
        run("PostgreSQL", async |db: &str| {
            let url = common::fresh_postgres(&admin, db).await.expect("database");
            Store::open(&url).await.expect("postgres")
        })
        .await;
        for db in ["congdoan_bench_quiz_answers", "congdoan_bench_quiz_board"] {
            common::drop_postgres(&admin, db).await.ok();
        }
    }
}
