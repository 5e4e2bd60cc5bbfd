//! Polls and surveys (`/khaosat`, issue 19): polls, the members asked (one row each,
//! written by the same [`Audience`] SQL as the messages that ask them), answers saved
//! half-way, one current set of answers per person (one row per answer, so results are
//! SQL counts), and the results over an officer's subtree. Every write is checked here
//! again: the target against the officer's subtree, an answer against the people asked,
//! the deadline and the questions. An anonymous poll's answers are read only counted or
//! without a name: no officer-facing text, file or log line here links them to a person.

use sqlx::Row;

use super::fanout::{Audience, Tag, to_members};
use super::outbox::PRIORITY_REPLY;
use super::{Conn, StoreError, outbox, prompts};
use crate::core::actions::PollAction;
use crate::core::conversation::polls::{
    EXPORT_COLUMN_IDS, TEXTS_PER_PAGE, answers_ok, draft_ok, too_few,
};
use crate::core::conversation::{
    BroadcastTarget, Facts, MemberView, PendingPrompt, PollAnswer, PollDraft, PollEffect,
    PollNeeds, PollQuestion, PollResults, PollRow, PollTexts, PollToAnswer, PollView, PromptFlow,
    QuestionKind,
};
use crate::core::domain::Role;
use crate::core::event::{Button, MediaKind, Outbound};
use crate::core::export::ExportFormat;
use crate::core::notices::{ExportWord, Notice, Notices};
use crate::reports::export::{Cell, Table, to_csv, to_xlsx};

/// Polls whose deadline passed longer ago than this leave the member's list.
const LISTED_AFTER_DEADLINE_MS: i64 = 30 * 24 * 3600 * 1000;
/// Polls listed for reading results.
const MAX_VISIBLE: i64 = 5;

fn questions_of(json: &str) -> Vec<PollQuestion> {
    serde_json::from_str(json).unwrap_or_default()
}

fn view_of(r: &sqlx::any::AnyRow) -> Result<PollView, StoreError> {
    Ok(PollView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        unit_name: r.try_get("unit_name")?,
        deadline_at: r.try_get("deadline_at")?,
        anonymous: r.try_get::<i64, _>("anonymous")? != 0,
        questions: questions_of(&r.try_get::<String, _>("questions")?),
    })
}

const POLL_COLUMNS: &str = "p.id, p.title, p.deadline_at, p.anonymous, p.questions, \
                            u.name AS unit_name";

/// `m`'s current answers to poll `id`, one per question.
async fn current_answers(
    conn: &mut Conn,
    poll_id: i64,
    member_id: i64,
    questions: &[PollQuestion],
) -> Result<Option<Vec<Option<PollAnswer>>>, StoreError> {
    let exists =
        sqlx::query("SELECT 1 AS one FROM poll_responses WHERE poll_id = $1 AND member_id = $2")
            .bind(poll_id)
            .bind(member_id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
    if !exists {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT question, choice, num, text FROM poll_answers
         WHERE poll_id = $1 AND member_id = $2 ORDER BY question, choice",
    )
    .bind(poll_id)
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut answers: Vec<Option<PollAnswer>> = vec![None; questions.len()];
    for r in rows {
        let qi: i64 = r.try_get("question")?;
        let Some(i) = usize::try_from(qi).ok().filter(|i| *i < questions.len()) else {
            continue;
        };
        let choice: Option<i64> = r.try_get("choice")?;
        let num: Option<i64> = r.try_get("num")?;
        let text: Option<String> = r.try_get("text")?;
        let slot = &mut answers[i];
        *slot = match (questions[i].kind, choice, num, text, slot.take()) {
            (QuestionKind::Single, Some(k), _, _, _) => Some(PollAnswer::Choice(k)),
            (QuestionKind::Multi, Some(k), _, _, Some(PollAnswer::Multi(mut ks))) => {
                ks.push(k);
                Some(PollAnswer::Multi(ks))
            }
            (QuestionKind::Multi, Some(k), _, _, _) => Some(PollAnswer::Multi(vec![k])),
            (QuestionKind::Number, _, Some(n), _, _) => Some(PollAnswer::Number(n)),
            (QuestionKind::Text, _, _, Some(t), _) => Some(PollAnswer::Text(t)),
            (_, _, _, _, before) => before,
        };
    }
    Ok(Some(answers))
}

/// Look up what `/khaosat` needs for member `m`.
pub async fn load_facts(
    conn: &mut Conn,
    m: &MemberView,
    needs: &PollNeeds,
    now: i64,
    facts: &mut Facts,
) -> Result<(), StoreError> {
    if needs.lists {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {POLL_COLUMNS}, d.answers AS draft
             FROM poll_recipients r
             JOIN polls p ON p.id = r.poll_id
             JOIN units u ON u.id = p.unit_id
             LEFT JOIN poll_drafts d ON d.poll_id = r.poll_id AND d.member_id = r.member_id
             WHERE r.member_id = $1 AND p.deadline_at > $2
             ORDER BY p.deadline_at, p.id LIMIT 10"
        )))
        .bind(m.id)
        .bind(now - LISTED_AFTER_DEADLINE_MS)
        .fetch_all(&mut *conn)
        .await?;
        let mut to_answer = vec![];
        for r in rows {
            let poll = view_of(&r)?;
            let draft = r
                .try_get::<Option<String>, _>("draft")?
                .and_then(|j| serde_json::from_str(&j).ok());
            let submitted = current_answers(conn, poll.id, m.id, &poll.questions).await?;
            to_answer.push(PollToAnswer {
                poll,
                draft,
                submitted,
            });
        }
        facts.polls.to_answer = to_answer;
        if m.role == Role::Officer {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {POLL_COLUMNS} FROM polls p
                 JOIN units u ON u.id = p.unit_id
                 JOIN units tu ON tu.id = p.target_unit_id
                 WHERE u.path LIKE $1 OR $2 LIKE tu.path || '%'
                 ORDER BY p.created_at DESC, p.id DESC LIMIT {MAX_VISIBLE}"
            )))
            .bind(format!("{}%", m.unit_path))
            .bind(&m.unit_path)
            .fetch_all(&mut *conn)
            .await?;
            facts.polls.visible = rows.iter().map(view_of).collect::<Result<_, _>>()?;
        }
    }
    if m.role == Role::Officer {
        if let Some(id) = needs.results {
            facts.polls.results = results(conn, id, m).await?;
        }
        if let Some((id, q, page)) = needs.texts {
            facts.polls.texts = texts(conn, id, q, page, m).await?;
        }
    }
    Ok(())
}

/// Poll `id` if officer `m` may read its results: made in their subtree, or asked of a
/// part of the tree that holds their unit. Their reading covers their subtree only.
async fn visible(conn: &mut Conn, id: i64, m: &MemberView) -> Result<Option<PollView>, StoreError> {
    if m.role != Role::Officer {
        return Ok(None);
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {POLL_COLUMNS} FROM polls p
         JOIN units u ON u.id = p.unit_id
         JOIN units tu ON tu.id = p.target_unit_id
         WHERE p.id = $1 AND (u.path LIKE $2 OR $3 LIKE tu.path || '%')"
    )))
    .bind(id)
    .bind(format!("{}%", m.unit_path))
    .bind(&m.unit_path)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(view_of).transpose()
}

/// The results of poll `id` over officer `m`'s subtree: their unit then each direct
/// child, each over its whole subtree. Counted per unit in SQL, then summed per subtree
/// by path prefix (the acknowledgements' shape). `None` if they may not read it.
pub async fn results(
    conn: &mut Conn,
    id: i64,
    m: &MemberView,
) -> Result<Option<PollResults>, StoreError> {
    let Some(poll) = visible(conn, id, m).await? else {
        return Ok(None);
    };
    let below = format!("{}%", m.unit_path);
    let rows = sqlx::query(
        "WITH per_unit AS (
            SELECT r.unit_id AS unit_id, COUNT(*) AS asked, COUNT(s.member_id) AS answered
            FROM poll_recipients r
            JOIN units u ON u.id = r.unit_id
            LEFT JOIN poll_responses s ON s.poll_id = r.poll_id AND s.member_id = r.member_id
            WHERE r.poll_id = $1 AND u.path LIKE $2
            GROUP BY r.unit_id
         )
         SELECT ru.id, ru.name,
                CAST(COALESCE(SUM(p.asked), 0) AS BIGINT) AS asked,
                CAST(COALESCE(SUM(p.answered), 0) AS BIGINT) AS answered
         FROM units ru
         LEFT JOIN (per_unit p JOIN units pu ON pu.id = p.unit_id)
           ON pu.path LIKE ru.path || '%'
         WHERE ru.id = $3 OR ru.parent_id = $3
         GROUP BY ru.id, ru.name
         ORDER BY CASE WHEN ru.id = $3 THEN 0 ELSE 1 END, ru.name, ru.id",
    )
    .bind(id)
    .bind(&below)
    .bind(m.unit_id)
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<PollRow> = rows
        .iter()
        .map(|r| {
            Ok(PollRow {
                unit_id: r.try_get("id")?,
                name: r.try_get("name")?,
                asked: r.try_get("asked")?,
                answered: r.try_get("answered")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let figures = sqlx::query(
        "WITH per_unit AS (
            SELECT s.unit_id AS unit_id, a.question AS question, a.choice AS choice,
                   COUNT(*) AS n, SUM(a.num) AS total
            FROM poll_answers a
            JOIN poll_responses s ON s.poll_id = a.poll_id AND s.member_id = a.member_id
            JOIN units u ON u.id = s.unit_id
            WHERE a.poll_id = $1 AND u.path LIKE $2
            GROUP BY s.unit_id, a.question, a.choice
         )
         SELECT ru.id AS row_id, p.question, p.choice,
                CAST(SUM(p.n) AS BIGINT) AS n,
                CAST(COALESCE(SUM(p.total), 0) AS BIGINT) AS total
         FROM units ru
         JOIN (per_unit p JOIN units pu ON pu.id = p.unit_id)
           ON pu.path LIKE ru.path || '%'
         WHERE ru.id = $3 OR ru.parent_id = $3
         GROUP BY ru.id, p.question, p.choice",
    )
    .bind(id)
    .bind(&below)
    .bind(m.unit_id)
    .fetch_all(&mut *conn)
    .await?;
    let nq = poll.questions.len();
    let mut counts: Vec<Vec<Vec<i64>>> = poll
        .questions
        .iter()
        .map(|q| vec![vec![0; q.options.len()]; rows.len()])
        .collect();
    let mut numbers: Vec<Vec<(i64, i64)>> = vec![vec![(0, 0); rows.len()]; nq];
    let mut texts = vec![0; nq];
    for f in figures {
        let row_id: i64 = f.try_get("row_id")?;
        let Some(ri) = rows.iter().position(|r| r.unit_id == row_id) else {
            continue;
        };
        let q: i64 = f.try_get("question")?;
        let Some(qi) = usize::try_from(q).ok().filter(|q| *q < nq) else {
            continue;
        };
        let choice: Option<i64> = f.try_get("choice")?;
        let n: i64 = f.try_get("n")?;
        let total: i64 = f.try_get("total")?;
        match poll.questions[qi].kind {
            QuestionKind::Single | QuestionKind::Multi => {
                if let Some(slot) = choice
                    .and_then(|k| usize::try_from(k).ok())
                    .and_then(|k| counts[qi][ri].get_mut(k))
                {
                    *slot += n;
                }
            }
            QuestionKind::Number => {
                let (s, c) = numbers[qi][ri];
                numbers[qi][ri] = (s.saturating_add(total), c + n);
            }
            QuestionKind::Text => {
                if ri == 0 {
                    texts[qi] += n;
                }
            }
        }
    }
    Ok(Some(PollResults {
        poll: Some(poll),
        rows,
        counts,
        numbers,
        texts,
    }))
}

/// A page of the short texts answered to question `q` in officer `m`'s subtree. A named
/// poll's come with the person and unit; an anonymous poll's with nothing, in the order
/// of the texts themselves (never the order people answered in).
pub async fn texts(
    conn: &mut Conn,
    id: i64,
    q: i64,
    page: i64,
    m: &MemberView,
) -> Result<Option<PollTexts>, StoreError> {
    let Some(poll) = visible(conn, id, m).await? else {
        return Ok(None);
    };
    let is_text = usize::try_from(q)
        .ok()
        .and_then(|q| poll.questions.get(q))
        .is_some_and(|q| q.kind == QuestionKind::Text);
    if !is_text || page < 0 {
        return Ok(None);
    }
    let below = format!("{}%", m.unit_path);
    let total: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM poll_answers a
         JOIN poll_responses s ON s.poll_id = a.poll_id AND s.member_id = a.member_id
         JOIN units u ON u.id = s.unit_id
         WHERE a.poll_id = $1 AND a.question = $2 AND a.text IS NOT NULL AND u.path LIKE $3",
    )
    .bind(id)
    .bind(q)
    .bind(&below)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    if poll.anonymous {
        let answered: i64 = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM poll_responses s
             JOIN units u ON u.id = s.unit_id WHERE s.poll_id = $1 AND u.path LIKE $2",
        )
        .bind(id)
        .bind(&below)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
        if too_few(true, answered) {
            return Ok(None);
        }
    }
    let per = TEXTS_PER_PAGE as i64;
    let offset = page.saturating_mul(per);
    let sql = if poll.anonymous {
        "SELECT a.text, NULL AS who, NULL AS unit FROM poll_answers a
         JOIN poll_responses s ON s.poll_id = a.poll_id AND s.member_id = a.member_id
         JOIN units u ON u.id = s.unit_id
         WHERE a.poll_id = $1 AND a.question = $2 AND a.text IS NOT NULL AND u.path LIKE $3
         ORDER BY a.text LIMIT $4 OFFSET $5"
    } else {
        "SELECT a.text, mm.display_name AS who, u.name AS unit FROM poll_answers a
         JOIN poll_responses s ON s.poll_id = a.poll_id AND s.member_id = a.member_id
         JOIN units u ON u.id = s.unit_id
         JOIN members mm ON mm.id = s.member_id
         WHERE a.poll_id = $1 AND a.question = $2 AND a.text IS NOT NULL AND u.path LIKE $3
         ORDER BY s.submitted_at, s.member_id LIMIT $4 OFFSET $5"
    };
    let rows = sqlx::query(sql)
        .bind(id)
        .bind(q)
        .bind(&below)
        .bind(per)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<Option<String>, _>("who")?,
                r.try_get::<Option<String>, _>("unit")?,
                r.try_get::<String, _>("text")?,
            ))
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Some(PollTexts {
        poll_id: id,
        question: q,
        page,
        total,
        items,
    }))
}

/// Apply one poll effect for member `m`, every rule checked again here.
pub async fn apply(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    channel: &str,
    chat_id: &str,
    effect: &PollEffect,
    now: i64,
) -> Result<(), StoreError> {
    match effect {
        PollEffect::Create { draft, target } => {
            let id = create(conn, notices, m, draft, target, now).await?;
            tracing::info!(poll = ?id, "poll created");
        }
        PollEffect::SaveDraft { poll_id, answers } => {
            if answerable(conn, *poll_id, m.id, now).await?.is_none() {
                tracing::warn!(poll = poll_id, "poll draft refused");
                return Ok(());
            }
            let json = serde_json::to_string(answers).unwrap_or_else(|_| "[]".into());
            sqlx::query(
                "INSERT INTO poll_drafts (poll_id, member_id, answers, updated_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (poll_id, member_id)
                 DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
            )
            .bind(poll_id)
            .bind(m.id)
            .bind(json)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        PollEffect::Submit { poll_id, answers } => {
            if submit(conn, m, *poll_id, answers, now).await? {
                metrics::counter!("congdoan_poll_answers_total", "channel" => channel.to_string())
                    .increment(1);
            } else {
                tracing::warn!(poll = poll_id, "poll answers refused");
            }
        }
        PollEffect::Charts { poll_id } => {
            for body in charts(conn, notices, m, *poll_id).await? {
                outbox::enqueue(conn, channel, chat_id, &body, PRIORITY_REPLY, now).await?;
            }
        }
        PollEffect::Export { poll_id, format } => {
            if let Some(body) = export(conn, notices, m, *poll_id, *format).await? {
                outbox::enqueue(conn, channel, chat_id, &body, PRIORITY_REPLY, now).await?;
            }
        }
    }
    Ok(())
}

/// Create a poll from officer `m`'s unit to `target` (inside their subtree, whatever the
/// button said), record everyone asked and the question put to each, and send it.
pub async fn create(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    draft: &PollDraft,
    target: &BroadcastTarget,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    if m.role != Role::Officer || !draft_ok(draft) || draft.deadline_at <= now {
        return Ok(None);
    }
    if !matches!(target.role, None | Some(Role::Leader)) {
        return Ok(None);
    }
    let below = format!("{}%", m.unit_path);
    let target_path: Option<String> =
        sqlx::query("SELECT path FROM units WHERE id = $1 AND path LIKE $2")
            .bind(target.unit_id)
            .bind(&below)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get("path"))
            .transpose()?;
    let Some(target_path) = target_path else {
        tracing::warn!("poll outside the officer's subtree refused");
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
            tracing::warn!("poll to a unit outside the officer's subtree refused");
            return Ok(None);
        }
    }
    let questions = serde_json::to_string(&draft.questions).unwrap_or_else(|_| "[]".into());
    let id: i64 = sqlx::query(
        "INSERT INTO polls (unit_id, created_by, title, questions, anonymous, target_unit_id,
                            target_role, deadline_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(m.unit_id)
    .bind(m.id)
    .bind(draft.title.trim())
    .bind(questions)
    .bind(i64::from(draft.anonymous))
    .bind(target.unit_id)
    .bind(target.role.map(|r| r.as_str()))
    .bind(draft.deadline_at)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for unit in &target.units {
        sqlx::query(
            "INSERT INTO poll_units (poll_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(*unit)
        .execute(&mut *conn)
        .await?;
    }
    let audience = Audience {
        path: &target_path,
        except_member: Some(m.id),
        role: target.role,
        chosen_units_of_poll: Some(id),
        ..Audience::default()
    };
    // The people asked, the questions put to them and the messages: the same SQL.
    let (members, binds) = audience.member_ids(3);
    let sql = format!(
        "INSERT INTO poll_recipients (poll_id, member_id, unit_id, asked_at)
         SELECT $1, mm.id, mm.unit_id, $2 FROM members mm
         WHERE mm.id IN ({members})
         ON CONFLICT (poll_id, member_id) DO NOTHING"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(now);
    for b in binds {
        q = b.bind(q);
    }
    let asked = q.execute(&mut *conn).await?.rows_affected();
    let prompt = PendingPrompt {
        flow: PromptFlow::Poll,
        object_id: id,
        version: 1,
    };
    prompts::record_for(conn, &audience, &prompt, Some(draft.deadline_at), now).await?;
    let go = PollAction::Go(id).to_string();
    let body = |lang| Outbound::Message {
        text: notices.text(
            lang,
            &Notice::PollAsk {
                unit: &m.unit_name,
                title: draft.title.trim(),
                deadline_at: draft.deadline_at,
                questions: draft.questions.len() as i64,
                anonymous: draft.anonymous,
            },
        ),
        buttons: vec![vec![Button {
            label: notices.text(lang, &Notice::PollStartButton),
            data: go.clone(),
        }]],
    };
    let queued = to_members(conn, &audience, body, Tag::None, now).await?;
    metrics::counter!("congdoan_polls_total").increment(1);
    tracing::info!(poll = id, asked, queued, "poll sent");
    Ok(Some(id))
}

/// The poll's questions, if `member_id` was asked it and its deadline has not passed.
async fn answerable(
    conn: &mut Conn,
    poll_id: i64,
    member_id: i64,
    now: i64,
) -> Result<Option<(Vec<PollQuestion>, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT p.questions, r.unit_id FROM polls p
         JOIN poll_recipients r ON r.poll_id = p.id
         WHERE p.id = $1 AND r.member_id = $2 AND p.deadline_at >= $3",
    )
    .bind(poll_id)
    .bind(member_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            questions_of(&r.try_get::<String, _>("questions")?),
            r.try_get("unit_id")?,
        ))
    })
    .transpose()
}

/// `m`'s answers to poll `id`: only if they were asked, before the deadline, each answer
/// valid for its question. Replaces their earlier answers. Returns whether it was taken.
pub async fn submit(
    conn: &mut Conn,
    m: &MemberView,
    poll_id: i64,
    answers: &[Option<PollAnswer>],
    now: i64,
) -> Result<bool, StoreError> {
    let Some((questions, unit_id)) = answerable(conn, poll_id, m.id, now).await? else {
        return Ok(false);
    };
    if !answers_ok(&questions, answers) {
        return Ok(false);
    }
    sqlx::query("DELETE FROM poll_answers WHERE poll_id = $1 AND member_id = $2")
        .bind(poll_id)
        .bind(m.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO poll_responses (poll_id, member_id, unit_id, submitted_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (poll_id, member_id) DO UPDATE SET submitted_at = excluded.submitted_at",
    )
    .bind(poll_id)
    .bind(m.id)
    .bind(unit_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for (qi, a) in answers.iter().enumerate() {
        let rows: Vec<(Option<i64>, Option<i64>, Option<String>)> = match a {
            Some(PollAnswer::Choice(k)) => vec![(Some(*k), None, None)],
            Some(PollAnswer::Multi(ks)) => ks.iter().map(|k| (Some(*k), None, None)).collect(),
            Some(PollAnswer::Number(n)) => vec![(None, Some(*n), None)],
            Some(PollAnswer::Text(t)) => vec![(None, None, Some(t.trim().to_string()))],
            None => vec![],
        };
        for (choice, num, text) in rows {
            sqlx::query(
                "INSERT INTO poll_answers (poll_id, member_id, question, choice, num, text)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(poll_id)
            .bind(m.id)
            .bind(qi as i64)
            .bind(choice)
            .bind(num)
            .bind(text)
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query("DELETE FROM poll_drafts WHERE poll_id = $1 AND member_id = $2")
        .bind(poll_id)
        .bind(m.id)
        .execute(&mut *conn)
        .await?;
    prompts::answered(conn, Some(m.id), PromptFlow::Poll, poll_id).await?;
    Ok(true)
}

/// A chart per choice question over officer `m`'s subtree: a bar per option (people
/// who chose it, of those who answered).
async fn charts(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    poll_id: i64,
) -> Result<Vec<Outbound>, StoreError> {
    let Some(r) = results(conn, poll_id, m).await? else {
        return Ok(vec![]);
    };
    let Some(poll) = r.poll.as_ref() else {
        return Ok(vec![]);
    };
    let answered = r.rows.first().map_or(0, |row| row.answered);
    if answered == 0 || too_few(poll.anonymous, answered) {
        return Ok(vec![]);
    }
    let mut out = vec![];
    for (qi, q) in poll.questions.iter().enumerate() {
        if !q.kind.has_options() {
            continue;
        }
        let bars: Vec<crate::reports::chart::Bar> = q
            .options
            .iter()
            .enumerate()
            .map(|(k, o)| crate::reports::chart::Bar {
                label: format!("{}) {o}", k + 1),
                done: r
                    .counts
                    .get(qi)
                    .and_then(|c| c.first())
                    .and_then(|c| c.get(k))
                    .copied()
                    .unwrap_or(0),
                total: answered,
            })
            .collect();
        let figure = |done, total| notices.text(m.lang, &Notice::PollChartFigure { done, total });
        let title = format!("{}. {}", qi + 1, q.text);
        match crate::reports::chart::progress_png(&title, &bars, figure) {
            Ok(png) => {
                use base64::Engine;
                out.push(Outbound::Upload {
                    kind: MediaKind::Photo,
                    file_name: format!("khao-sat-{poll_id}-{}.png", qi + 1),
                    data_base64: base64::engine::general_purpose::STANDARD.encode(png),
                    caption: notices.text(
                        m.lang,
                        &Notice::PollChartCaption {
                            title: &poll.title,
                            question: qi as i64 + 1,
                        },
                    ),
                });
            }
            Err(e) => tracing::error!(error = %e, "poll chart could not be drawn"),
        }
    }
    Ok(out)
}

/// The answers in officer `m`'s subtree as a file: one row per person. A named poll's
/// rows carry the person and the time; an anonymous poll's only the unit, sorted by
/// unit then by the answers themselves (never by who or when).
async fn export(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    poll_id: i64,
    format: ExportFormat,
) -> Result<Option<Outbound>, StoreError> {
    let Some(poll) = visible(conn, poll_id, m).await? else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT s.member_id, s.submitted_at, u.name AS unit, mm.display_name AS who
         FROM poll_responses s
         JOIN units u ON u.id = s.unit_id
         JOIN members mm ON mm.id = s.member_id
         WHERE s.poll_id = $1 AND u.path LIKE $2
         ORDER BY u.name, s.submitted_at, s.member_id",
    )
    .bind(poll_id)
    .bind(format!("{}%", m.unit_path))
    .fetch_all(&mut *conn)
    .await?;
    if too_few(poll.anonymous, rows.len() as i64) {
        return Ok(None);
    }
    // An anonymous poll's unit is written only where enough people answered in it.
    let mut per_unit: std::collections::HashMap<String, i64> = Default::default();
    for r in &rows {
        *per_unit.entry(r.try_get::<String, _>("unit")?).or_default() += 1;
    }
    let word = |w| notices.text(m.lang, &Notice::Export(w));
    let mut headers: Vec<String> = EXPORT_COLUMN_IDS
        .iter()
        .enumerate()
        .filter(|(i, _)| !poll.anonymous || *i == 0)
        .map(|(_, id)| word(ExportWord::Label(id)))
        .collect();
    headers.extend(
        poll.questions
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{}. {}", i + 1, q.text)),
    );
    let mut table_rows: Vec<Vec<Cell>> = vec![];
    for r in &rows {
        let member_id: i64 = r.try_get("member_id")?;
        let Some(answers) = current_answers(conn, poll_id, member_id, &poll.questions).await?
        else {
            continue;
        };
        let unit: String = r.try_get("unit")?;
        let shown = !too_few(poll.anonymous, per_unit.get(&unit).copied().unwrap_or(0));
        let mut row = vec![if shown { Cell::from(unit) } else { Cell::Empty }];
        if !poll.anonymous {
            row.push(Cell::from(r.try_get::<String, _>("who")?));
            row.push(Cell::from(crate::core::time::format_date_time(
                r.try_get("submitted_at")?,
            )));
        }
        for (a, q) in answers.iter().zip(&poll.questions) {
            let opt = |k: &i64| {
                usize::try_from(*k)
                    .ok()
                    .and_then(|k| q.options.get(k))
                    .cloned()
                    .unwrap_or_default()
            };
            row.push(match a {
                Some(PollAnswer::Choice(k)) => Cell::from(opt(k)),
                Some(PollAnswer::Multi(ks)) => {
                    Cell::from(ks.iter().map(opt).collect::<Vec<_>>().join("; "))
                }
                Some(PollAnswer::Number(n)) => Cell::Int(*n),
                Some(PollAnswer::Text(t)) => Cell::from(t.clone()),
                None => Cell::Empty,
            });
        }
        table_rows.push(row);
    }
    if poll.anonymous {
        // Sorted by what the cells say, so the order tells nothing about who or when.
        let key = |row: &Vec<Cell>| -> Vec<String> {
            row.iter()
                .map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    Cell::Int(n) => format!("{n:020}"),
                    Cell::Empty => String::new(),
                })
                .collect()
        };
        table_rows.sort_by_key(key);
    }
    let n = table_rows.len() as i64;
    let table = Table {
        sheet: poll.title.clone(),
        headers,
        rows: table_rows,
    };
    let (bytes, ext) = match format {
        ExportFormat::Xlsx => (to_xlsx(&table), "xlsx"),
        ExportFormat::Csv => (to_csv(&table), "csv"),
    };
    let Ok(bytes) = bytes else {
        tracing::error!(poll = poll_id, "poll export could not be written");
        return Ok(None);
    };
    use base64::Engine;
    Ok(Some(Outbound::Upload {
        kind: MediaKind::Document,
        file_name: format!("khao-sat-{poll_id}.{ext}"),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        caption: notices.text(
            m.lang,
            &Notice::PollExportCaption {
                title: &poll.title,
                rows: n,
            },
        ),
    }))
}
