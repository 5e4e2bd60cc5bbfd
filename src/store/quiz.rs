//! Quiz contests (`/cuocthi`, issue 19): quizzes, the members invited (written by the
//! same [`Audience`] SQL as the messages that invite them), attempts, answers, and each
//! entrant's best result, from which the ranking and the unit leaderboards are read.
//! Every write is checked here again: the target against the officer's subtree, an
//! attempt against the window, the attempts allowed and the people invited, an answer
//! against the open attempt, its next question and its time limit. An attempt past its
//! time is closed as it stands by the next answer or by [`expire`] (the scheduler's
//! sweep), whichever comes first; nothing depends on a timer firing on time.

use sqlx::Row;

use super::fanout::{Audience, Tag, to_members};
use super::outbox::PRIORITY_REPLY;
use super::{Conn, StoreError, outbox, prompts, tallies};
use crate::core::actions::QuizAction;
use crate::core::conversation::quiz::{EXPORT_COLUMN_IDS, MAX_OPTIONS, WINNERS, clock, draft_ok};
use crate::core::conversation::{
    AttemptView, BroadcastTarget, Facts, MemberView, PendingPrompt, PromptFlow, QuizBoardRow,
    QuizDraft, QuizEffect, QuizNeeds, QuizQuestion, QuizRankRow, QuizResults, QuizToTake, QuizView,
};
use crate::core::domain::Role;
use crate::core::event::{Button, MediaKind, Outbound};
use crate::core::notices::{ExportWord, Notice, Notices};
use crate::reports::export::{Cell, Table, to_xlsx};

/// Quizzes whose window closed longer ago than this leave the member's list.
const LISTED_AFTER_END_MS: i64 = 30 * 24 * 3600 * 1000;
const MAX_VISIBLE: i64 = 5;
/// Rows of the ranking file.
const MAX_EXPORT_ROWS: i64 = 200_000;
/// Attempts closed per sweep.
const SWEEP_BATCH: i64 = 1000;

fn questions_of(json: &str) -> Vec<QuizQuestion> {
    serde_json::from_str(json).unwrap_or_default()
}

const QUIZ_COLUMNS: &str = "q.id, q.title, q.starts_at, q.ends_at, q.minutes, q.attempts, \
                            q.questions, q.tiebreak, u.name AS unit_name";

fn view_of(r: &sqlx::any::AnyRow) -> Result<QuizView, StoreError> {
    Ok(QuizView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        unit_name: r.try_get("unit_name")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        minutes: r.try_get("minutes")?,
        attempts: r.try_get("attempts")?,
        questions: questions_of(&r.try_get::<String, _>("questions")?),
        tiebreak: r.try_get("tiebreak")?,
    })
}

/// Look up what `/cuocthi` needs for member `m`.
pub async fn load_facts(
    conn: &mut Conn,
    m: &MemberView,
    needs: &QuizNeeds,
    now: i64,
    facts: &mut Facts,
) -> Result<(), StoreError> {
    if needs.lists {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {QUIZ_COLUMNS} FROM quiz_recipients r
             JOIN quizzes q ON q.id = r.quiz_id
             JOIN units u ON u.id = q.unit_id
             WHERE r.member_id = $1 AND q.ends_at > $2
             ORDER BY q.ends_at, q.id LIMIT 10"
        )))
        .bind(m.id)
        .bind(now - LISTED_AFTER_END_MS)
        .fetch_all(&mut *conn)
        .await?;
        let mut to_take = vec![];
        for r in rows {
            let quiz = view_of(&r)?;
            let used: i64 = sqlx::query(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM quiz_attempts
                 WHERE member_id = $1 AND quiz_id = $2",
            )
            .bind(m.id)
            .bind(quiz.id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
            let open = sqlx::query(
                "SELECT started_at, deadline_at, answered, score FROM quiz_attempts
                 WHERE member_id = $1 AND quiz_id = $2 AND finished_at IS NULL",
            )
            .bind(m.id)
            .bind(quiz.id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|a| {
                Ok::<_, StoreError>(AttemptView {
                    started_at: a.try_get("started_at")?,
                    deadline_at: a.try_get("deadline_at")?,
                    answered: a.try_get("answered")?,
                    score: a.try_get("score")?,
                })
            })
            .transpose()?;
            let best = sqlx::query(
                "SELECT score, elapsed_ms FROM quiz_results WHERE quiz_id = $1 AND member_id = $2",
            )
            .bind(quiz.id)
            .bind(m.id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|b| Ok::<_, StoreError>((b.try_get("score")?, b.try_get("elapsed_ms")?)))
            .transpose()?;
            to_take.push(QuizToTake {
                quiz,
                used,
                open,
                best,
            });
        }
        facts.quiz.to_take = to_take;
        if m.role == Role::Officer {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {QUIZ_COLUMNS} FROM quizzes q
                 JOIN units u ON u.id = q.unit_id
                 JOIN units tu ON tu.id = q.target_unit_id
                 WHERE u.path LIKE $1 OR $2 LIKE tu.path || '%'
                 ORDER BY q.created_at DESC, q.id DESC LIMIT {MAX_VISIBLE}"
            )))
            .bind(format!("{}%", m.unit_path))
            .bind(&m.unit_path)
            .fetch_all(&mut *conn)
            .await?;
            facts.quiz.visible = rows.iter().map(view_of).collect::<Result<_, _>>()?;
        }
    }
    if let Some((quiz_id, unit_id)) = needs.results {
        facts.quiz.results = results(conn, quiz_id, unit_id, m, now).await?;
    }
    Ok(())
}

/// Quiz `id` if officer `m` may read its results: made in their subtree, or put to a
/// part of the tree that holds their unit. Their reading covers their subtree only.
async fn visible(conn: &mut Conn, id: i64, m: &MemberView) -> Result<Option<QuizView>, StoreError> {
    if m.role != Role::Officer {
        return Ok(None);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {QUIZ_COLUMNS} FROM quizzes q
         JOIN units u ON u.id = q.unit_id
         JOIN units tu ON tu.id = q.target_unit_id
         WHERE q.id = $1 AND (u.path LIKE $2 OR $3 LIKE tu.path || '%')"
    )))
    .bind(id)
    .bind(format!("{}%", m.unit_path))
    .bind(&m.unit_path)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(view_of).transpose()
}

/// The number the tie-break guesses are measured against: the officer's answer, else
/// the number of entrants.
async fn tiebreak_target(conn: &mut Conn, quiz_id: i64) -> Result<Option<i64>, StoreError> {
    let r = sqlx::query(
        "SELECT q.tiebreak, q.tiebreak_answer,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM quiz_results r WHERE r.quiz_id = q.id)
                  AS entrants
         FROM quizzes q WHERE q.id = $1",
    )
    .bind(quiz_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = r else { return Ok(None) };
    if r.try_get::<Option<String>, _>("tiebreak")?.is_none() {
        return Ok(None);
    }
    let answer: Option<i64> = r.try_get("tiebreak_answer")?;
    Ok(Some(match answer {
        Some(a) => a,
        None => r.try_get("entrants")?,
    }))
}

const RANK_ORDER: &str = "r.score DESC, r.elapsed_ms, \
                          CASE WHEN r.guess IS NULL THEN 1 ELSE 0 END, ABS(r.guess - $3), \
                          r.member_id";

/// The ranking over the subtree under `path`: best first.
async fn ranking(
    conn: &mut Conn,
    quiz_id: i64,
    path: &str,
    target: Option<i64>,
    limit: i64,
) -> Result<Vec<QuizRankRow>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT mm.display_name AS who, u.name AS unit, r.score, r.elapsed_ms, r.guess
         FROM quiz_results r
         JOIN units u ON u.id = r.unit_id
         JOIN members mm ON mm.id = r.member_id
         WHERE r.quiz_id = $1 AND u.path LIKE $2
         ORDER BY {RANK_ORDER} LIMIT $4"
    )))
    .bind(quiz_id)
    .bind(format!("{path}%"))
    .bind(target.unwrap_or(0))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(QuizRankRow {
                name: r.try_get("who")?,
                unit: r.try_get("unit")?,
                score: r.try_get("score")?,
                elapsed_ms: r.try_get("elapsed_ms")?,
                guess: r.try_get("guess")?,
            })
        })
        .collect()
}

/// The leaderboard of quiz `quiz_id` under unit `unit_id` (officer `m`'s unit or one in
/// their subtree): the unit, then each direct child over its subtree, with entrants,
/// members (the per-unit counters) and the sum of scores. `None` if they may not read it.
pub async fn results(
    conn: &mut Conn,
    quiz_id: i64,
    unit_id: i64,
    m: &MemberView,
    _now: i64,
) -> Result<Option<QuizResults>, StoreError> {
    let Some(quiz) = visible(conn, quiz_id, m).await? else {
        return Ok(None);
    };
    let unit = sqlx::query("SELECT id, name, path FROM units WHERE id = $1 AND path LIKE $2")
        .bind(unit_id)
        .bind(format!("{}%", m.unit_path))
        .fetch_optional(&mut *conn)
        .await?;
    let Some(unit) = unit else {
        return Ok(None);
    };
    let path: String = unit.try_get("path")?;
    let board = leaderboard(conn, quiz_id, unit_id, &path).await?;
    let mut rows = vec![QuizBoardRow {
        unit_id,
        name: unit.try_get("name")?,
        members: board.0.total[0],
        entrants: board.1.total[0],
        score_sum: board.1.total[1],
    }];
    for (id, name) in board.2 {
        let [members, _] = board.0.child(id);
        let [entrants, score_sum] = board.1.child(id);
        rows.push(QuizBoardRow {
            unit_id: id,
            name,
            members,
            entrants,
            score_sum,
        });
    }
    let target = tiebreak_target(conn, quiz_id).await?;
    let top = ranking(conn, quiz_id, &path, target, 10).await?;
    Ok(Some(QuizResults {
        quiz,
        rows,
        own_unit_id: m.unit_id,
        top,
        tiebreak_target: target,
    }))
}

/// Members (from the per-unit counters), entrants and score sums under `path`, rolled up
/// for the unit and each direct child; and the children (id, name).
pub async fn leaderboard(
    conn: &mut Conn,
    quiz_id: i64,
    unit_id: i64,
    path: &str,
) -> Result<(tallies::Rolled<2>, tallies::Rolled<2>, Vec<(i64, String)>), StoreError> {
    let members = tallies::members_below(conn, path).await?;
    let rows = sqlx::query(
        "SELECT u.path, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(r.score) AS BIGINT) AS s
         FROM quiz_results r JOIN units u ON u.id = r.unit_id
         WHERE r.quiz_id = $1 AND u.path LIKE $2
         GROUP BY u.path",
    )
    .bind(quiz_id)
    .bind(format!("{path}%"))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<String, _>("path")?,
            [r.try_get("n")?, r.try_get("s")?],
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let entrants = tallies::Rolled::from_rows(path, rows);
    let children = sqlx::query("SELECT id, name FROM units WHERE parent_id = $1 ORDER BY name, id")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((members, entrants, children))
}

/// Apply one quiz effect for member `m`, every rule checked again here.
pub async fn apply(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    channel: &str,
    chat_id: &str,
    effect: &QuizEffect,
    now: i64,
) -> Result<(), StoreError> {
    match effect {
        QuizEffect::Create { draft, target } => {
            let id = create(conn, notices, m, draft, target, now).await?;
            tracing::info!(quiz = ?id, "quiz created");
        }
        QuizEffect::Start { quiz_id } => {
            if !start(conn, m.id, *quiz_id, now).await? {
                tracing::warn!(quiz = quiz_id, "quiz attempt refused");
            }
        }
        QuizEffect::Answer {
            quiz_id,
            question,
            option,
        } => {
            let r = answer(conn, m.id, *quiz_id, *question, *option, now).await?;
            if r == Answered::Taken {
                metrics::counter!("congdoan_quiz_answers_total", "channel" => channel.to_string())
                    .increment(1);
            } else {
                tracing::info!(quiz = quiz_id, outcome = ?r, "quiz answer not taken");
            }
        }
        QuizEffect::Finish { quiz_id, guess } => {
            finish(conn, m.id, *quiz_id, *guess, now).await?;
        }
        QuizEffect::Export { quiz_id } => {
            for body in export(conn, notices, m, *quiz_id).await? {
                outbox::enqueue(conn, channel, chat_id, &body, PRIORITY_REPLY, now).await?;
            }
        }
    }
    Ok(())
}

/// Create a quiz from officer `m`'s unit for `target` (inside their subtree, whatever the
/// button said), record everyone invited and the prompt put to each, and invite them.
pub async fn create(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    draft: &QuizDraft,
    target: &BroadcastTarget,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    if m.role != Role::Officer || !draft_ok(draft) || draft.ends_at <= now {
        return Ok(None);
    }
    if !matches!(target.role, None | Some(Role::Leader)) {
        return Ok(None);
    }
    let target_path: Option<String> =
        sqlx::query("SELECT path FROM units WHERE id = $1 AND path LIKE $2")
            .bind(target.unit_id)
            .bind(format!("{}%", m.unit_path))
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get("path"))
            .transpose()?;
    let Some(target_path) = target_path else {
        tracing::warn!("quiz outside the officer's subtree refused");
        return Ok(None);
    };
    for unit in &target.units {
        let ok = sqlx::query("SELECT 1 AS one FROM units WHERE id = $1 AND parent_id = $2")
            .bind(*unit)
            .bind(target.unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
        if !ok {
            tracing::warn!("quiz to a unit outside the officer's subtree refused");
            return Ok(None);
        }
    }
    let questions = serde_json::to_string(&draft.questions).unwrap_or_else(|_| "[]".into());
    let id: i64 = sqlx::query(
        "INSERT INTO quizzes (unit_id, created_by, title, questions, question_count, starts_at,
                              ends_at, minutes, attempts, tiebreak, tiebreak_answer,
                              target_unit_id, target_role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(m.unit_id)
    .bind(m.id)
    .bind(draft.title.trim())
    .bind(questions)
    .bind(draft.questions.len() as i64)
    .bind(draft.starts_at)
    .bind(draft.ends_at)
    .bind(draft.minutes)
    .bind(draft.attempts)
    .bind(draft.tiebreak.as_deref().map(str::trim))
    .bind(draft.tiebreak_answer)
    .bind(target.unit_id)
    .bind(target.role.map(|r| r.as_str()))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for unit in &target.units {
        sqlx::query(
            "INSERT INTO quiz_units (quiz_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(*unit)
        .execute(&mut *conn)
        .await?;
    }
    for (i, q) in draft.questions.iter().enumerate() {
        sqlx::query("INSERT INTO quiz_keys (quiz_id, question, correct) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(i as i64)
            .bind(q.correct as i64)
            .execute(&mut *conn)
            .await?;
    }
    let audience = Audience {
        path: &target_path,
        except_member: Some(m.id),
        role: target.role,
        chosen_units_of_quiz: Some(id),
        ..Audience::default()
    };
    // The people invited, the prompts and the messages: the same SQL.
    let (members, binds) = audience.member_ids(2);
    let sql = format!(
        "INSERT INTO quiz_recipients (quiz_id, member_id, unit_id)
         SELECT $1, mm.id, mm.unit_id FROM members mm
         WHERE mm.id IN ({members})
         ON CONFLICT (quiz_id, member_id) DO NOTHING"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
    for b in binds {
        q = b.bind(q);
    }
    let invited = q.execute(&mut *conn).await?.rows_affected();
    let prompt = PendingPrompt {
        flow: PromptFlow::Quiz,
        object_id: id,
        version: 1,
    };
    prompts::record_for(conn, &audience, &prompt, Some(draft.ends_at), now).await?;
    let go = QuizAction::Go(id).to_string();
    let body = |lang| Outbound::Message {
        text: notices.text(
            lang,
            &Notice::QuizInvite {
                unit: &m.unit_name,
                title: draft.title.trim(),
                starts_at: draft.starts_at,
                ends_at: draft.ends_at,
                questions: draft.questions.len() as i64,
                minutes: draft.minutes,
            },
        ),
        buttons: vec![vec![Button {
            label: notices.text(lang, &Notice::QuizStartButton),
            data: go.clone(),
        }]],
    };
    let queued = to_members(conn, &audience, body, Tag::None, now).await?;
    metrics::counter!("congdoan_quizzes_total").increment(1);
    tracing::info!(quiz = id, invited, queued, "quiz sent");
    Ok(Some(id))
}

/// Start an attempt: only for someone invited, within the window, with attempts left and
/// none open (one that ran out of time is closed first). Returns whether it started.
pub async fn start(
    conn: &mut Conn,
    member_id: i64,
    quiz_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT q.starts_at, q.ends_at, q.minutes, q.attempts, r.unit_id
         FROM quizzes q JOIN quiz_recipients r ON r.quiz_id = q.id
         WHERE q.id = $1 AND r.member_id = $2",
    )
    .bind(quiz_id)
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(false) };
    let starts_at: i64 = row.try_get("starts_at")?;
    let ends_at: i64 = row.try_get("ends_at")?;
    let minutes: i64 = row.try_get("minutes")?;
    let attempts: i64 = row.try_get("attempts")?;
    let unit_id: i64 = row.try_get("unit_id")?;
    if now < starts_at || now > ends_at {
        return Ok(false);
    }
    close_expired(conn, member_id, quiz_id, now).await?;
    let r = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n,
                CAST(COALESCE(SUM(CASE WHEN finished_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT)
                  AS open
         FROM quiz_attempts WHERE member_id = $1 AND quiz_id = $2",
    )
    .bind(member_id)
    .bind(quiz_id)
    .fetch_one(&mut *conn)
    .await?;
    let used: i64 = r.try_get("n")?;
    let open: i64 = r.try_get("open")?;
    if open > 0 || used >= attempts {
        return Ok(false);
    }
    let deadline = now.saturating_add(minutes * 60_000).min(ends_at);
    let done = sqlx::query(
        "INSERT INTO quiz_attempts (quiz_id, member_id, unit_id, attempt_no, started_at,
                                    deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (quiz_id, member_id, attempt_no) DO NOTHING",
    )
    .bind(quiz_id)
    .bind(member_id)
    .bind(unit_id)
    .bind(used + 1)
    .bind(now)
    .bind(deadline)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    prompts::answered(conn, Some(member_id), PromptFlow::Quiz, quiz_id).await?;
    Ok(done == 1)
}

/// What became of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    Taken,
    /// The attempt had run out of time: it is now closed as it stood.
    TimeUp,
    /// No open attempt, or not its next question, or no such option.
    Refused,
}

/// Member `member_id`'s answer `option` to question `question` of quiz `quiz_id`: taken
/// only as the open attempt's next question, within its time. The path every answer
/// takes (the chat's, and the bench's).
pub async fn answer(
    conn: &mut Conn,
    member_id: i64,
    quiz_id: i64,
    question: i64,
    option: i64,
    now: i64,
) -> Result<Answered, StoreError> {
    let row = sqlx::query(
        "SELECT a.id, a.answered, a.deadline_at, k.correct
         FROM quiz_attempts a
         LEFT JOIN quiz_keys k ON k.quiz_id = a.quiz_id AND k.question = $3
         WHERE a.member_id = $1 AND a.quiz_id = $2 AND a.finished_at IS NULL",
    )
    .bind(member_id)
    .bind(quiz_id)
    .bind(question)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Answered::Refused);
    };
    let attempt: i64 = row.try_get("id")?;
    let answered: i64 = row.try_get("answered")?;
    let deadline: i64 = row.try_get("deadline_at")?;
    let correct: Option<i64> = row.try_get("correct")?;
    if now > deadline {
        close(conn, attempt, None, now).await?;
        return Ok(Answered::TimeUp);
    }
    let Some(correct) = correct else {
        return Ok(Answered::Refused);
    };
    if answered != question || !(0..MAX_OPTIONS as i64).contains(&option) {
        return Ok(Answered::Refused);
    }
    let right = i64::from(option == correct);
    let updated = sqlx::query(
        "UPDATE quiz_attempts SET answered = answered + 1, score = score + $1, last_at = $2
         WHERE id = $3 AND answered = $4 AND finished_at IS NULL",
    )
    .bind(right)
    .bind(now)
    .bind(attempt)
    .bind(question)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(Answered::Refused);
    }
    sqlx::query(
        "INSERT INTO quiz_answers (attempt_id, question, choice, correct, answered_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(attempt)
    .bind(question)
    .bind(option)
    .bind(right)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Answered::Taken)
}

/// End member `member_id`'s open attempt at quiz `quiz_id` (with the tie-break guess,
/// kept only within the time). Returns whether there was one.
pub async fn finish(
    conn: &mut Conn,
    member_id: i64,
    quiz_id: i64,
    guess: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let id: Option<i64> = sqlx::query(
        "SELECT id FROM quiz_attempts
         WHERE member_id = $1 AND quiz_id = $2 AND finished_at IS NULL",
    )
    .bind(member_id)
    .bind(quiz_id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()?;
    match id {
        Some(id) => {
            close(conn, id, guess.filter(|g| *g >= 0), now).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Close the member's attempt if it ran out of time.
async fn close_expired(
    conn: &mut Conn,
    member_id: i64,
    quiz_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let id: Option<i64> = sqlx::query(
        "SELECT id FROM quiz_attempts
         WHERE member_id = $1 AND quiz_id = $2 AND finished_at IS NULL AND deadline_at < $3",
    )
    .bind(member_id)
    .bind(quiz_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()?;
    if let Some(id) = id {
        close(conn, id, None, now).await?;
    }
    Ok(())
}

/// Close attempt `id` as it stands (at its deadline if that passed) and keep it as the
/// member's result if it is their best: more correct, or as many in less time. The time
/// ranked runs to the last answer when every question was answered, else to the close.
async fn close(conn: &mut Conn, id: i64, guess: Option<i64>, now: i64) -> Result<(), StoreError> {
    let closed = sqlx::query(
        "UPDATE quiz_attempts
         SET finished_at = CASE WHEN deadline_at < $1 THEN deadline_at ELSE $1 END,
             guess = CASE WHEN deadline_at < $1 THEN NULL ELSE $2 END
         WHERE id = $3 AND finished_at IS NULL",
    )
    .bind(now)
    .bind(guess)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if closed != 1 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO quiz_results (quiz_id, member_id, unit_id, score, elapsed_ms, guess,
                                   finished_at)
         SELECT a.quiz_id, a.member_id, a.unit_id, a.score,
                CASE WHEN a.last_at IS NOT NULL AND a.answered >= q.question_count
                     THEN a.last_at - a.started_at
                     ELSE a.finished_at - a.started_at END,
                a.guess, a.finished_at
         FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id
         WHERE a.id = $1
         ON CONFLICT (quiz_id, member_id) DO UPDATE
         SET score = excluded.score, elapsed_ms = excluded.elapsed_ms, guess = excluded.guess,
             finished_at = excluded.finished_at, unit_id = excluded.unit_id
         WHERE excluded.score > quiz_results.score
            OR (excluded.score = quiz_results.score
                AND excluded.elapsed_ms < quiz_results.elapsed_ms)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The scheduler's sweep: close attempts that ran out of time, as they stand. Returns
/// how many it closed.
pub async fn expire(conn: &mut Conn, notices: &dyn Notices, now: i64) -> Result<u64, StoreError> {
    let ids: Vec<i64> = sqlx::query(
        "SELECT id FROM quiz_attempts WHERE finished_at IS NULL AND deadline_at < $1
         ORDER BY deadline_at LIMIT $2",
    )
    .bind(now)
    .bind(SWEEP_BATCH)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("id"))
    .collect::<Result<_, _>>()?;
    for id in &ids {
        close(conn, *id, None, now).await?;
        tell_time_up(conn, notices, *id, now).await?;
    }
    if !ids.is_empty() {
        tracing::info!(closed = ids.len(), "quiz attempts past their time closed");
    }
    Ok(ids.len() as u64)
}

/// Tell the member whose attempt `id` the sweep closed what it counted for (they left
/// it open, so no answer of theirs will show it): one chat, the first they are reached on.
async fn tell_time_up(
    conn: &mut Conn,
    notices: &dyn Notices,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let Some(r) = sqlx::query(
        "SELECT a.member_id, CAST(a.score AS BIGINT) AS score, q.title,
                CAST(q.question_count AS BIGINT) AS questions
         FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let member_id: i64 = r.try_get("member_id")?;
    let title: String = r.try_get("title")?;
    let Some((channel, chat_id, lang)) = super::roster::chats_of(conn, member_id)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let text = notices.text(
        lang,
        &Notice::QuizTimeUp {
            title: &title,
            score: r.try_get("score")?,
            questions: r.try_get("questions")?,
        },
    );
    super::outbox::enqueue(
        conn,
        &channel,
        &chat_id,
        &Outbound::Message {
            text,
            buttons: vec![],
        },
        super::outbox::PRIORITY_BULK,
        now,
    )
    .await?;
    Ok(())
}

/// The ranking over officer `m`'s subtree as .xlsx, then the winners (the first
/// [`WINNERS`]) as a second file.
async fn export(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    quiz_id: i64,
) -> Result<Vec<Outbound>, StoreError> {
    let Some(quiz) = visible(conn, quiz_id, m).await? else {
        return Ok(vec![]);
    };
    let target = tiebreak_target(conn, quiz_id).await?;
    let rows = ranking(conn, quiz_id, &m.unit_path, target, MAX_EXPORT_ROWS).await?;
    let word = |w| notices.text(m.lang, &Notice::Export(w));
    let headers: Vec<String> = EXPORT_COLUMN_IDS
        .iter()
        .map(|id| word(ExportWord::Label(id)))
        .collect();
    let n = quiz.questions.len() as i64;
    let table_rows: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::Int(i as i64 + 1),
                Cell::from(r.name.clone()),
                Cell::from(r.unit.clone()),
                Cell::from(format!("{}/{n}", r.score)),
                Cell::from(clock(r.elapsed_ms)),
                r.guess.map_or(Cell::Empty, Cell::Int),
                Cell::from(word(ExportWord::YesNo(i < WINNERS))),
            ]
        })
        .collect();
    let mut out = vec![];
    use base64::Engine;
    for (winners, file) in [(false, "xep-hang"), (true, "giai-thuong")] {
        let body: Vec<Vec<Cell>> = if winners {
            table_rows.iter().take(WINNERS).cloned().collect()
        } else {
            table_rows.clone()
        };
        let count = body.len() as i64;
        let table = Table {
            sheet: quiz.title.clone(),
            headers: headers.clone(),
            rows: body,
        };
        let Ok(bytes) = to_xlsx(&table) else {
            tracing::error!(quiz = quiz_id, "quiz export could not be written");
            return Ok(vec![]);
        };
        out.push(Outbound::Upload {
            kind: MediaKind::Document,
            file_name: format!("cuoc-thi-{quiz_id}-{file}.xlsx"),
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
            caption: notices.text(
                m.lang,
                &Notice::QuizExportCaption {
                    title: &quiz.title,
                    rows: count,
                    winners,
                },
            ),
        });
    }
    Ok(out)
}
